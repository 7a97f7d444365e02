import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveConfig, setActiveConfig } from '../../src/config.js';
import { conversation } from '../../src/index.js';
import { onlySpan } from '../helpers/otel.js';
import { REQUEST_ID, startAnthropicServer, type AnthropicServer } from '../helpers/anthropic-server.js';
import { Anthropic, createClient, instrumentation, ownSpans, tracing } from './load-client.js';

const SPAN_NAME = 'chat claude-haiku-4-5';

let server: AnthropicServer;
let client: InstanceType<typeof Anthropic>;

beforeAll(async () => {
  server = await startAnthropicServer();
  client = createClient(server.baseURL);
});
afterAll(() => server.close());
beforeEach(() => tracing.reset());
afterEach(() => {
  setActiveConfig(resolveConfig());
  instrumentation.setConfig({});
});

const PARAMS = {
  model: 'claude-haiku-4-5',
  max_tokens: 1024,
  temperature: 0.2,
  top_p: 0.9,
  top_k: 40,
  stop_sequences: ['\n\nHuman:'],
  system: 'You are a support agent. Escalate to jane.doe@example.com.',
  messages: [{ role: 'user' as const, content: 'Where is my order? Mail me at bob@example.org' }],
};

describe('messages.create', () => {
  it('records usage with cache read and write tokens', async () => {
    const message = await client.messages.create(PARAMS);

    expect(message.id).toBe('msg_01XFDUDYJgAACzvnptvVoYEL');
    const span = onlySpan(await tracing.spans(), SPAN_NAME);
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.instrumentationScope.name).toBe('@convotel/instrumentation/anthropic');
    expect(span.attributes).toMatchObject({
      'convotel.span.kind': 'llm',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-haiku-4-5',
      'gen_ai.request.max_tokens': 1024,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.top_k': 40,
      'gen_ai.request.stop_sequences': ['\n\nHuman:'],
      'server.address': '127.0.0.1',
      'server.port': server.port,
      'gen_ai.response.model': 'claude-haiku-4-5-20251001',
      'gen_ai.response.id': 'msg_01XFDUDYJgAACzvnptvVoYEL',
      'gen_ai.response.finish_reasons': ['end_turn'],
      'gen_ai.usage.output_tokens': 50,
      'gen_ai.usage.cache_read.input_tokens': 2000,
      'gen_ai.usage.cache_write.input_tokens': 500,
    });
    expect(span.attributes['gen_ai.request.stream']).toBeUndefined();
    expect(span.attributes['convotel.usage.estimated']).toBeUndefined();
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('reports input tokens including cache as OTel requires', async () => {
    await client.messages.create(PARAMS);

    const span = onlySpan(await tracing.spans(), SPAN_NAME);
    // Anthropic's input_tokens (100) leaves out the cache read (2000) and write (500).
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(2600);
  });

  it('computes cost from the price table', async () => {
    await client.messages.create(PARAMS);

    const span = onlySpan(await tracing.spans(), SPAN_NAME);
    // claude-haiku-4-5 per million tokens: $1 input, $0.10 cache read, $1.25 cache write, $5 output.
    const expectedUsd = (100 * 1 + 2000 * 0.1 + 500 * 1.25 + 50 * 5) / 1e6;
    expect(span.attributes['convotel.cost.usd']).toBeCloseTo(expectedUsd, 12);
    expect(span.attributes['convotel.cost.source']).toBe('computed');
  });

  it('keeps withResponse() working', async () => {
    const { data, response, request_id } = await client.messages.create(PARAMS).withResponse();

    expect(data.content[0]).toEqual({ type: 'text', text: 'Your order ships tomorrow.' });
    expect(response.status).toBe(200);
    expect(request_id).toBe(REQUEST_ID);
    const spans = ownSpans(await tracing.spans());
    expect(spans).toHaveLength(1);
    expect(spans[0]!.attributes['gen_ai.usage.output_tokens']).toBe(50);
  });

  it('leaves the body of asResponse() for the caller to read', async () => {
    const response = await client.messages.create(PARAMS).asResponse();

    expect(response.bodyUsed).toBe(false);
    const body = (await response.json()) as { id: string };
    expect(body.id).toBe('msg_01XFDUDYJgAACzvnptvVoYEL');
    // The body was the caller's: the span ends with what the request said, and no usage
    // (an input-only token count would understate the call).
    const span = onlySpan(await tracing.spans(), SPAN_NAME);
    expect(span.attributes['gen_ai.request.max_tokens']).toBe(1024);
    expect(span.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    expect(span.attributes['gen_ai.usage.output_tokens']).toBeUndefined();
  });

  it('ends the span of a call nobody awaits', async () => {
    void client.messages.create(PARAMS);

    await vi.waitFor(async () => expect(ownSpans(await tracing.spans())).toHaveLength(1));
    expect(onlySpan(await tracing.spans(), SPAN_NAME).attributes['gen_ai.usage.output_tokens']).toBe(50);
  });

  it("records a 429 as an error span and rethrows the client's RateLimitError", async () => {
    server.reply({ kind: 'error', status: 429, errorType: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' });

    const error = await client.messages.create(PARAMS).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect((error as InstanceType<typeof Anthropic.RateLimitError>).status).toBe(429);
    const span = onlySpan(await tracing.spans(), SPAN_NAME);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('RateLimitError');
    expect(span.events.find((event) => event.name === 'exception')?.attributes?.['exception.message']).toBe(
      (error as Error).message,
    );
    // Nothing was billed: no usage, no cost, no counted tokens.
    expect(span.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    expect(span.attributes['convotel.cost.usd']).toBeUndefined();
  });

  it('records a timeout', async () => {
    server.reply({ kind: 'slow', delayMs: 5_000 });

    const error = await client.messages.create(PARAMS, { timeout: 100 }).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
    const span = onlySpan(await tracing.spans(), SPAN_NAME);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('APIConnectionTimeoutError');
  });

  it('captures redacted content only when capture is on', async () => {
    await client.messages.create(PARAMS);
    const uncaptured = onlySpan(await tracing.spans(), SPAN_NAME);
    expect(uncaptured.attributes['gen_ai.input.messages']).toBeUndefined();
    expect(uncaptured.attributes['gen_ai.output.messages']).toBeUndefined();
    expect(uncaptured.attributes['gen_ai.system_instructions']).toBeUndefined();

    tracing.reset();
    setActiveConfig(resolveConfig({ captureContent: true }));
    await client.messages.create(PARAMS);

    const span = onlySpan(await tracing.spans(), SPAN_NAME);
    expect(JSON.parse(span.attributes['gen_ai.input.messages'] as string)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Where is my order? Mail me at [REDACTED_EMAIL]' }] },
    ]);
    expect(JSON.parse(span.attributes['gen_ai.system_instructions'] as string)).toEqual([
      { type: 'text', content: 'You are a support agent. Escalate to [REDACTED_EMAIL].' },
    ]);
    expect(JSON.parse(span.attributes['gen_ai.output.messages'] as string)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Your order ships tomorrow.' }], finish_reason: 'end_turn' },
    ]);
  });

  it('lets captureMessageContent: false keep content off for this client', async () => {
    setActiveConfig(resolveConfig({ captureContent: true }));
    instrumentation.setConfig({ captureMessageContent: false });

    await client.messages.create(PARAMS);

    const span = onlySpan(await tracing.spans(), SPAN_NAME);
    expect(span.attributes['gen_ai.input.messages']).toBeUndefined();
    expect(span.attributes['gen_ai.output.messages']).toBeUndefined();
  });

  it('stamps the conversation id on calls made inside a conversation', async () => {
    await conversation({ conversationId: 'conv-42', userId: 'user-7' }, (call) =>
      call.turn({}, () => client.messages.create(PARAMS)),
    );

    const spans = await tracing.spans();
    const llm = onlySpan(spans, SPAN_NAME);
    const turnSpan = onlySpan(spans, 'turn');
    expect(llm.attributes['gen_ai.conversation.id']).toBe('conv-42');
    expect(llm.attributes['user.id']).toBe('user-7');
    expect(llm.parentSpanContext?.spanId).toBe(turnSpan.spanContext().spanId);
    expect(llm.spanContext().traceId).toBe(turnSpan.spanContext().traceId);
  });

  it('records nothing once disabled', async () => {
    instrumentation.disable();
    try {
      const message = await client.messages.create(PARAMS);
      expect(message.id).toBe('msg_01XFDUDYJgAACzvnptvVoYEL');
      expect(ownSpans(await tracing.spans())).toHaveLength(0);
    } finally {
      instrumentation.enable();
    }
  });
});
