// The whole service through a database outage, as a Collector or SDK sees it: 503 with
// Retry-After while PostgreSQL is away, then the exporter's own retry lands every span once.
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveIngest, type RunningIngest } from '../../src/index.js';
import { createTestDatabase, PostgresProxy, type TestDatabase } from '../helpers/db.js';
import { recordTurnSpans, serializeTracesProtobuf } from '../helpers/otlp-fixtures.js';
import pg from 'pg';
import { parsePrometheusText, valueOf } from '../helpers/prometheus-text.js';

const proxy = new PostgresProxy();
let database: TestDatabase;
let ingest: RunningIngest;

beforeAll(async () => {
  database = await createTestDatabase();
  await proxy.start();
  const viaProxy = new URL(database.url);
  viaProxy.port = String(proxy.port);
  ingest = await serveIngest({
    env: { DATABASE_URL: viaProxy.toString(), CONVOTEL_OTLP_PORT: '0', CONVOTEL_OTLP_HOST: '127.0.0.1' },
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  });
});

afterAll(async () => {
  await ingest?.close();
  await proxy.stop();
  await database?.drop();
});

async function countLlmCalls(): Promise<number> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return Number((await client.query('SELECT count(*) AS n FROM llm_calls')).rows[0].n);
  } finally {
    await client.end();
  }
}

describe('a database outage', () => {
  it('answers 503 with Retry-After and an unready health check while PostgreSQL is down, and counts it in /metrics', async () => {
    await proxy.stop();
    try {
      const response = await fetch(`http://127.0.0.1:${ingest.port}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: serializeTracesProtobuf(recordTurnSpans()),
      });
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(response.headers.get('content-type')).toBe('application/x-protobuf');
      expect((await fetch(`http://127.0.0.1:${ingest.port}/healthz`)).status).toBe(503);
      const metrics = parsePrometheusText(await (await fetch(`http://127.0.0.1:${ingest.port}/metrics`)).text());
      expect(valueOf(metrics, 'convotel_ingest_db_errors_total', { kind: 'transient' })).toBe(1);
      expect(valueOf(metrics, 'convotel_ingest_unavailable_total', { reason: 'store_unavailable' })).toBe(1);
    } finally {
      await proxy.start();
    }
  });

  it("lands the batch once when the exporter's own retry meets the database back", async () => {
    await proxy.stop();
    const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${ingest.port}/v1/traces` });
    const exported = new Promise<ExportResultCode>((resolve) => exporter.export(recordTurnSpans(), (result) => resolve(result.code)));
    // The database comes back while the exporter is backing off.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await proxy.start();
    expect(await exported).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    expect((await fetch(`http://127.0.0.1:${ingest.port}/healthz`)).status).toBe(200);
    expect(await countLlmCalls()).toBe(1);
  }, 30_000);
});
