// serveIngest as `convotel serve` runs it (PGlite in memory): its startup line, and one metrics
// set shared by the HTTP layer and the store sink.
import { afterEach, describe, expect, it } from 'vitest';
import type { IngestLogger } from '../src/http/logger.js';
import { serveIngest, type RunningIngest } from '../src/serve.js';
import { recordTurnSpans, serializeTracesProtobuf } from './helpers/otlp-fixtures.js';
import { parsePrometheusText, valueOf } from './helpers/prometheus-text.js';

const ENV = { CONVOTEL_DATA_DIR: 'memory://', CONVOTEL_OTLP_PORT: '0', CONVOTEL_OTLP_HOST: '127.0.0.1' };

let ingest: RunningIngest | undefined;
afterEach(async () => {
  await ingest?.close();
  ingest = undefined;
});

describe('serveIngest', () => {
  it('logs the listen address and the store it uses at startup', async () => {
    const lines: { level: string; message: string; details: unknown }[] = [];
    const push = (level: string) => (message: string, details?: unknown) => lines.push({ level, message, details });
    const logger: IngestLogger = { info: push('info'), warn: push('warn'), error: push('error') };
    ingest = await serveIngest({ env: ENV, logger });
    expect(lines).toEqual([
      {
        level: 'info',
        message: `ingest: listening on 127.0.0.1:${ingest.port}, storing in pglite`,
        details: { host: '127.0.0.1', port: ingest.port, store: 'pglite' },
      },
    ]);
  });

  it('serves the commit-side metrics of its store sink on /metrics', async () => {
    const quiet: IngestLogger = { info: () => {}, warn: () => {}, error: () => {} };
    ingest = await serveIngest({ env: ENV, logger: quiet });
    const url = `http://127.0.0.1:${ingest.port}`;
    const response = await fetch(`${url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: serializeTracesProtobuf(recordTurnSpans()),
    });
    expect(response.status).toBe(200);
    const metrics = parsePrometheusText(await (await fetch(`${url}/metrics`)).text());
    expect(valueOf(metrics, 'convotel_ingest_batch_rows_count')).toBe(1);
    expect(valueOf(metrics, 'convotel_ingest_commit_duration_seconds_count')).toBe(1);
    expect(valueOf(metrics, 'convotel_ingest_spans_accepted_total', { signal: 'traces' })).toBe(3);
  });
});
