import { diag, DiagLogLevel, SpanStatusCode } from '@opentelemetry/api';
import {
  ATTR_CONVOTEL_COST_USD,
  ATTR_CONVOTEL_LLM_TTFT_MS,
  ATTR_CONVOTEL_USAGE_ESTIMATED,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
} from '@convotel/semconv';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, setActiveConfig } from '../../src/config.js';
import {
  CHAT_MODEL,
  CHAT_USAGE,
  REPLY_PIECES,
  REPLY_TEXT,
  startOpenAIServer,
  TOOL_CALL,
  type OpenAIServer,
} from '../helpers/openai-server.js';
import { onlySpan } from '../helpers/otel.js';
import { createClient, openai, scenario, tracing } from './load-client.js';

const SPAN_NAME = 'chat gpt-4o-mini';
const messages = [
  { role: 'system' as const, content: 'You are terse.' },
  { role: 'user' as const, content: 'Where is my order? Reply to bob@example.com' },
];

let server: OpenAIServer;
let client: InstanceType<typeof openai.OpenAI>;

beforeAll(async () => {
  server = await startOpenAIServer();
  client = createClient(server.baseURL);
});
afterAll(() => server.close());
afterEach(() => {
  tracing.reset();
  setActiveConfig(resolveConfig({ captureContent: false }));
});

async function onlyChatSpan(): Promise<ReadableSpan> {
  return onlySpan(await tracing.spans(), SPAN_NAME);
}

async function readAll(stream: AsyncIterable<{ choices: Array<{ delta?: { content?: string | null } }> }>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  return text;
}

describe('streamed chat completions', () => {
  it('records a streamed chat with usage and time to first chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });

    expect(await readAll(stream)).toBe(REPLY_TEXT);
    const span = await onlyChatSpan();
    expect(span.attributes).toMatchObject({
      [ATTR_GEN_AI_REQUEST_STREAM]: true,
      [ATTR_GEN_AI_RESPONSE_ID]: 'chatcmpl-test-1',
      [ATTR_GEN_AI_RESPONSE_MODEL]: CHAT_MODEL,
      [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: ['stop'],
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: CHAT_USAGE.prompt_tokens,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: CHAT_USAGE.completion_tokens,
      [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: CHAT_USAGE.prompt_tokens_details.cached_tokens,
    });
    expect(span.attributes[ATTR_CONVOTEL_USAGE_ESTIMATED]).toBeUndefined();
    const ttftMs = span.attributes[ATTR_CONVOTEL_LLM_TTFT_MS] as number;
    expect(ttftMs).toBeGreaterThan(0);
    expect(span.attributes[ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK]).toBeCloseTo(ttftMs / 1000);
  });

  it('counts tokens when a stream reports no usage', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });

    expect(await readAll(stream)).toBe(REPLY_TEXT);
    const span = await onlyChatSpan();
    expect(span.attributes[ATTR_CONVOTEL_USAGE_ESTIMATED]).toBe(true);
    expect(span.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBeGreaterThan(10);
    expect(span.attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]).toBeGreaterThan(3);
    expect(span.attributes[ATTR_CONVOTEL_COST_USD]).toBeGreaterThan(0);
  });

  it('counts the messages as sent even when the caller appends to them meanwhile', async () => {
    const inputTokens = async (append: boolean): Promise<unknown> => {
      tracing.reset();
      const history = [...messages];
      const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: history, stream: true });
      for await (const _chunk of stream) {
        if (append) history.push({ role: 'user', content: 'a much longer follow-up question '.repeat(20) });
      }
      return (await onlyChatSpan()).attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS];
    };

    expect(await inputTokens(true)).toBe(await inputTokens(false));
  });

  it('lets a teed stream be read twice', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const [left, right] = stream.tee();

    expect(await readAll(left)).toBe(REPLY_TEXT);
    expect(await readAll(right)).toBe(REPLY_TEXT);
    const span = await onlyChatSpan();
    expect(span.attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]).toBe(CHAT_USAGE.completion_tokens);
  });

  it('ends a stream span when the loop breaks early', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });

    let chunks = 0;
    for await (const _chunk of stream) {
      if (++chunks === 2) break;
    }

    const span = await onlyChatSpan();
    expect(span.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(span.attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS]).toBeUndefined();
    expect(stream.controller.signal.aborted).toBe(true);
  });

  it('ends the span once when a stream is iterated twice', async () => {
    const warnings: string[] = [];
    const record = (message: string): void => void warnings.push(message);
    diag.setLogger({ error: record, warn: record, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
    try {
      const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });

      expect(await readAll(stream)).toBe(REPLY_TEXT);
      await expect(readAll(stream)).rejects.toThrow(/consumed stream/);
      const span = await onlyChatSpan();
      expect(span.status.code).not.toBe(SpanStatusCode.ERROR);
      // A second end() or setStatus() on the ended span would be reported here.
      expect(warnings).toEqual([]);
    } finally {
      diag.disable();
    }
  });

  it('records a stream cut mid-way', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }, scenario('cut'));

    let text = '';
    const error = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    })().then(() => undefined, (err: unknown) => err);

    expect(error).toBeInstanceOf(Error);
    expect(text).toBe(REPLY_PIECES.slice(0, 2).join(''));
    const span = await onlyChatSpan();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes[ATTR_ERROR_TYPE]).toBe((error as Error).constructor.name);
    // What arrived before the cut was generated, so it is counted.
    expect(span.attributes[ATTR_CONVOTEL_USAGE_ESTIMATED]).toBe(true);
    expect(span.attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]).toBeGreaterThan(0);
  });

  it('keeps withResponse() working on a stream', async () => {
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } })
      .withResponse();

    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(await readAll(stream)).toBe(REPLY_TEXT);
    expect((await onlyChatSpan()).attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBe(CHAT_USAGE.prompt_tokens);
  });

  it('records a call made through chat.completions.stream()', async () => {
    const runner = client.chat.completions.stream({ model: 'gpt-4o-mini', messages, stream_options: { include_usage: true } });

    const final = await runner.finalChatCompletion();

    expect(final.choices[0]?.message.content).toBe(REPLY_TEXT);
    const span = await onlyChatSpan();
    expect(span.attributes[ATTR_GEN_AI_REQUEST_STREAM]).toBe(true);
    expect(span.attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]).toBe(CHAT_USAGE.completion_tokens);
  });

  it('records streamed tool calls', async () => {
    setActiveConfig(resolveConfig({ captureContent: true }));
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }, scenario('tool-call'));

    await readAll(stream);

    const span = await onlyChatSpan();
    expect(span.attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS]).toEqual(['tool_calls']);
    const [output] = JSON.parse(span.attributes[ATTR_GEN_AI_OUTPUT_MESSAGES] as string) as Array<{ parts: unknown[] }>;
    expect(output?.parts).toEqual([{ type: 'tool_call', id: TOOL_CALL.id, name: TOOL_CALL.name, arguments: { order_id: 'A1' } }]);
  });
});
