// The service as configured from its environment: a request with values its columns cannot
// hold and oversized content is stored whole, cut to CONVOTEL_MAX_CONTENT_LENGTH, and answered
// with a partial success that names the dropped values and rejects nothing.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serveIngest, type RunningIngest } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { jsonSpan, jsonTraceRequest } from '../helpers/otlp-fixtures.js';

let database: TestDatabase;
let ingest: RunningIngest;

beforeAll(async () => {
  database = await createTestDatabase();
  ingest = await serveIngest({
    env: { DATABASE_URL: database.url, CONVOTEL_OTLP_PORT: '0', CONVOTEL_OTLP_HOST: '127.0.0.1', CONVOTEL_MAX_CONTENT_LENGTH: '10' },
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
});

afterAll(async () => {
  await ingest?.close();
  await database?.drop();
});

const attribute = (key: string, value: string | number) => ({ key, value: typeof value === 'string' ? { stringValue: value } : { doubleValue: value } });

it('stores every span of a request with out-of-range values, cuts its content, and answers with a warning', async () => {
  const traceId = '5b8efff798038103d269b633813fc60c';
  const turn = jsonSpan({
    traceId,
    spanId: 'eee19b7ec3c1b174',
    name: 'turn',
    attributes: [
      attribute('convotel.span.kind', 'turn'),
      attribute('gen_ai.conversation.id', 'conv-e2e-bad'),
      attribute('convotel.turn.index', 3_000_000_000),
      attribute('convotel.turn.user_input', 'what is my balance today?'),
    ],
  });
  const call = jsonSpan({
    traceId,
    spanId: 'eee19b7ec3c1b175',
    parentSpanId: 'eee19b7ec3c1b174',
    name: 'chat gpt-4o',
    attributes: [
      attribute('convotel.span.kind', 'llm'),
      attribute('gen_ai.conversation.id', 'conv-e2e-bad'),
      attribute('gen_ai.provider.name', 'openai'),
      attribute('gen_ai.request.model', 'gpt-4o'),
      attribute('gen_ai.usage.input_tokens', '1e300'),
      attribute('convotel.cost.usd', 1e13),
    ],
  });
  const response = await fetch(`http://127.0.0.1:${ingest.port}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(jsonTraceRequest([turn, call])),
  });

  expect(response.status).toBe(200);
  const answer = (await response.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
  expect(answer.partialSuccess.rejectedSpans).toBe('0');
  expect(answer.partialSuccess.errorMessage).toMatch(/^3 values dropped, spans kept: /);
  for (const key of ['convotel.turn.index', 'gen_ai.usage.input_tokens', 'convotel.cost.usd']) expect(answer.partialSuccess.errorMessage).toContain(key);

  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const traces = await client.query('SELECT root_span_id, turn_index, user_input, llm_calls FROM traces');
    expect(traces.rows).toEqual([{ root_span_id: 'eee19b7ec3c1b174', turn_index: null, user_input: 'what is my…[truncated]', llm_calls: 1 }]);
    const calls = await client.query('SELECT span_id, input_tokens, cost_usd FROM llm_calls');
    expect(calls.rows).toEqual([{ span_id: 'eee19b7ec3c1b175', input_tokens: null, cost_usd: null }]);
  } finally {
    await client.end();
  }
});
