// Ingest replicas as real processes (`convotel serve --only ingest`) on a database, and a sender
// that posts OTLP/JSON to one of them and retries like an exporter (503 and network errors).
import http from 'node:http';
import type { AttributeMap, AttributeValue, InstrumentationScope, LogRecord, LogsRequest, TraceRequest } from '../../src/otlp/types.js';
import { startServe, stopServe, urlIn, type ServeProcess } from '../../../cli/test/helpers/serve-process.js';

/** A running `convotel serve --only ingest`: its OTLP/HTTP port, its process, and a graceful stop. */
export interface IngestReplica {
  readonly port: number;
  readonly process: ServeProcess;
  stop(): Promise<void>;
}

/** Starts `convotel serve --only ingest` on `databaseUrl` (a free port); resolves once it listens. */
export async function startIngestReplica(databaseUrl: string): Promise<IngestReplica> {
  const served = await startServe(['--only', 'ingest', '--otlp-port', '0'], 1, { DATABASE_URL: databaseUrl, CONVOTEL_OTLP_HOST: '127.0.0.1', CONVOTEL_LOG_LEVEL: 'error' });
  return {
    port: Number(urlIn(served.lines[0]).port),
    process: served,
    stop: async () => {
      await stopServe(served);
    },
  };
}

function post(port: number, path: string, body: string): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', agent: false, timeout: 30_000, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'TIMEOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end(body);
  });
}

/** Posts until accepted whole (200 with no partial success), retrying 503s and network errors like an exporter. */
export async function deliver(port: number, path: '/v1/traces' | '/v1/logs', body: string): Promise<void> {
  for (let attempt = 1; attempt <= 60; attempt += 1) {
    const answer = await post(port, path, body);
    if ('status' in answer && answer.status === 200) {
      if (answer.body !== '{}') throw new Error(`accepted with a partial success: ${answer.body}`);
      return;
    }
    if ('status' in answer && answer.status !== 503) throw new Error(`answered ${answer.status}: ${answer.body}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${path} not accepted after 60 attempts`);
}

/** Runs `tasks` with at most `concurrency` at a time. */
export async function runConcurrently(tasks: readonly (() => Promise<void>)[], concurrency: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next++];
      if (task !== undefined) await task();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function anyValue(value: AttributeValue): Record<string, unknown> {
  if (value === null) return {};
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  return { kvlistValue: { values: keyValues(value as AttributeMap) } };
}

function keyValues(attributes: AttributeMap): Record<string, unknown>[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

function scopeJson(scope: InstrumentationScope): Record<string, unknown> {
  return { name: scope.name, ...(scope.version === undefined ? {} : { version: scope.version }), attributes: keyValues(scope.attributes) };
}

/** A decoded trace request in OTLP/JSON, as an exporter sends it. */
export function traceRequestJson(request: TraceRequest): string {
  return JSON.stringify({
    resourceSpans: request.resourceSpans.map(({ resource, scopeSpans }) => ({
      resource: { attributes: keyValues(resource) },
      scopeSpans: scopeSpans.map(({ scope, spans }) => ({
        scope: scopeJson(scope),
        spans: spans.map((span) => ({
          traceId: span.traceId,
          spanId: span.spanId,
          ...(span.parentSpanId === undefined ? {} : { parentSpanId: span.parentSpanId }),
          name: span.name,
          kind: span.kind,
          startTimeUnixNano: String(span.startTimeUnixNano),
          endTimeUnixNano: String(span.endTimeUnixNano),
          attributes: keyValues(span.attributes),
          events: span.events.map((event) => ({ timeUnixNano: String(event.timeUnixNano), name: event.name, attributes: keyValues(event.attributes) })),
          links: span.links.map((link) => ({ traceId: link.traceId, spanId: link.spanId, attributes: keyValues(link.attributes) })),
          status: { code: span.status.code, ...(span.status.message === undefined ? {} : { message: span.status.message }) },
        })),
      })),
    })),
  });
}

function logJson(record: LogRecord): Record<string, unknown> {
  return {
    timeUnixNano: String(record.timeUnixNano),
    observedTimeUnixNano: String(record.observedTimeUnixNano),
    severityNumber: record.severityNumber,
    ...(record.severityText === undefined ? {} : { severityText: record.severityText }),
    body: anyValue(record.body),
    attributes: keyValues(record.attributes),
    ...(record.eventName === undefined ? {} : { eventName: record.eventName }),
    ...(record.traceId === undefined ? {} : { traceId: record.traceId }),
    ...(record.spanId === undefined ? {} : { spanId: record.spanId }),
  };
}

/** A decoded logs request in OTLP/JSON. */
export function logsRequestJson(request: LogsRequest): string {
  return JSON.stringify({
    resourceLogs: request.resourceLogs.map(({ resource, scopeLogs }) => ({
      resource: { attributes: keyValues(resource) },
      scopeLogs: scopeLogs.map(({ scope, logRecords }) => ({ scope: scopeJson(scope), logRecords: logRecords.map(logJson) })),
    })),
  });
}
