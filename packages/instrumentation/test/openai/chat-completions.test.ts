import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  ATTR_CONVOTEL_COST_SOURCE,
  ATTR_CONVOTEL_COST_USD,
  ATTR_CONVOTEL_SPAN_KIND,
  ATTR_CONVOTEL_USAGE_ESTIMATED,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_OUTPUT_TYPE,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_CHOICE_COUNT,
  ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY,
  ATTR_GEN_AI_REQUEST_SEED,
  ATTR_GEN_AI_REQUEST_STOP_SEQUENCES,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_P,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '@convotel/semconv';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, setActiveConfig } from '../../src/config.js';
import { conversation, turn } from '../../src/index.js';
import {
  CHAT_MODEL,
  CHAT_USAGE,
  JSON_REPLY,
  REPLY_TEXT,
  REQUEST_ID,
  startOpenAIServer,
  TOOL_CALL,
  type OpenAIServer,
} from '../helpers/openai-server.js';
import { onlySpan } from '../helpers/otel.js';
import { createClient, instrumentation, openai, scenario, tracing } from './load-client.js';

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
  instrumentation.setConfig({});
});

async function onlyChatSpan(): Promise<ReadableSpan> {
  return onlySpan(await tracing.spans(), SPAN_NAME);
}

/** Waits for spans that end without the caller awaiting anything. */
async function waitForSpans(count: number): Promise<ReadableSpan[]> {
  for (let i = 0; i < 100; i++) {
    const spans = await tracing.spans();
    if (spans.length >= count) return spans;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`expected ${count} spans`);
}

async function readAll(stream: AsyncIterable<{ choices: Array<{ delta?: { content?: string | null } }> }>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  return text;
}

