import {
  ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT,
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OUTPUT_TYPE,
  ATTR_GEN_AI_REQUEST_CHOICE_COUNT,
  ATTR_GEN_AI_REQUEST_ENCODING_FORMATS,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_STOP_SEQUENCES,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  ATTR_GEN_AI_TOOL_DEFINITIONS,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '@convotel/semconv';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { EmbeddingCreateParams } from 'openai/resources/embeddings';
import type { ResponseCreateParams } from 'openai/resources/responses/responses';
import { toServerAttributes } from '../../src/spans/server-attributes.js';
import { describe, expect, it } from 'vitest';
import {
  toChatInputMessages,
  toChatInputTexts,
  toChatRequestAttributes,
  toEmbeddingsInputTexts,
  toEmbeddingsRequestAttributes,
  toResponsesInputMessages,
  toResponsesInputTexts,
  toResponsesRequestAttributes,
} from '../../src/openai/map-request.js';

// Plain JSON, as a test would write it: capture is whatever the span would store.
const capture = (value: unknown): string => JSON.stringify(value);
const chat = (params: Partial<ChatCompletionCreateParams>): ChatCompletionCreateParams =>
  ({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...params }) as ChatCompletionCreateParams;

describe('toServerAttributes', () => {
  it('reads host and explicit port from the base URL', () => {
    expect(toServerAttributes('http://127.0.0.1:4010/v1')).toEqual({ [ATTR_SERVER_ADDRESS]: '127.0.0.1', [ATTR_SERVER_PORT]: 4010 });
  });

  it('uses the scheme’s default port', () => {
    expect(toServerAttributes('https://api.openai.com/v1')).toEqual({ [ATTR_SERVER_ADDRESS]: 'api.openai.com', [ATTR_SERVER_PORT]: 443 });
  });

  it('returns nothing for a missing or unparseable URL', () => {
    expect(toServerAttributes(undefined)).toEqual({});
    expect(toServerAttributes('not a url')).toEqual({});
  });
});

describe('toChatRequestAttributes', () => {
  it('prefers max_completion_tokens over the deprecated max_tokens', () => {
    expect(toChatRequestAttributes(chat({ max_tokens: 10, max_completion_tokens: 20 }))[ATTR_GEN_AI_REQUEST_MAX_TOKENS]).toBe(20);
    expect(toChatRequestAttributes(chat({ max_tokens: 10 }))[ATTR_GEN_AI_REQUEST_MAX_TOKENS]).toBe(10);
  });

  it('records the choice count only when it is not 1', () => {
    expect(toChatRequestAttributes(chat({ n: 1 }))).not.toHaveProperty(ATTR_GEN_AI_REQUEST_CHOICE_COUNT);
    expect(toChatRequestAttributes(chat({ n: 3 }))[ATTR_GEN_AI_REQUEST_CHOICE_COUNT]).toBe(3);
  });

  it('records stop sequences as a list', () => {
    expect(toChatRequestAttributes(chat({ stop: 'END' }))[ATTR_GEN_AI_REQUEST_STOP_SEQUENCES]).toEqual(['END']);
    expect(toChatRequestAttributes(chat({ stop: ['a', 'b'] }))[ATTR_GEN_AI_REQUEST_STOP_SEQUENCES]).toEqual(['a', 'b']);
  });

  it('marks streaming calls and JSON output', () => {
    const attributes = toChatRequestAttributes(chat({ stream: true, response_format: { type: 'json_object' } }));
    expect(attributes[ATTR_GEN_AI_REQUEST_STREAM]).toBe(true);
    expect(attributes[ATTR_GEN_AI_OUTPUT_TYPE]).toBe('json');
    expect(toChatRequestAttributes(chat({ stream: false }))).not.toHaveProperty(ATTR_GEN_AI_REQUEST_STREAM);
  });

  it('skips null parameters', () => {
    expect(toChatRequestAttributes(chat({ temperature: null, seed: null, stop: null }))).toEqual({});
  });

  it('builds no content without a capture function', () => {
    const attributes = toChatRequestAttributes(chat({ tools: [{ type: 'function', function: { name: 'f' } }] }));
    expect(attributes).not.toHaveProperty(ATTR_GEN_AI_INPUT_MESSAGES);
    expect(attributes).not.toHaveProperty(ATTR_GEN_AI_TOOL_DEFINITIONS);
  });

  it('captures messages and tool definitions when asked', () => {
    const attributes = toChatRequestAttributes(
      chat({ tools: [{ type: 'function', function: { name: 'lookup_order', description: 'Finds an order', parameters: { type: 'object' } } }] }),
      { capture },
    );
    expect(JSON.parse(attributes[ATTR_GEN_AI_INPUT_MESSAGES] as string)).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }]);
    expect(JSON.parse(attributes[ATTR_GEN_AI_TOOL_DEFINITIONS] as string)).toEqual([
      { type: 'function', name: 'lookup_order', description: 'Finds an order', parameters: { type: 'object' } },
    ]);
  });
});

