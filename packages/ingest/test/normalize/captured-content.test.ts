// Captured content is stored cut to maxContentLength characters (default 16384, the SDK's),
// marked as the SDK marks it: user input, agent output, and every text of the messages.
import { describe, expect, it } from 'vitest';
import { estimateWithPriceTable } from '../../src/normalize/concepts/cost.js';
import { logsToRows } from '../../src/normalize/logs-to-rows.js';
import { toRows } from '../../src/normalize/to-rows.js';
import { item, makeLog, makeSpan, T0, toLogsRequest, toTraceRequest } from '../helpers/spans.js';

const MARK = '…[truncated]';
const TRACE = '0af7651916cd43dd8448eb211c80319c';

function turnAndCall(text: string) {
  const root = makeSpan({
    traceId: TRACE,
    spanId: '1111111111111111',
    name: 'turn',
    startNs: T0,
    attributes: { 'convotel.span.kind': 'turn', 'convotel.turn.user_input': text, 'convotel.turn.agent_output': text },
  });
  const call = makeSpan({
    traceId: TRACE,
    spanId: '2222222222222222',
    parentSpanId: '1111111111111111',
    name: 'chat gpt-4o',
    kind: 3,
    startNs: T0,
    attributes: {
      'convotel.span.kind': 'llm',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: text }]),
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: text }] }]),
      'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: text }] }]),
    },
  });
  return toTraceRequest([item(root), item(call)]);
}

describe('captured content', () => {
  it('cuts a 10 MB user input, agent output and message texts to 16384 characters by default', () => {
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const cut = `${'x'.repeat(16384)}${MARK}`;
    const rows = toRows(turnAndCall(huge), { estimateCost: estimateWithPriceTable });
    const [turn] = rows.turns;
    expect(turn?.userInput?.text).toBe(cut);
    expect(turn?.agentOutput?.text).toBe(cut);
    const [call] = rows.llmCalls;
    expect(call?.inputMessages).toEqual([{ role: 'user', parts: [{ type: 'text', content: cut }] }]);
    expect(call?.outputMessages).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: cut }] }]);
    expect(call?.systemInstructions).toEqual([{ type: 'text', content: cut }]);
  });

  it('cuts to the maxContentLength given and keeps shorter content whole', () => {
    const rows = toRows(turnAndCall('0123456789abc'), { estimateCost: estimateWithPriceTable, maxContentLength: 10 });
    expect(rows.turns[0]?.userInput?.text).toBe(`0123456789${MARK}`);
    const whole = toRows(turnAndCall('0123456789'), { estimateCost: estimateWithPriceTable, maxContentLength: 10 });
    expect(whole.turns[0]?.userInput?.text).toBe('0123456789');
  });

  it('cuts the messages of GenAI content events', () => {
    const record = makeLog({ eventName: 'gen_ai.user.message', body: { content: 'y'.repeat(50) }, traceId: TRACE, spanId: '2222222222222222' });
    const { events } = logsToRows(toLogsRequest([record]), { maxContentLength: 20 });
    expect(events[0]?.content).toEqual([{ role: 'user', parts: [{ type: 'text', content: `${'y'.repeat(20)}${MARK}` }] }]);
  });
});
