import { describe, expect, it } from 'vitest';
import { addStreamEvent, createStreamAccumulation, toStreamedMessage } from '../../src/anthropic/stream.js';
import type { StreamEvent } from '../../src/anthropic/internal-types.js';

const EVENTS: StreamEvent[] = [
  {
    type: 'message_start',
    message: {
      id: 'msg_1',
      model: 'claude-haiku-4-5-20251001',
      content: [],
      stop_reason: null,
      usage: { input_tokens: 10, output_tokens: 1, cache_read_input_tokens: 300, cache_creation_input_tokens: 40 },
    },
  },
  { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
  { type: 'ping' },
  { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Let me ' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'check.' } },
  { type: 'content_block_stop', index: 0 },
  { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: {} } },
  { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"order' } },
  { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '_id":"A-1"}' } },
  { type: 'content_block_stop', index: 1 },
  { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 42 } },
  { type: 'message_stop' },
];

function accumulate(events: readonly StreamEvent[], isCapturingContent: boolean) {
  const acc = createStreamAccumulation({ isCapturingContent });
  events.forEach((event, i) => addStreamEvent(acc, event, 100 + i));
  return acc;
}

describe('stream accumulation', () => {
  it('adds up id, model, stop reason and usage from message_start and message_delta', () => {
    const acc = accumulate(EVENTS, false);

    expect(toStreamedMessage(acc)).toMatchObject({
      id: 'msg_1',
      model: 'claude-haiku-4-5-20251001',
      stop_reason: 'tool_use',
      usage: { input_tokens: 10, output_tokens: 42, cache_read_input_tokens: 300, cache_creation_input_tokens: 40 },
    });
    expect(acc.isComplete).toBe(true);
  });

  it('takes the time of the first content delta as time to first token', () => {
    // Events arrive at 100 ms + their index: the first delta is the fourth event.
    expect(accumulate(EVENTS, false).firstContentMs).toBe(103);
  });

  it('keeps content only when capturing, with tool arguments parsed', () => {
    expect(toStreamedMessage(accumulate(EVENTS, false)).content).toEqual([]);
    expect(toStreamedMessage(accumulate(EVENTS, true)).content).toEqual([
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { order_id: 'A-1' } },
    ]);
  });

  it('keeps the input counts of message_start when message_delta repeats them as null', () => {
    const acc = accumulate(
      [EVENTS[0]!, { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 7, cache_read_input_tokens: null } }],
      false,
    );

    expect(toStreamedMessage(acc).usage).toEqual({
      input_tokens: 10,
      output_tokens: 7,
      cache_read_input_tokens: 300,
      cache_creation_input_tokens: 40,
    });
  });

  it('takes cumulative input counts from message_delta when newer API versions send them', () => {
    const acc = accumulate(
      [EVENTS[0]!, { type: 'message_delta', delta: {}, usage: { input_tokens: 12, output_tokens: 7, cache_read_input_tokens: 310 } }],
      false,
    );

    expect(toStreamedMessage(acc).usage).toMatchObject({ input_tokens: 12, cache_read_input_tokens: 310 });
  });

  it('describes a stream cut mid-way by what arrived', () => {
    const acc = accumulate(EVENTS.slice(0, 8), true);

    const message = toStreamedMessage(acc);
    expect(acc.isComplete).toBe(false);
    expect(message.stop_reason).toBeNull();
    expect(message.usage).toMatchObject({ input_tokens: 10, output_tokens: 1 });
    // Half-sent tool arguments stay as the text received.
    expect(message.content?.[1]).toMatchObject({ type: 'tool_use', input: '{"order' });
  });

  it('ignores events it does not know', () => {
    const acc = createStreamAccumulation({ isCapturingContent: true });
    addStreamEvent(acc, { type: 'error' }, 1);
    addStreamEvent(acc, { type: 'content_block_delta', delta: { type: 'text_delta', text: 'orphan' } }, 2);

    expect(toStreamedMessage(acc)).toMatchObject({ content: [], usage: null });
  });
});
