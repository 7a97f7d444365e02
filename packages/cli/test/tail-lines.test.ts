// `convotel tail`'s lines from the notices the ingest announces: the data is typed by the store's
// live-notice contract, so a renamed field fails to compile here before it prints a blank.
import type { ConversationNotice, ErrorNotice, TurnNotice } from '@convotel/store';
import { describe, expect, it } from 'vitest';
import { eventLine } from '../src/commands/tail.js';

const base = { at: '2026-12-04T10:00:09.000Z', conversation_id: 'c-1', service_name: 'voice', agent_name: 'support' } as const;

const turn: TurnNotice = {
  ...base,
  id: '7-1',
  type: 'turn',
  turn_id: 't-3',
  trace_id: 'trace-3',
  user_id: 'u-1',
  session_id: null,
  channel: 'voice',
  turn_index: 3,
  started_at: '2026-12-04T10:00:05.000Z',
  ended_at: '2026-12-04T10:00:07.250Z',
  duration_ms: 2250,
  perceived_latency_ms: 900,
  interrupted: false,
  status: 'error',
  error_type: 'RateLimitError',
  error_message: 'API rate limit exceeded',
  llm_calls: 2,
  input_tokens: 120,
  output_tokens: 30,
  cost_usd: 0.0123,
};

const error: ErrorNotice = {
  ...base,
  id: '7-2',
  type: 'error',
  source: 'event',
  trace_id: 'trace-3',
  span_id: 's-1',
  event_id: 'e-1',
  error_type: 'llm.retry_exhausted',
  message: 'gave up after 3 tries',
  component: 'llm',
  severity: 'ERROR',
  time: '2026-12-04T10:00:06.500Z',
};

const conversation: ConversationNotice = {
  ...base,
  id: '7-3',
  type: 'conversation',
  user_id: 'u-1',
  channel: 'voice',
  status: 'completed',
  end_reason: 'hangup',
  started_at: '2026-12-04T09:58:00.000Z',
  ended_at: '2026-12-04T10:00:08.000Z',
  duration_ms: 128_000,
  turns: 4,
  llm_calls: 8,
  errors: 1,
  cost_usd: 0.05,
};

describe('convotel tail lines', () => {
  it("a turn: its end time, conversation and index, status, duration, cost and error", () => {
    const line = eventLine({ event: 'turn', id: turn.id, data: turn }, 'UTC');
    expect(line).toMatch(/^10:00:07(\.250)?\s+turn\s+c-1 #3\s+✗/);
    expect(line).toContain('RateLimitError: API rate limit exceeded');
    expect(line).toContain('$0.0123');
  });

  it("an error record: its own time, type and message", () => {
    const line = eventLine({ event: 'error', id: error.id, data: error }, 'UTC');
    expect(line).toMatch(/^10:00:06(\.500)?\s+error\s+c-1\s+llm\.retry_exhausted: gave up after 3 tries$/);
  });

  it('a conversation: status, turns, duration and cost', () => {
    const line = eventLine({ event: 'conversation', id: conversation.id, data: conversation }, 'UTC');
    expect(line).toMatch(/^10:00:08(\.000)?\s+conversation\s+c-1\s+completed\s+4 turns/);
    expect(line).toContain('$0.05');
  });

  it('a gap says events may be missing, and why', () => {
    expect(eventLine({ event: 'gap', id: undefined, data: { reason: 'listener_lost', last_event_id: null } }, 'UTC')).toContain('events may be missing (listener_lost)');
  });
});
