import { ATTR_GEN_AI_OUTPUT_MESSAGES } from '@convotel/semconv';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { describe, expect, it } from 'vitest';
import {
  createChatStreamAccumulator,
  createResponsesStreamAccumulator,
  observeIterator,
  type StreamHooks,
} from '../../src/openai/stream.js';

const capture = (value: unknown): string => JSON.stringify(value);

const chunk = (choices: unknown[], extra: Partial<ChatCompletionChunk> = {}): ChatCompletionChunk =>
  ({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 0, model: 'gpt-4o-2024-08-06', choices, ...extra }) as ChatCompletionChunk;

const event = (value: Record<string, unknown>): ResponseStreamEvent => value as unknown as ResponseStreamEvent;

describe('createChatStreamAccumulator', () => {
  it('joins text per choice and takes usage from the last chunk', () => {
    const accumulator = createChatStreamAccumulator();
    accumulator.add(chunk([{ index: 0, delta: { role: 'assistant', content: '' } }]));
    accumulator.add(chunk([{ index: 0, delta: { content: 'Hel' } }, { index: 1, delta: { content: 'Bon' } }]));
    accumulator.add(chunk([{ index: 0, delta: { content: 'lo' }, finish_reason: 'stop' }, { index: 1, delta: { content: 'jour' }, finish_reason: 'length' }]));
    accumulator.add(chunk([], { usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 } }));

    const response = accumulator.toResponse({ capture });
    expect(response).toMatchObject({
      responseId: 'chatcmpl-1',
      responseModel: 'gpt-4o-2024-08-06',
      finishReasons: ['stop', 'length'],
      usage: { inputTokens: 9, outputTokens: 4 },
    });
    expect(response.outputTexts?.()).toEqual(['Hello', 'Bonjour']);
    expect(JSON.parse(response.attributes?.[ATTR_GEN_AI_OUTPUT_MESSAGES] as string)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Hello' }], finish_reason: 'stop' },
      { role: 'assistant', parts: [{ type: 'text', content: 'Bonjour' }], finish_reason: 'length' },
    ]);
  });

  it('assembles tool calls from their argument fragments', () => {
    const accumulator = createChatStreamAccumulator();
    accumulator.add(chunk([{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '' } }] } }]));
    accumulator.add(chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"id"' } }] } }]));
    accumulator.add(chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: ':1}' } }] } }]));
    accumulator.add(chunk([{ index: 0, delta: { tool_calls: [{ index: 1, id: 'call_2', type: 'function', function: { name: 'notify', arguments: '{}' } }] }, finish_reason: 'tool_calls' }]));

    const [message] = JSON.parse(accumulator.toResponse({ capture }).attributes?.[ATTR_GEN_AI_OUTPUT_MESSAGES] as string) as Array<{
      parts: unknown[];
    }>;
    expect(message?.parts).toEqual([
      { type: 'tool_call', id: 'call_1', name: 'lookup', arguments: { id: 1 } },
      { type: 'tool_call', id: 'call_2', name: 'notify', arguments: {} },
    ]);
  });

  it('has no usage and no output before any text arrives', () => {
    const response = createChatStreamAccumulator().toResponse();
    expect(response.usage).toBeUndefined();
    expect(response.outputTexts).toBeUndefined();
  });
});

describe('createResponsesStreamAccumulator', () => {
  it('takes the answer from response.completed', () => {
    const accumulator = createResponsesStreamAccumulator();
    expect(accumulator.add(event({ type: 'response.created', response: { id: 'resp_1', model: 'gpt-4o', status: 'in_progress', output: [] } }))).toBe(false);
    expect(accumulator.add(event({ type: 'response.output_text.delta', item_id: 'm', delta: 'Hi' }))).toBe(true);
    accumulator.add(
      event({
        type: 'response.completed',
        response: {
          id: 'resp_1',
          model: 'gpt-4o-2024-08-06',
          status: 'completed',
          output: [{ type: 'message', content: [{ type: 'output_text', text: 'Hi' }] }],
          usage: { input_tokens: 3, output_tokens: 1, total_tokens: 4 },
        },
      }),
    );

    expect(accumulator.toResponse()).toMatchObject({
      responseId: 'resp_1',
      responseModel: 'gpt-4o-2024-08-06',
      finishReasons: ['stop'],
      usage: { inputTokens: 3, outputTokens: 1 },
    });
  });

  it('keeps the deltas of a stream cut before it completed', () => {
    const accumulator = createResponsesStreamAccumulator();
    accumulator.add(event({ type: 'response.created', response: { id: 'resp_1', model: 'gpt-4o', status: 'in_progress', output: [] } }));
    accumulator.add(event({ type: 'response.output_text.delta', item_id: 'm', delta: 'Hel' }));
    accumulator.add(event({ type: 'response.output_item.added', item: { type: 'function_call', id: 'fc', call_id: 'c', name: 'f', arguments: '' } }));
    accumulator.add(event({ type: 'response.function_call_arguments.delta', item_id: 'fc', delta: '{"a"' }));

    const response = accumulator.toResponse();
    expect(response).toMatchObject({ responseId: 'resp_1', responseModel: 'gpt-4o', finishReasons: [] });
    expect(response.usage).toBeUndefined();
    expect(response.outputTexts?.()).toEqual(['Helf{"a"']);
  });
});

async function* numbers(count: number, failAt?: number): AsyncGenerator<number> {
  for (let i = 0; i < count; i++) {
    if (i === failAt) throw new Error('cut');
    yield i;
  }
}

function recordHooks(): StreamHooks<number> & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    onChunk: (chunk) => void calls.push(`chunk ${chunk}`),
    onDone: () => void calls.push('done'),
    onError: (error) => void calls.push(`error ${(error as Error).message}`),
    onAbandon: () => void calls.push('abandon'),
  };
}

describe('observeIterator', () => {
  it('yields every chunk unchanged and reports the end once', async () => {
    const hooks = recordHooks();
    const seen: number[] = [];
    for await (const n of observeIterator(numbers(3), hooks)) seen.push(n);

    expect(seen).toEqual([0, 1, 2]);
    expect(hooks.calls).toEqual(['chunk 0', 'chunk 1', 'chunk 2', 'done']);
  });

  it('reports and rethrows the error of a failing stream', async () => {
    const hooks = recordHooks();
    const consume = async (): Promise<void> => {
      for await (const _n of observeIterator(numbers(3, 1), hooks));
    };

    await expect(consume()).rejects.toThrow('cut');
    expect(hooks.calls).toEqual(['chunk 0', 'error cut']);
  });

  it('reports an early break and closes the source', async () => {
    const hooks = recordHooks();
    const source = numbers(5);
    for await (const n of observeIterator(source, hooks)) if (n === 1) break;

    expect(hooks.calls).toEqual(['chunk 0', 'chunk 1', 'abandon']);
    expect(await source.next()).toEqual({ done: true, value: undefined });
  });

  it('keeps the stream going when a hook throws', async () => {
    const seen: number[] = [];
    const hooks = { ...recordHooks(), onChunk: () => { throw new Error('telemetry bug'); } };
    for await (const n of observeIterator(numbers(2), hooks)) seen.push(n);

    expect(seen).toEqual([0, 1]);
  });
});