describe('chat.completions.create', () => {
  it('records usage and cost of a chat completion', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });

    expect(completion.choices[0]?.message.content).toBe(REPLY_TEXT);
    const span = await onlyChatSpan();
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(span.attributes).toMatchObject({
      [ATTR_CONVOTEL_SPAN_KIND]: 'llm',
      [ATTR_GEN_AI_OPERATION_NAME]: 'chat',
      [ATTR_GEN_AI_PROVIDER_NAME]: 'openai',
      [ATTR_GEN_AI_REQUEST_MODEL]: 'gpt-4o-mini',
      [ATTR_GEN_AI_RESPONSE_MODEL]: CHAT_MODEL,
      [ATTR_GEN_AI_RESPONSE_ID]: 'chatcmpl-test-1',
      [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: ['stop'],
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: CHAT_USAGE.prompt_tokens,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: CHAT_USAGE.completion_tokens,
      [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: CHAT_USAGE.prompt_tokens_details.cached_tokens,
      [ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS]: CHAT_USAGE.completion_tokens_details.reasoning_tokens,
      [ATTR_SERVER_ADDRESS]: '127.0.0.1',
      [ATTR_SERVER_PORT]: server.port,
      [ATTR_CONVOTEL_COST_SOURCE]: 'computed',
    });
    expect(span.attributes[ATTR_CONVOTEL_COST_USD]).toBeGreaterThan(0);
    expect(span.attributes[ATTR_CONVOTEL_USAGE_ESTIMATED]).toBeUndefined();
    expect(span.attributes[ATTR_GEN_AI_REQUEST_STREAM]).toBeUndefined();
  });

  it('records the request parameters', async () => {
    await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      temperature: 0.2,
      top_p: 0.9,
      max_completion_tokens: 64,
      frequency_penalty: 0.5,
      presence_penalty: -0.5,
      stop: 'END',
      seed: 7,
      n: 2,
      response_format: { type: 'json_object' },
    });

    const span = await onlyChatSpan();
    expect(span.attributes).toMatchObject({
      [ATTR_GEN_AI_REQUEST_TEMPERATURE]: 0.2,
      [ATTR_GEN_AI_REQUEST_TOP_P]: 0.9,
      [ATTR_GEN_AI_REQUEST_MAX_TOKENS]: 64,
      [ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY]: 0.5,
      [ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY]: -0.5,
      [ATTR_GEN_AI_REQUEST_STOP_SEQUENCES]: ['END'],
      [ATTR_GEN_AI_REQUEST_SEED]: 7,
      [ATTR_GEN_AI_REQUEST_CHOICE_COUNT]: 2,
      [ATTR_GEN_AI_OUTPUT_TYPE]: 'json',
      [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: ['stop', 'stop'],
    });
  });

  it('returns the client’s own APIPromise', async () => {
    const promise = client.chat.completions.create({ model: 'gpt-4o-mini', messages });

    expect(promise).toBeInstanceOf(openai.APIPromise);
    const completion = await promise;
    expect(completion.id).toBe('chatcmpl-test-1');
    expect(completion._request_id).toBe(REQUEST_ID);
  });

  it('keeps withResponse() working', async () => {
    const { data, response, request_id } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages })
      .withResponse();

    expect(data.choices[0]?.message.content).toBe(REPLY_TEXT);
    expect(response.status).toBe(200);
    expect(request_id).toBe(REQUEST_ID);
    expect((await onlyChatSpan()).attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBe(CHAT_USAGE.prompt_tokens);
  });

  it('leaves the body of asResponse() unread for the caller', async () => {
    const response = await client.chat.completions.create({ model: 'gpt-4o-mini', messages }).asResponse();

    expect(response.bodyUsed).toBe(false);
    const body = (await response.json()) as { id: string };
    expect(body.id).toBe('chatcmpl-test-1');
    // The span still learns the usage, from a copy of the body.
    const span = await onlyChatSpan();
    expect(span.attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]).toBe(CHAT_USAGE.completion_tokens);
    expect(span.attributes[ATTR_GEN_AI_RESPONSE_ID]).toBe('chatcmpl-test-1');
  });

  it('keeps chat.completions.parse() working', async () => {
    const completion = await client.chat.completions.parse({
      model: 'gpt-4o-mini',
      messages,
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'answer',
          strict: true,
          schema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false },
        },
      },
    });

    expect(completion.choices[0]?.message.parsed).toEqual(JSON_REPLY);
    const span = await onlyChatSpan();
    expect(span.attributes[ATTR_GEN_AI_OUTPUT_TYPE]).toBe('json');
    expect(span.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBe(CHAT_USAGE.prompt_tokens);
  });

  it('records a call nobody awaits', async () => {
    void client.chat.completions.create({ model: 'gpt-4o-mini', messages });

    const [span] = await waitForSpans(1);
    expect(span?.name).toBe(SPAN_NAME);
    expect(span?.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBe(CHAT_USAGE.prompt_tokens);
  });

  it('records tool calls the model asks for', async () => {
    setActiveConfig(resolveConfig({ captureContent: true }));

    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages }, scenario('tool-call'));

    expect(completion.choices[0]?.message.tool_calls?.[0]?.id).toBe(TOOL_CALL.id);
    const span = await onlyChatSpan();
    expect(span.attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS]).toEqual(['tool_calls']);
    expect(JSON.parse(span.attributes[ATTR_GEN_AI_OUTPUT_MESSAGES] as string)).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: TOOL_CALL.id, name: TOOL_CALL.name, arguments: { order_id: 'A1' } }],
        finish_reason: 'tool_calls',
      },
    ]);
  });

  it('counts tokens when the answer reports no usage', async () => {
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages }, scenario('no-usage'));

    const span = await onlyChatSpan();
    expect(span.attributes[ATTR_CONVOTEL_USAGE_ESTIMATED]).toBe(true);
    expect(span.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBeGreaterThan(10);
    expect(span.attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]).toBeGreaterThan(3);
  });
});

