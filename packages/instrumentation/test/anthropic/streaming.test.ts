import { SpanStatusCode } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig, setActiveConfig } from '../../src/config.js';
import { onlySpan } from '../helpers/otel.js';
import { startAnthropicServer, toMessageBody, toStreamEvents, type AnthropicServer } from '../helpers/anthropic-server.js';
import { Anthropic, createClient, ownSpans, tracing } from './load-client.js';

const SPAN_NAME = 'chat claude-haiku-4-5';
const PARAMS = {
  model: 'claude-haiku-4-5',
  max_tokens: 1024,
  messages: [{ role: 'user' as const, content: 'Where is my order?' }],
};
const EVENT_COUNT = toStreamEvents(toMessageBody()).length - 1; // the client drops pings

let server: AnthropicServer;
let client: InstanceType<typeof Anthropic>;

beforeAll(async () => {
  server = await startAnthropicServer();
  client = createClient(server.baseURL);
});
afterAll(() => server.close());
beforeEach(() => tracing.reset());
afterEach(() => setActiveConfig(resolveConfig()));

async function collect(events: AsyncIterable<unknown>): Promise<Array<{ type: string }>> {
  const collected: Array<{ type: string }> = [];
  for await (const event of events) collected.push(event as { type: string });
  return collected;
}

describe('messages.create with stream: true', () => {
  it('streams: records usage, finish reason and time to first token', async () => {
    const stream = await client.messages.create({ ...PARAMS, stream: true });
    const events = await collect(stream);

    expect(events).toHaveLength(EVENT_COUNT);
    const span = onlySpan(await tracing.spans(), SPAN_NAME);
    expect(span.attributes).toMatchObject({
      'gen_ai.request.stream': true,
      'gen_ai.response.id': 'msg_01XFDUDYJgAACzvnptvVoYEL',
      'gen_ai.response.model': 'claude-haiku-4-5-20251001',
      'gen_ai.response.finish_reasons': ['end_turn'],
      // input from message_start (100 + 2000 cache read + 500 cache write), output from message_delta
      'gen_ai.usage.input_tokens': 2600,
      'gen_ai.usage.output_tokens': 50,
      'gen_ai.usage.cache_read.input_tokens': 2000,
      'gen_ai.usage.cache_write.input_tokens': 500,
      'convotel.cost.source': 'computed',
    });
    const ttftMs = span.attributes['convotel.llm.ttft_ms'] as number;
    expect(ttftMs).toBeGreaterThan(0);
    expect(ttftMs).toBeLessThanOrEqual(hrTimeToMilliseconds(span.duration));
    expect(span.attributes['gen_ai.response.time_to_first_chunk']).toBeCloseTo(ttftMs / 1000, 9);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('keeps withResponse() working for a stream', async () => {
    const { data: stream, response } = await client.messages.create({ ...PARAMS, stream: true }).withResponse();

    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(await collect(stream)).toHaveLength(EVENT_COUNT);
    expect(onlySpan(await tracing.spans(), SPAN_NAME).attributes['gen_ai.usage.output_tokens']).toBe(50);
  });

  it('lets a teed stream be read twice', async () => {
    const stream = await client.messages.create({ ...PARAMS, stream: true });
    const [left, right] = stream.tee();

    const fromLeft = await collect(left);
    const fromRight = await collect(right);

    expect(fromLeft).toHaveLength(EVENT_COUNT);
    expect(fromRight).toEqual(fromLeft);
    const spans = ownSpans(await tracing.spans());
    expect(spans).toHaveLength(1);
    expect(spans[0]!.attributes['gen_ai.usage.output_tokens']).toBe(50);
  });

  it('fails a second read as the client does, without a second span', async () => {
    const stream = await client.messages.create({ ...PARAMS, stream: true });
    await collect(stream);

    await expect(collect(stream)).rejects.toThrow(/consumed stream/);
    const spans = ownSpans(await tracing.spans());
    expect(spans).toHaveLength(1);
    expect(spans[0]!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('ends the span once when the reader stops early', async () => {
    const stream = await client.messages.create({ ...PARAMS, stream: true });
    for await (const event of stream) {
      if (event.type === 'content_block_delta') break;
    }

    const spans = ownSpans(await tracing.spans());
    expect(spans).toHaveLength(1);
    expect(spans[0]!.status.code).toBe(SpanStatusCode.UNSET);
    // What the stream said before the break: the input side and the first token.
    expect(spans[0]!.attributes['gen_ai.usage.input_tokens']).toBe(2600);
    expect(spans[0]!.attributes['convotel.llm.ttft_ms']).toBeGreaterThan(0);
    expect(spans[0]!.attributes['gen_ai.response.finish_reasons']).toBeUndefined();
  });

  it('records a stream cut mid-way', async () => {
    // message_start, content_block_start, ping, then two text deltas; then the connection drops.
    server.reply({ kind: 'cut-stream', eventCount: 5 });
    const stream = await client.messages.create({ ...PARAMS, stream: true });

    const received: unknown[] = [];
    const error = await (async () => {
      for await (const event of stream) received.push(event);
    })().catch((err: unknown) => err);

    expect(error).toBeInstanceOf(Error);
    expect(received).toHaveLength(4);
    const span = onlySpan(await tracing.spans(), SPAN_NAME);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe((error as Error).constructor.name);
    // The input was billed before the cut: message_start's usage stays on the span.
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(2600);
    expect(span.attributes['convotel.llm.ttft_ms']).toBeGreaterThan(0);
  });

  it('captures the streamed answer, tool calls included, when capture is on', async () => {
    setActiveConfig(resolveConfig({ captureContent: true }));
    server.reply({
      kind: 'message',
      message: {
        content: [
          { type: 'text', text: 'Let me look that up.' },
          { type: 'tool_use', id: 'toolu_01A', name: 'lookup_order', input: { order_id: 'A-1001' } },
        ],
        stop_reason: 'tool_use',
      },
    });

    await collect(await client.messages.create({ ...PARAMS, stream: true }));

    const span = onlySpan(await tracing.spans(), SPAN_NAME);
    expect(JSON.parse(span.attributes['gen_ai.output.messages'] as string)).toEqual([
      {
        role: 'assistant',
        parts: [
          { type: 'text', content: 'Let me look that up.' },
          { type: 'tool_call', id: 'toolu_01A', name: 'lookup_order', arguments: { order_id: 'A-1001' } },
        ],
        finish_reason: 'tool_use',
      },
    ]);
  });
});

describe('messages.stream', () => {
  it('messages.stream() yields one span', async () => {
    const stream = client.messages.stream(PARAMS);
    const message = await stream.finalMessage();

    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Your order ships tomorrow.' });
    const spans = ownSpans(await tracing.spans());
    expect(spans).toHaveLength(1);
    expect(spans[0]!.name).toBe(SPAN_NAME);
    expect(spans[0]!.attributes['gen_ai.request.stream']).toBe(true);
    expect(spans[0]!.attributes['gen_ai.usage.input_tokens']).toBe(2600);
    expect(spans[0]!.attributes['gen_ai.usage.output_tokens']).toBe(50);
  });
});
