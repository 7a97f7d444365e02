// The real OpenTelemetry JS exporters posting to the running ingest: proof that what the SDK
// sends is accepted and that they read our answers (success, partial success, 401, 503 + retry).
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPLogExporter as OTLPJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OTLPProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { IngestConfig } from '../../src/config.js';
import { StoreUnavailableError } from '../../src/errors.js';
import type { NormalizedRequest, WriteResult } from '../../src/sink/batch-sink.js';
import { recordLogRecords, recordSpans, recordTurnSpans } from '../helpers/otlp-fixtures.js';
import { startTestServer, type TestServer } from '../helpers/otlp-server.js';
import { RecordingSink } from '../helpers/otlp-sinks.js';

interface Exporter<T> {
  export(items: T[], done: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
}

const servers: TestServer[] = [];
const exporters: Exporter<never>[] = [];
const diagWarnings: string[] = [];
diag.setLogger(
  {
    error: (message) => diagWarnings.push(message),
    warn: (...args: unknown[]) => diagWarnings.push(args.map(String).join(' ')),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  },
  DiagLogLevel.WARN,
);

async function serve(sink = new RecordingSink(), config: Partial<IngestConfig> = {}): Promise<TestServer> {
  const server = await startTestServer(sink, config);
  servers.push(server);
  return server;
}

function track<T>(exporter: Exporter<T>): Exporter<T> {
  exporters.push(exporter as Exporter<never>);
  return exporter;
}

function exportWith<T>(exporter: Exporter<T>, items: T[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(items, resolve));
}

afterEach(async () => {
  for (const exporter of exporters.splice(0)) await exporter.shutdown();
  for (const server of servers.splice(0)) await server.close();
  diagWarnings.length = 0;
});

afterAll(() => diag.disable());

describe('OpenTelemetry JS exporters posting to the ingest', () => {
  it.each([
    ['exporter-trace-otlp-proto', (url: string) => new OTLPProtoTraceExporter({ url })],
    ['exporter-trace-otlp-proto with gzip', (url: string) => new OTLPProtoTraceExporter({ url, compression: CompressionAlgorithm.GZIP })],
    ['exporter-trace-otlp-http (JSON)', (url: string) => new OTLPJsonTraceExporter({ url })],
    ['exporter-trace-otlp-http (JSON) with gzip', (url: string) => new OTLPJsonTraceExporter({ url, compression: CompressionAlgorithm.GZIP })],
  ])('%s gets a success and the spans reach the store', async (_name, create) => {
    const sink = new RecordingSink();
    const server = await serve(sink);
    const exporter = track<ReadableSpan>(create(`${server.url}/v1/traces`));
    const spans = recordTurnSpans();

    const result = await exportWith(exporter, spans);

    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(sink.spans.map((s) => s.spanId).sort()).toEqual(spans.map((s) => s.spanContext().spanId).sort());
    expect(diagWarnings).toEqual([]);
  });

  it.each([
    ['exporter-logs-otlp-proto', (url: string) => new OTLPProtoLogExporter({ url, compression: CompressionAlgorithm.GZIP })],
    ['exporter-logs-otlp-http (JSON)', (url: string) => new OTLPJsonLogExporter({ url })],
  ])('%s gets a success and the log records reach the store', async (_name, create) => {
    const sink = new RecordingSink();
    const server = await serve(sink);
    const exporter = track<ReadableLogRecord>(create(`${server.url}/v1/logs`));
    const records = recordLogRecords((logger) => {
      logger.emit({ eventName: 'balance_lookup', severityNumber: 9, severityText: 'INFO', body: 'looked up' });
    });

    expect((await exportWith(exporter, records)).code).toBe(ExportResultCode.SUCCESS);
    expect(sink.events).toEqual([expect.objectContaining({ name: 'balance_lookup', severityNumber: 9, body: 'looked up' })]);
  });

  it.each([
    ['protobuf', (url: string) => new OTLPProtoTraceExporter({ url })],
    ['JSON', (url: string) => new OTLPJsonTraceExporter({ url })],
  ])('the %s exporter reads our partial success', async (_name, create) => {
    const sink = new RecordingSink();
    sink.result = { rejected: 1, rejectedByCategory: { store_refused: 1 }, rejectionReasons: ['span "x": unusable'] };
    const server = await serve(sink);
    const exporter = track<ReadableSpan>(create(`${server.url}/v1/traces`));

    expect((await exportWith(exporter, recordTurnSpans())).code).toBe(ExportResultCode.SUCCESS);
    expect(diagWarnings.join('\n')).toContain('Received Partial Success response');
    expect(diagWarnings.join('\n')).toContain('1 span rejected: span \\"x\\": unusable');
  });

  it('sends the bearer token it is configured with, and fails without it', async () => {
    const token = 'a-long-enough-ingest-token';
    const sink = new RecordingSink();
    const server = await serve(sink, { ingestToken: token });
    const url = `${server.url}/v1/traces`;
    const withToken = track<ReadableSpan>(new OTLPProtoTraceExporter({ url, headers: { Authorization: `Bearer ${token}` } }));
    const withoutToken = track<ReadableSpan>(new OTLPProtoTraceExporter({ url }));

    expect((await exportWith(withToken, recordTurnSpans())).code).toBe(ExportResultCode.SUCCESS);
    const refused = await exportWith(withoutToken, recordTurnSpans());
    expect(refused.code).toBe(ExportResultCode.FAILED);
    expect(refused.error).toMatchObject({ code: 401 });
    expect(sink.spans).toHaveLength(3);
  });

  it('retries after our 503 + Retry-After and succeeds once the store is back', async () => {
    const sink = new StoreDownOnceSink();
    const server = await serve(sink);
    const exporter = track<ReadableSpan>(new OTLPProtoTraceExporter({ url: `${server.url}/v1/traces` }));
    const spans = recordSpans((tracer) => tracer.startSpan('after-outage').end());

    const startedAt = Date.now();
    const result = await exportWith(exporter, spans);

    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(server.statuses).toEqual([]); // the exporter, not our helper, made the requests
    expect(sink.failedWrites).toBe(1);
    expect(sink.spans.map((s) => s.name)).toEqual(['after-outage']);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900); // it honoured Retry-After: 1
  });
});

/** The first write fails as if Postgres were restarting; later writes succeed. */
class StoreDownOnceSink extends RecordingSink {
  failedWrites = 0;
  protected override async write(rows: NormalizedRequest, sizeBytes: number): Promise<WriteResult> {
    if (this.failedWrites === 0) {
      this.failedWrites += 1;
      throw new StoreUnavailableError('the database system is starting up', { retryAfterSeconds: 1 });
    }
    return super.write(rows, sizeBytes);
  }
}
