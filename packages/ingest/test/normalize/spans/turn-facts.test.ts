import { describe, expect, it } from 'vitest';
import { estimateWithPriceTable } from '../../../src/normalize/concepts/cost.js';
import { toRows } from '../../../src/normalize/to-rows.js';
import { mergeTurnFactsByTrace } from '../../../src/normalize/spans/turn-facts.js';
import { Ids, sdkConversation, shuffle, split, toTraceRequest } from '../../helpers/spans.js';

describe('mergeTurnFacts', () => {
  it('gives the same facts for any split and order of a trace', () => {
    const ids = new Ids(3);
    const items = sdkConversation(ids, { conversationId: 'c', userId: 'u', turns: 3 });
    const whole = toRows(toTraceRequest(items), { estimateCost: estimateWithPriceTable }).turns;
    const byTrace = (facts: typeof whole) => [...mergeTurnFactsByTrace(facts).entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    for (let round = 0; round < 20; round += 1) {
      const parts = split(shuffle(items, ids), 4, ids).flatMap((chunk) => toRows(toTraceRequest(chunk), { estimateCost: estimateWithPriceTable }).turns);
      expect(byTrace(shuffle(parts, ids))).toEqual(byTrace(whole));
    }
  });
});