describe('toChatInputMessages', () => {
  it('maps every role to OTel parts', () => {
    const messages = toChatInputMessages([
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
          { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"id":1}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'found' },
    ]);

    expect(messages).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'Be brief.' }] },
      {
        role: 'user',
        parts: [
          { type: 'text', content: 'What is this?' },
          { type: 'uri', modality: 'image', uri: 'https://example.com/a.png' },
          // Inline data is left out; its type is kept.
          { type: 'blob', modality: 'image', mime_type: 'image/png' },
          { type: 'blob', modality: 'audio', mime_type: 'audio/wav' },
        ],
      },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'lookup', arguments: { id: 1 } }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: 'found' }] },
    ]);
  });

  it('keeps tool-call arguments that are not JSON as text', () => {
    const [message] = toChatInputMessages([
      { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{broken' } }] },
    ]);
    expect(message?.parts).toEqual([{ type: 'tool_call', id: 'c', name: 'f', arguments: '{broken' }]);
  });
});

describe('toChatInputTexts', () => {
  it('gives one text per message, tool calls included', () => {
    const texts = toChatInputTexts(
      chat({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        ],
      }),
    );
    expect(texts).toEqual(['ab', 'f{}']);
  });
});

describe('toResponsesRequestAttributes', () => {
  const params = (extra: Partial<ResponseCreateParams>): ResponseCreateParams =>
    ({ model: 'gpt-4o', input: 'hi', ...extra }) as ResponseCreateParams;

  it('maps max_output_tokens, streaming and JSON output', () => {
    const attributes = toResponsesRequestAttributes(
      params({ max_output_tokens: 50, stream: true, text: { format: { type: 'json_schema', name: 'x', schema: {} } } }),
    );
    expect(attributes).toEqual({
      [ATTR_GEN_AI_REQUEST_MAX_TOKENS]: 50,
      [ATTR_GEN_AI_REQUEST_STREAM]: true,
      [ATTR_GEN_AI_OUTPUT_TYPE]: 'json',
    });
  });

  it('captures instructions as system instructions, apart from the input', () => {
    const attributes = toResponsesRequestAttributes(params({ instructions: 'Be brief.' }), { capture });
    expect(JSON.parse(attributes[ATTR_GEN_AI_SYSTEM_INSTRUCTIONS] as string)).toEqual([{ type: 'text', content: 'Be brief.' }]);
    expect(JSON.parse(attributes[ATTR_GEN_AI_INPUT_MESSAGES] as string)).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }]);
  });
});

describe('toResponsesInputMessages', () => {
  it('maps messages, function calls and their outputs', () => {
    const input = [
      { role: 'user', content: [{ type: 'input_text', text: 'Where is A1?' }] },
      { type: 'function_call', call_id: 'call_1', name: 'lookup', arguments: '{"id":"A1"}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'shipped' },
      { type: 'web_search_call', id: 'ws_1', status: 'completed' },
    ] as ResponseCreateParams['input'];

    expect(toResponsesInputMessages(input)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Where is A1?' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'lookup', arguments: { id: 'A1' } }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: 'shipped' }] },
    ]);
  });

  it('counts instructions and each input item as texts', () => {
    expect(
      toResponsesInputTexts({
        model: 'gpt-4o',
        instructions: 'Be brief.',
        input: [{ role: 'user', content: 'hi' }],
      } as ResponseCreateParams),
    ).toEqual(['Be brief.', 'hi']);
  });
});

describe('embeddings', () => {
  it('records the encoding format and dimensions the caller asked for', () => {
    const params: EmbeddingCreateParams = { model: 'text-embedding-3-small', input: 'hi', encoding_format: 'float', dimensions: 256 };
    expect(toEmbeddingsRequestAttributes(params)).toEqual({
      [ATTR_GEN_AI_REQUEST_ENCODING_FORMATS]: ['float'],
      [ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT]: 256,
    });
  });

  it('counts only text inputs', () => {
    expect(toEmbeddingsInputTexts({ model: 'm', input: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(toEmbeddingsInputTexts({ model: 'm', input: [1, 2, 3] })).toEqual([]);
  });
});
