import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  ATTR_CONVOTEL_COST_USD,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_REQUEST_ENCODING_FORMATS,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_SERVER_ADDRESS,
} from '@convotel/semconv';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDING_DIMENSIONS, EMBEDDINGS_USAGE, startOpenAIServer, type OpenAIServer } from '../helpers/openai-server.js';
import { onlySpan } from '../helpers/otel.js';
import { createClient, openai, scenario, tracing } from './load-client.js';

const SPAN_NAME = 'embeddings text-embedding-3-small';

let server: OpenAIServer;
let client: InstanceType<typeof openai.OpenAI>;

beforeAll(async () => {
  server = await startOpenAIServer();
  client = createClient(server.baseURL);
});
afterAll(() => server.close());
afterEach(() => tracing.reset());

describe('embeddings.create', () => {
  it('records usage, cost and dimensions of an embeddings call', async () => {
    const result = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['first text', 'second text'],
      encoding_format: 'float',
    });

    expect(result.data).toHaveLength(2);
    const span = onlySpan(await tracing.spans(), SPAN_NAME);
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes).toMatchObject({
      [ATTR_GEN_AI_OPERATION_NAME]: 'embeddings',
      [ATTR_GEN_AI_REQUEST_MODEL]: 'text-embedding-3-small',
      [ATTR_GEN_AI_RESPONSE_MODEL]: 'text-embedding-3-small',
      [ATTR_GEN_AI_REQUEST_ENCODING_FORMATS]: ['float'],
      [ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT]: EMBEDDING_DIMENSIONS,
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: EMBEDDINGS_USAGE.prompt_tokens,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 0,
      [ATTR_SERVER_ADDRESS]: '127.0.0.1',
    });
    expect(span.attributes[ATTR_CONVOTEL_COST_USD]).toBeGreaterThan(0);
  });

  it('keeps the client’s base64 decoding of the default format', async () => {
    const result = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'one text' });

    expect(result.data[0]?.embedding).toHaveLength(EMBEDDING_DIMENSIONS);
    expect(result.data[0]?.embedding[0]).toBeCloseTo(0.125);
    const span = onlySpan(await tracing.spans(), SPAN_NAME);
    expect(span.attributes[ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT]).toBe(EMBEDDING_DIMENSIONS);
    expect(span.attributes[ATTR_GEN_AI_REQUEST_ENCODING_FORMATS]).toBeUndefined();
  });

  it('records a 429 as an error span and rethrows the client’s RateLimitError', async () => {
    await expect(
      client.embeddings.create({ model: 'text-embedding-3-small', input: 'one text' }, scenario('rate-limit')),
    ).rejects.toBeInstanceOf(openai.RateLimitError);

    const span = onlySpan(await tracing.spans(), SPAN_NAME);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes[ATTR_ERROR_TYPE]).toBe('RateLimitError');
  });
});
