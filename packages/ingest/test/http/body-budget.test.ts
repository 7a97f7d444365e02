// Bodies between arrival and normalization share one byte budget (CONVOTEL_MAX_INFLIGHT_BYTES):
// a request that would take it past the budget is answered 503 + Retry-After before its body
// is inflated, and lands once the sender retries; a lone request always fits.
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BodyBudget } from '../../src/http/body-budget.js';
import { IngestMetrics } from '../../src/observe/metrics.js';
import { StoreSink } from '../../src/store/store-sink.js';
import { openTestStore, queryRows, type TestStore } from '../helpers/db.js';
import { sendUntilAccepted, waitUntil } from '../helpers/ingest-client.js';
import { jsonSpan, jsonTraceRequest } from '../helpers/otlp-fixtures.js';
import { startTestServer, type TestServer } from '../helpers/otlp-server.js';
import { parsePrometheusText, valueOf } from '../helpers/prometheus-text.js';

const KIB = 1024;
const MIB = 1024 * KIB;

describe('BodyBudget', () => {
  it('holds what fits, refuses what does not beside others, and always takes a lone request', () => {
    const budget = new BodyBudget(10);
    const lone = budget.reserve(25);
    expect(lone?.bytes).toBe(25);
    expect(budget.reserve(1)).toBeUndefined();
    expect(lone?.resize(40)).toBe(true);
    lone?.release();
    lone?.release();
    expect(budget.heldBytes).toBe(0);

    const first = budget.reserve(6);
    const second = budget.reserve(4);
    expect(second).toBeDefined();
    expect(second?.resize(5)).toBe(false);
    expect(second?.bytes).toBe(4);
    expect(first?.resize(2)).toBe(true);
    expect(second?.resize(8)).toBe(true);
    expect(budget.heldBytes).toBe(10);
  });
});

/** An OTLP/JSON request of one span whose `padding` attribute makes it about `bytes` long. */
function paddedRequest(traceByte: string, bytes: number): Buffer {
  const request = jsonTraceRequest([
    jsonSpan({
      traceId: traceByte.repeat(32),
      spanId: traceByte.repeat(16),
      attributes: [
        { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
        { key: 'padding', value: { stringValue: 'x'.repeat(bytes) } },
      ],
    }),
  ]);
  return Buffer.from(JSON.stringify(request));
}

describe('the budget of bodies in flight', () => {
  let db: TestStore;
  let server: TestServer;
  let port: number;

  beforeAll(async () => {
    db = await openTestStore('pglite');
    const metrics = new IngestMetrics();
    server = await startTestServer(
      new StoreSink(db.store, { observer: metrics.sinkObserver }),
      { maxBodyBytes: MIB, maxInflatedBytes: 4 * MIB, maxInflightBytes: 4 * MIB },
      { metrics },
    );
    port = Number(new URL(server.url).port);
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  const bodyBytes = async (): Promise<number> =>
    valueOf(parsePrometheusText(await (await fetch(`${server.url}/metrics`)).text()), 'convotel_ingest_body_bytes');

  it('answers 503 + Retry-After to a gzip body that would inflate past the budget while another body is being read, and stores both once', async () => {
    // A: 900 KiB declared, half sent: its reservation is held while the rest is awaited.
    const slow = paddedRequest('a', 900 * KIB);
    const req = http.request({
      host: '127.0.0.1',
      port,
      path: '/v1/traces',
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': slow.length },
    });
    const slowAnswer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on('response', (res: http.IncomingMessage) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
    });
    req.write(slow.subarray(0, slow.length / 2));
    await waitUntil(async () => (await bodyBytes()) >= slow.length, 'the slow body holds its bytes');

    // B: a few KiB of gzip that inflate to 3.5 MiB: with A's 0.9 MiB, over the 4 MiB budget.
    const big = gzipSync(paddedRequest('b', 3.5 * MIB));
    const gzipJson = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
    const refused = await server.post('/v1/traces', big, gzipJson);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('x-convotel-error-code')).toBe('CONVOTEL_OVERLOADED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    req.end(slow.subarray(slow.length / 2));
    expect(await slowAnswer).toEqual({ status: 200, body: '{}' });
    // With A done, the sender's retry of B fits.
    await sendUntilAccepted(port, big, { headers: gzipJson, delayMillis: 50 });

    const stored = await queryRows<{ trace_id: string; n: string }>(
      db.store,
      'SELECT trace_id, count(*) AS n FROM llm_calls GROUP BY trace_id ORDER BY trace_id',
    );
    expect(stored.map((row) => [row.trace_id, Number(row.n)])).toEqual([
      ['a'.repeat(32), 1],
      ['b'.repeat(32), 1],
    ]);
    expect(await bodyBytes()).toBe(0);
  }, 30_000);
});
