// Column specs of the raw tables: values that are cached between rows must still be each row's own.
import { describe, expect, it } from 'vitest';
import type { StepRow } from '../../../src/normalize/rows.js';
import { llmCallsInsert, stepsInsert, type WithIds } from '../../../src/store/write/raw-tables.js';

const ids = { conversationId: undefined, userId: undefined, sessionId: undefined };

function sourceKeysColumn(insert: typeof stepsInsert | typeof llmCallsInsert): (sourceKeys: Readonly<Record<string, string>>) => unknown {
  const column = insert([]).columns.find((candidate) => candidate.name === 'source_keys');
  if (column === undefined) throw new Error('no source_keys column');
  const get = column.get as (item: WithIds<Pick<StepRow, 'sourceKeys'>>) => unknown;
  return (sourceKeys) => get({ row: { sourceKeys }, ids });
}

describe('source_keys column', () => {
  it("writes each row's own keys while consecutive rows share, change or drop them", () => {
    for (const insert of [stepsInsert, llmCallsInsert]) {
      const sourceKeys = sourceKeysColumn(insert);
      const sequence: Record<string, string>[] = [
        { provider: 'gen_ai.provider.name', model: 'gen_ai.request.model' },
        { provider: 'gen_ai.provider.name', model: 'gen_ai.request.model' },
        { provider: 'gen_ai.system', model: 'gen_ai.request.model' },
        { provider: 'gen_ai.system', cost_usd: 'gen_ai.request.model' },
        { provider: 'gen_ai.system' },
        { provider: 'gen_ai.system', model: 'gen_ai.request.model', cost_usd: 'convotel.cost.usd' },
        {},
        { model: 'gen_ai.request.model' },
      ];
      const shared = sequence[0] as Record<string, string>;
      for (const keys of [...sequence, shared, shared, {}, shared]) {
        expect(JSON.parse(sourceKeys(keys) as string)).toEqual(keys);
      }
    }
  });
});
