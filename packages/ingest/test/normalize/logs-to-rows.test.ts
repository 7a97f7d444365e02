import { describe, expect, it } from 'vitest';
import { logsToRows, severityTextOf } from '../../src/normalize/logs-to-rows.js';
import { makeLog, T0, toLogsRequest } from '../helpers/spans.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';

describe('logsToRows', () => {
  it('turns a system event into an events row', () => {
    const { events } = logsToRows(
      toLogsRequest([
        makeLog({
          attributes: { 'event.name': 'balance_lookup', 'convotel.event.component': 'account_service', 'gen_ai.conversation.id': 'conv-1', amount: 12 },
          body: 'balance looked up',
          severityNumber: 9,
          traceId: TRACE,
          spanId: SPAN,
        }),
      ]),
    );
    expect(events).toEqual([
      expect.objectContaining({
        name: 'balance_lookup',
        component: 'account_service',
        message: 'balance looked up',
        severityNumber: 9,
        severityText: 'INFO',
        conversationId: 'conv-1',
        traceId: TRACE,
        spanId: SPAN,
        time: T0 / 1000n,
        contentKind: undefined,
      }),
    ]);
  });

  it('prefers the LogRecord event_name field over the event.name attribute', () => {
    const { events } = logsToRows(toLogsRequest([makeLog({ eventName: 'new', attributes: { 'event.name': 'old' } })]));
    expect(events[0]?.name).toBe('new');
  });

  it('parses GenAI content events into OTel messages for their LLM call', () => {
    const { events } = logsToRows(
      toLogsRequest([
        makeLog({ eventName: 'gen_ai.system.message', body: { content: 'be brief' }, traceId: TRACE, spanId: SPAN }),
        makeLog({ eventName: 'gen_ai.choice', body: { index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: 'calling' } }, traceId: TRACE, spanId: SPAN }),
        makeLog({
          eventName: 'gen_ai.client.inference.operation.details',
          attributes: { 'gen_ai.input.messages': [{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }] },
          traceId: TRACE,
          spanId: SPAN,
        }),
      ]),
    );
    expect(events.map((event) => [event.contentKind, event.content])).toEqual([
      ['input', [{ role: 'system', parts: [{ type: 'text', content: 'be brief' }] }]],
      ['output', [{ role: 'assistant', parts: [{ type: 'text', content: 'calling' }], finish_reason: 'tool_calls' }]],
      ['input', [{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }]],
    ]);
  });

  it('gives a redelivered record the same id and a different record another', () => {
    const record = makeLog({ eventName: 'x', body: 'same', traceId: TRACE });
    const first = logsToRows(toLogsRequest([record])).events[0]?.eventId;
    const again = logsToRows(toLogsRequest([{ ...record }])).events[0]?.eventId;
    const other = logsToRows(toLogsRequest([{ ...record, body: 'other' }])).events[0]?.eventId;
    expect(first).toBe(again);
    expect(first).not.toBe(other);
  });

  it('rejects records without a usable time', () => {
    const rows = logsToRows(toLogsRequest([{ ...makeLog({}), timeUnixNano: 0n, observedTimeUnixNano: 0n }]));
    expect(rows.rejected).toBe(1);
    expect(rows.events).toEqual([]);
  });

  it('names severities by number', () => {
    expect([1, 5, 9, 13, 17, 21, 24, 0, 25].map(severityTextOf)).toEqual(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'FATAL', undefined, undefined]);
  });
});
