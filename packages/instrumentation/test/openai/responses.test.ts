import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  ATTR_CONVOTEL_COST_USD,
  ATTR_CONVOTEL_LLM_TTFT_MS,
  ATTR_CONVOTEL_USAGE_ESTIMATED,
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_OUTPUT_TYPE,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
} from '@convotel/semconv';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, setActiveConfig } from '../../src/config.js';
import {
  CHAT_MODEL,
  JSON_REPLY,
  REPLY_PIECES,
  REPLY_TEXT,
  REQUEST_ID,
  RESPONSES_USAGE,
  startOpenAIServer,
  type OpenAIServer,
} from '../helpers/openai-server.js';
import { onlySpan } from '../helpers/otel.js';
import { createClient, openai, scenario, tracing } from './load-client.js';

const SPAN_NAME = 'chat gpt-4o-mini';
const params = { model: 'gpt-4o-mini', instructions: 'You are terse.', input: 'Where is my order?' };

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

async function onlyResponsesSpan(): Promise<ReadableSpan> {
  return onlySpan(await tracing.spans(), SPAN_NAME);
}

async function readText(stream: AsyncIterable<{ type: string; delta?: unknown }>): Promise<string> {
  let text = '';
  for await (const event of stream) if (event.type === 'response.output_text.delta') text += String(event.delta);
  return text;
}

describe('responses.create', () => {
  it('records usage and cost of a Responses call', async () => {
    const response = await client.responses.create({ ...params, temperature: 0.3, max_output_tokens: 100 });

    expect(response.output_text).toBe(REPLY_TEXT);
    const span = await onlyResponsesSpan();
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes).toMatchObject({
      [ATTR_GEN_AI_OPERATION_NAME]: 'chat',
      [ATTR_GEN_AI_PROVIDER_NAME]: 'openai',
      [ATTR_GEN_AI_REQUEST_TEMPERATURE]: 0.3,
      [ATTR_GEN_AI_REQUEST_MAX_TOKENS]: 100,
      [ATTR_GEN_AI_RESPONSE_ID]: 'resp_test_1',
      [ATTR_GEN_AI_RESPONSE_MODEL]: CHAT_MODEL,
      [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: ['stop'],
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: RESPONSES_USAGE.input_tokens,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: RESPONSES_USAGE.output_tokens,
      [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: RESPONSES_USAGE.input_tokens_details.cached_tokens,
      [ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS]: RESPONSES_USAGE.output_tokens_details.reasoning_tokens,
    });
    expect(span.attributes[ATTR_CONVOTEL_COST_USD]).toBeGreaterThan(0);
  });

  it('keeps withResponse() working', async () => {
    const { data, request_id } = await client.responses.create(params).withResponse();

    expect(data.output_text).toBe(REPLY_TEXT);
    expect(request_id).toBe(REQUEST_ID);
    expect((await onlyResponsesSpan()).attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBe(RESPONSES_USAGE.input_tokens);
  });

  it('keeps responses.parse() working', async () => {
    const response = await client.responses.parse({
      ...params,
      text: {
        format: {
          type: 'json_schema',
          name: 'answer',
          strict: true,
          schema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false },
        },
      },
    });

    expect(response.output_parsed).toEqual(JSON_REPLY);
    const span = await onlyResponsesSpan();
    expect(span.attributes[ATTR_GEN_AI_OUTPUT_TYPE]).toBe('json');
    expect(span.attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]).toBe(RESPONSES_USAGE.output_tokens);
  });

  it('captures instructions, input and output when capture is on', async () => {
    setActiveConfig(resolveConfig({ captureContent: true }));

    await client.responses.create({ ...params, input: [{ role: 'user', content: 'Mail bob@example.com' }] });

    const span = await onlyResponsesSpan();
    expect(JSON.parse(span.attributes[ATTR_GEN_AI_SYSTEM_INSTRUCTIONS] as string)).toEqual([
      { type: 'text', content: 'You are terse.' },
    ]);
    expect(JSON.parse(span.attributes[ATTR_GEN_AI_INPUT_MESSAGES] as string)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Mail [REDACTED_EMAIL]' }] },
    ]);
    expect(JSON.parse(span.attributes[ATTR_GEN_AI_OUTPUT_MESSAGES] as string)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Sure, I emailed [REDACTED_EMAIL] today.' }], finish_reason: 'stop' },
    ]);
  });
});

describe('streamed responses', () => {
  it('records a streamed Responses call with usage and time to first chunk', async () => {
    const stream = await client.responses.create({ ...params, stream: true });

    expect(await readText(stream)).toBe(REPLY_TEXT);
    const span = await onlyResponsesSpan();
    expect(span.attributes).toMatchObject({
      [ATTR_GEN_AI_REQUEST_STREAM]: true,
      [ATTR_GEN_AI_RESPONSE_ID]: 'resp_test_1',
      [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: ['stop'],
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: RESPONSES_USAGE.input_tokens,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: RESPONSES_USAGE.output_tokens,
    });
    expect(span.attributes[ATTR_CONVOTEL_LLM_TTFT_MS]).toBeGreaterThan(0);
  });

  it('lets a teed stream be read twice', async () => {
    const stream = await client.responses.create({ ...params, stream: true });
    const [left, right] = stream.tee();

    expect(await readText(left)).toBe(REPLY_TEXT);
    expect(await readText(right)).toBe(REPLY_TEXT);
    expect((await onlyResponsesSpan()).attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBe(RESPONSES_USAGE.input_tokens);
  });

  it('records a stream cut mid-way', async () => {
    const stream = await client.responses.create({ ...params, stream: true }, scenario('cut'));

    let text = '';
    const error = await (async () => {
      for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
    })().then(() => undefined, (err: unknown) => err);

    expect(error).toBeInstanceOf(Error);
    expect(text).toBe(REPLY_PIECES.slice(0, 2).join(''));
    const span = await onlyResponsesSpan();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes[ATTR_GEN_AI_RESPONSE_ID]).toBe('resp_test_1');
    expect(span.attributes[ATTR_CONVOTEL_USAGE_ESTIMATED]).toBe(true);
    expect(span.attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]).toBeGreaterThan(0);
  });

  it('records a call made through responses.stream()', async () => {
    const runner = client.responses.stream(params);

    const final = await runner.finalResponse();

    expect(final.output_text).toBe(REPLY_TEXT);
    expect((await onlyResponsesSpan()).attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]).toBe(RESPONSES_USAGE.output_tokens);
  });
});
