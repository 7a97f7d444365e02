import { ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT, ATTR_GEN_AI_OUTPUT_MESSAGES } from '@convotel/semconv';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import type { Response as ResponsesResponse } from 'openai/resources/responses/responses';
import { describe, expect, it } from 'vitest';
import {
  toChatResponse,
  toChatUsage,
  toEmbeddingsResponse,
  toResponsesFinishReason,
  toResponsesResponse,
  toResponsesUsage,
} from '../../src/openai/map-response.js';

const capture = (value: unknown): string => JSON.stringify(value);

const completion = (extra: Partial<ChatCompletion> = {}): ChatCompletion =>
  ({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 0,
    model: 'gpt-4o-2024-08-06',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello', refusal: null }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 },
    ...extra,
  }) as ChatCompletion;

const response = (extra: Partial<ResponsesResponse> = {}): ResponsesResponse =>
  ({
    id: 'resp_1',
    model: 'gpt-4o-2024-08-06',
    status: 'completed',
    incomplete_details: null,
    output: [{ type: 'message', id: 'm', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Hi', annotations: [] }] }],
    usage: { input_tokens: 5, output_tokens: 1, total_tokens: 6, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } },
    ...extra,
  }) as ResponsesResponse;

describe('usage', () => {
  it('keeps cached tokens inside input tokens, as OTel counts them', () => {
    expect(
      toChatUsage({
        prompt_tokens: 100,
        completion_tokens: 20,
        total_tokens: 120,
        prompt_tokens_details: { cached_tokens: 60 },
        completion_tokens_details: { reasoning_tokens: 5 },
      }),
    ).toEqual({ inputTokens: 100, outputTokens: 20, cacheReadInputTokens: 60, reasoningOutputTokens: 5 });
  });

  it('maps Responses usage details', () => {
    expect(
      toResponsesUsage({
        input_tokens: 50,
        output_tokens: 10,
        total_tokens: 60,
        input_tokens_details: { cached_tokens: 20, cache_write_tokens: 5 },
        output_tokens_details: { reasoning_tokens: 4 },
      }),
    ).toEqual({ inputTokens: 50, outputTokens: 10, cacheReadInputTokens: 20, cacheWriteInputTokens: 5, reasoningOutputTokens: 4 });
  });

  it('reports no usage when the answer has none', () => {
    expect(toChatUsage(undefined)).toBeUndefined();
    expect(toChatUsage(null)).toBeUndefined();
    expect(toResponsesUsage(undefined)).toBeUndefined();
  });
});

describe('toChatResponse', () => {
  it('maps id, model, finish reasons and usage', () => {
    const mapped = toChatResponse(completion());
    expect(mapped).toMatchObject({
      responseId: 'chatcmpl-1',
      responseModel: 'gpt-4o-2024-08-06',
      finishReasons: ['stop'],
      usage: { inputTokens: 10, outputTokens: 2 },
    });
    expect(mapped.outputTexts?.()).toEqual(['Hello']);
    expect(mapped.attributes).toBeUndefined();
  });

  it('captures one output message per choice, tool calls with parsed arguments', () => {
    const mapped = toChatResponse(
      completion({
        choices: [
          { index: 0, message: { role: 'assistant', content: 'A', refusal: null }, finish_reason: 'stop', logprobs: null },
          {
            index: 1,
            message: {
              role: 'assistant',
              content: null,
              refusal: null,
              tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"id":1}' } }],
            },
            finish_reason: 'tool_calls',
            logprobs: null,
          },
        ],
      }),
      { capture },
    );

    expect(mapped.finishReasons).toEqual(['stop', 'tool_calls']);
    expect(JSON.parse(mapped.attributes?.[ATTR_GEN_AI_OUTPUT_MESSAGES] as string)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'A' }], finish_reason: 'stop' },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'lookup', arguments: { id: 1 } }], finish_reason: 'tool_calls' },
    ]);
    expect(mapped.outputTexts?.()).toEqual(['A', 'lookup{"id":1}']);
  });

  it('copes with a body that lacks choices', () => {
    expect(toChatResponse({ id: 'x', model: 'm' } as ChatCompletion)).toMatchObject({ responseId: 'x', finishReasons: [] });
  });
});

describe('toResponsesResponse', () => {
  it('folds the output items into one answer', () => {
    const mapped = toResponsesResponse(response(), { capture });
    expect(mapped).toMatchObject({ responseId: 'resp_1', finishReasons: ['stop'], usage: { inputTokens: 5, outputTokens: 1 } });
    expect(JSON.parse(mapped.attributes?.[ATTR_GEN_AI_OUTPUT_MESSAGES] as string)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Hi' }], finish_reason: 'stop' },
    ]);
  });

  it('reads finish reasons from status, incompleteness and function calls', () => {
    const functionCall = { type: 'function_call', id: 'fc', call_id: 'c', name: 'f', arguments: '{}' } as ResponsesResponse['output'][number];
    expect(toResponsesFinishReason(response({ output: [functionCall] }))).toBe('tool_calls');
    expect(toResponsesFinishReason(response({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }))).toBe('length');
    expect(toResponsesFinishReason(response({ status: 'incomplete', incomplete_details: { reason: 'content_filter' } }))).toBe('content_filter');
    expect(toResponsesFinishReason(response({ status: 'failed' }))).toBe('error');
    expect(toResponsesFinishReason(response({ status: 'in_progress' }))).toBeUndefined();
  });
});

describe('toEmbeddingsResponse', () => {
  const result = (embedding: unknown): CreateEmbeddingResponse =>
    ({
      object: 'list',
      model: 'text-embedding-3-small',
      data: [{ object: 'embedding', index: 0, embedding }],
      usage: { prompt_tokens: 7, total_tokens: 7 },
    }) as CreateEmbeddingResponse;

  it('bills input tokens only and records the dimension', () => {
    expect(toEmbeddingsResponse(result([0.1, 0.2, 0.3]))).toEqual({
      responseModel: 'text-embedding-3-small',
      usage: { inputTokens: 7, outputTokens: 0 },
      attributes: { [ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT]: 3 },
    });
  });

  it('records no dimension for a still-encoded base64 vector', () => {
    expect(toEmbeddingsResponse(result('AAAAAAAAAAA=')).attributes).toBeUndefined();
  });
});
