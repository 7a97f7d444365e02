// Over HTTP: a span whose normalization throws is the request's only loss, and the sender is
// told so in a 200 partial success (not a 500 for the whole request, nor a 503 it would retry).
import { afterEach, describe, expect, it } from 'vitest';
import { StoreSink } from '../../src/store/store-sink.js';
import { openTestStore, queryRows, type TestStore } from '../helpers/db.js';
import { FAILING_MODEL, PRICING_FAILURE, throwingForOneModel } from '../helpers/failing-span.js';
import { jsonSpan, jsonTraceRequest } from '../helpers/otlp-fixtures.js';
import { startTestServer, type TestServer } from '../helpers/otlp-server.js';

const TRACE_ID = 'aaaabbbbccccddddeeeeffff00001111';
const GOOD_SPAN = '1111222233334444';
const FAILING_SPAN = '5555666677778888';

/** An OTLP/JSON LLM call span of `model`. */
function llmSpan(spanId: string, model: string): Record<string, unknown> {
  return jsonSpan({
    traceId: TRACE_ID,
    spanId,
    name: `chat ${model}`,
    kind: 3,
    attributes: [
      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
      { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
      { key: 'gen_ai.request.model', value: { stringValue: model } },
      { key: 'gen_ai.usage.input_tokens', value: { intValue: '40' } },
      { key: 'gen_ai.usage.output_tokens', value: { intValue: '8' } },
    ],
  });
}

let db: TestStore | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  await db?.close();
  server = undefined;
  db = undefined;
});

describe('POST /v1/traces with a span whose normalization throws', () => {
  it('answers 200 with that one span rejected as an internal error, and stores the others', async () => {
    db = await openTestStore('pglite');
    server = await startTestServer(new StoreSink(db.store), {}, { estimateCost: throwingForOneModel });
    const body = JSON.stringify(jsonTraceRequest([llmSpan(GOOD_SPAN, 'gpt-4o-mini'), llmSpan(FAILING_SPAN, FAILING_MODEL)]));

    const response = await server.post('/v1/traces', body, { 'content-type': 'application/json' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      partialSuccess: {
        rejectedSpans: '1',
        errorMessage: `1 span rejected: span ${FAILING_SPAN} of trace ${TRACE_ID}: internal error: ${PRICING_FAILURE.message}`,
      },
    });
    expect(await queryRows(db.store, 'SELECT span_id FROM llm_calls')).toEqual([{ span_id: GOOD_SPAN }]);
  });
});
