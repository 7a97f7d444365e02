import { describe, expect, it } from 'vitest';
import { toLlmResponse, toOutputMessages, toUsage } from '../../src/anthropic/map-response.js';

const capture = (value: unknown): string => JSON.stringify(value);

const MESSAGE = {
  id: 'msg_1',
  model: 'claude-haiku-4-5-20251001',
  role: 'assistant',
  content: [
    { type: 'text', text: 'Checking.' },
    { type: 'tool_use', id: 'toolu_1', name: 'lookup_order', input: { order_id: 'A-1' } },
  ],
  stop_reason: 'tool_use',
  usage: { input_tokens: 10, output_tokens: 20, cache_read_input_tokens: 300, cache_creation_input_tokens: 40 },
};

describe('toUsage', () => {
  it('adds cache reads and writes to the input count, as OTel requires', () => {
    expect(toUsage(MESSAGE.usage)).toEqual({
      inputTokens: 350,
      outputTokens: 20,
      cacheReadInputTokens: 300,
      cacheWriteInputTokens: 40,
    });
  });

  it('treats null cache counts as none', () => {
    expect(
      toUsage({ input_tokens: 10, output_tokens: 2, cache_read_input_tokens: null, cache_creation_input_tokens: null }),
    ).toEqual({ inputTokens: 10, outputTokens: 2 });
  });

  it('reads thinking tokens as reasoning output tokens', () => {
    expect(toUsage({ input_tokens: 1, output_tokens: 90, output_tokens_details: { thinking_tokens: 70 } })).toMatchObject({
      outputTokens: 90,
      reasoningOutputTokens: 70,
    });
  });

  it('is undefined when the response has no usage', () => {
    expect(toUsage(undefined)).toBeUndefined();
    expect(toUsage(null)).toBeUndefined();
  });
});

describe('toOutputMessages', () => {
  it('returns one assistant message with the stop reason as finish reason', () => {
    expect(toOutputMessages(MESSAGE)).toEqual([
      {
        role: 'assistant',
        parts: [
          { type: 'text', content: 'Checking.' },
          { type: 'tool_call', id: 'toolu_1', name: 'lookup_order', arguments: { order_id: 'A-1' } },
        ],
        finish_reason: 'tool_use',
      },
    ]);
  });
});

describe('toLlmResponse', () => {
  it('reads model, id, finish reason and usage', () => {
    const response = toLlmResponse(MESSAGE);

    expect(response).toMatchObject({
      responseModel: 'claude-haiku-4-5-20251001',
      responseId: 'msg_1',
      finishReasons: ['tool_use'],
      usage: { inputTokens: 350, outputTokens: 20 },
    });
    expect(response.attributes).toEqual({});
  });

  it('captures the output messages only through the capture function', () => {
    const response = toLlmResponse(MESSAGE, { capture });

    expect(JSON.parse(response.attributes?.['gen_ai.output.messages'] as string)).toEqual(toOutputMessages(MESSAGE));
  });

  it('offers the answer texts for counting when there is content', () => {
    expect(toLlmResponse(MESSAGE).outputTexts?.()).toEqual(['Checking.', '{"order_id":"A-1"}']);
    expect(toLlmResponse({ ...MESSAGE, content: [] }).outputTexts).toBeUndefined();
  });

  it('records no finish reason while the answer has none', () => {
    expect(toLlmResponse({ ...MESSAGE, stop_reason: null }).finishReasons).toBeUndefined();
  });
});