describe('errors', () => {
  it('records a 429 as an error span and rethrows the client’s RateLimitError', async () => {
    const error = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages }, scenario('rate-limit'))
      .then(() => undefined, (err: unknown) => err);

    expect(error).toBeInstanceOf(openai.RateLimitError);
    expect((error as InstanceType<typeof openai.RateLimitError>).status).toBe(429);
    const span = await onlyChatSpan();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes[ATTR_ERROR_TYPE]).toBe('RateLimitError');
    expect(span.events.map((e) => e.name)).toContain('exception');
    // A refused call used no tokens: nothing counted, nothing priced.
    expect(span.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBeUndefined();
    expect(span.attributes[ATTR_CONVOTEL_COST_USD]).toBeUndefined();
  });

  it('records a client timeout as an error span', async () => {
    const impatient = createClient(server.baseURL, { timeout: 100 });

    await expect(
      impatient.chat.completions.create({ model: 'gpt-4o-mini', messages }, scenario('slow')),
    ).rejects.toBeInstanceOf(openai.APIConnectionTimeoutError);

    const span = await onlyChatSpan();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes[ATTR_ERROR_TYPE]).toBe('APIConnectionTimeoutError');
  });

  it('records an unreadable answer as an error span', async () => {
    await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages }, scenario('bad-json'))).rejects.toThrow();

    const span = await onlyChatSpan();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });
});

describe('content capture', () => {
  const contentKeys = [ATTR_GEN_AI_INPUT_MESSAGES, ATTR_GEN_AI_OUTPUT_MESSAGES, ATTR_GEN_AI_SYSTEM_INSTRUCTIONS];

  it('captures redacted content only when capture is on', async () => {
    setActiveConfig(resolveConfig({ captureContent: true }));
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    const captured = await onlyChatSpan();

    expect(JSON.parse(captured.attributes[ATTR_GEN_AI_INPUT_MESSAGES] as string)).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'You are terse.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'Where is my order? Reply to [REDACTED_EMAIL]' }] },
    ]);
    expect(JSON.parse(captured.attributes[ATTR_GEN_AI_OUTPUT_MESSAGES] as string)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Sure, I emailed [REDACTED_EMAIL] today.' }], finish_reason: 'stop' },
    ]);

    tracing.reset();
    setActiveConfig(resolveConfig({ captureContent: false }));
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    const plain = await onlyChatSpan();
    for (const key of contentKeys) expect(plain.attributes[key]).toBeUndefined();
  });

  it('captures streamed output', async () => {
    setActiveConfig(resolveConfig({ captureContent: true }));
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });

    await readAll(stream);

    const span = await onlyChatSpan();
    expect(JSON.parse(span.attributes[ATTR_GEN_AI_OUTPUT_MESSAGES] as string)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Sure, I emailed [REDACTED_EMAIL] today.' }], finish_reason: 'stop' },
    ]);
  });

  it('lets the instrumentation turn capture off when the global setting is on', async () => {
    setActiveConfig(resolveConfig({ captureContent: true }));
    instrumentation.setConfig({ captureMessageContent: false });

    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });

    const span = await onlyChatSpan();
    for (const key of contentKeys) expect(span.attributes[key]).toBeUndefined();
  });

  it('lets the instrumentation turn capture on when the global setting is off', async () => {
    setActiveConfig(resolveConfig({ captureContent: false }));
    instrumentation.setConfig({ captureMessageContent: true });

    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });

    const span = await onlyChatSpan();
    expect(span.attributes[ATTR_GEN_AI_OUTPUT_MESSAGES]).toBeDefined();
    expect(span.attributes[ATTR_GEN_AI_INPUT_MESSAGES]).toBeDefined();
  });
});

describe('context', () => {
  it('stamps the conversation id on calls made inside a conversation', async () => {
    await conversation({ conversationId: 'conv-42' }, () =>
      turn({}, () => client.chat.completions.create({ model: 'gpt-4o-mini', messages })),
    );

    const spans = await tracing.spans();
    const span = onlySpan(spans, SPAN_NAME);
    expect(span.attributes[ATTR_GEN_AI_CONVERSATION_ID]).toBe('conv-42');
    expect(span.parentSpanContext?.spanId).toBe(onlySpan(spans, 'turn').spanContext().spanId);
  });

  it('leaves calls untraced while the instrumentation is disabled', async () => {
    instrumentation.disable();
    try {
      const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
      expect(completion.id).toBe('chatcmpl-test-1');
    } finally {
      instrumentation.enable();
    }
    expect(await tracing.spans()).toEqual([]);

    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(await tracing.spans()).toHaveLength(1);
  });
});
