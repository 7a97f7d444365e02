// GET /metrics over the real app, a real StoreSink and an in-memory PGlite: the counters move by
// exactly what real OTLP requests carried, and the commit-side metrics see group commit.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IngestConfig } from '../../src/config.js';
import { StoreUnavailableError } from '../../src/errors.js';
import { IngestMetrics } from '../../src/observe/metrics.js';
import type { BatchSink } from '../../src/sink/batch-sink.js';
import { StoreSink, type StoreSinkOptions } from '../../src/store/store-sink.js';
import type { Store } from '@convotel/store';
import { openTestStore, type TestStore } from '../helpers/db.js';
import {
  encodeTraceRequest,
  recordLogRecords,
  recordTurnSpans,
  serializeLogsProtobuf,
  serializeTracesProtobuf,
  wireSpan,
  wireTraceRequest,
} from '../helpers/otlp-fixtures.js';
import { FailingSink } from '../helpers/otlp-sinks.js';
import { startTestServer, type TestServer } from '../helpers/otlp-server.js';
import { parsePrometheusText, seriesKey, valueOf, type Scrape } from '../helpers/prometheus-text.js';

const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const RECEIVED = 'convotel_ingest_spans_received_total';
const ACCEPTED = 'convotel_ingest_spans_accepted_total';
const REJECTED = 'convotel_ingest_spans_rejected_total';
const REQUESTS = 'convotel_ingest_requests_total';
const UNAVAILABLE = 'convotel_ingest_unavailable_total';
const BATCH_ROWS = 'convotel_ingest_batch_rows';
const COMMIT_SECONDS = 'convotel_ingest_commit_duration_seconds';
const QUEUE_BYTES = 'convotel_ingest_queue_bytes';

let db: TestStore;
const servers: TestServer[] = [];

beforeAll(async () => {
  db = await openTestStore('pglite');
});
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});
afterAll(async () => {
  await db?.close();
});

/** The app over `sink`, with one metrics set for both (as `serveIngest` wires them). */
async function serve(sink: (metrics: IngestMetrics) => BatchSink, config: Partial<IngestConfig> = {}): Promise<TestServer> {
  const metrics = new IngestMetrics();
  const server = await startTestServer(sink(metrics), config, { metrics });
  servers.push(server);
  return server;
}

/** A StoreSink over the shared PGlite (never closed here: closing a sink closes its store). */
function storeSink(options: StoreSinkOptions = {}): (metrics: IngestMetrics) => StoreSink {
  return (metrics) => new StoreSink(db.store, { ...options, observer: metrics.sinkObserver });
}

async function scrape(server: TestServer): Promise<Scrape> {
  const response = await server.get('/metrics');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4(;|$)/);
  return parsePrometheusText(await response.text());
}

/** Holds the store's only transaction slot (PGlite runs one at a time) until `release`. */
function holdStore(store: Store): { release: () => Promise<void> } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const held = store.transaction(() => gate);
  return {
    release: async () => {
      open();
      await held;
    },
  };
}

/** Waits (bounded) for a state the test cannot await directly. */
async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; !condition(); tries += 1) {
    if (tries > 2000) throw new Error('the condition never held');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const spanId = (n: number): Buffer => Buffer.from(n.toString(16).padStart(16, '0'), 'hex');

describe('GET /metrics', () => {
  it('answers the Prometheus text format with the ingest metrics and the process metrics', async () => {
    const server = await serve(storeSink());
    const { types, samples } = await scrape(server);
    expect(types.get(RECEIVED)).toBe('counter');
    expect(types.get(REQUESTS)).toBe('counter');
    expect(types.get(BATCH_ROWS)).toBe('histogram');
    expect(types.get(COMMIT_SECONDS)).toBe('histogram');
    expect(types.get(QUEUE_BYTES)).toBe('gauge');
    expect(types.get('convotel_ingest_db_errors_total')).toBe('counter');
    // Series exist at 0 before anything happened, so dashboards and rate() see them from the start.
    expect(samples.get(seriesKey(REJECTED, { signal: 'logs', reason: 'store_refused' }))).toBe(0);
    expect(samples.get(seriesKey(UNAVAILABLE, { reason: 'queue_full' }))).toBe(0);
    expect(samples.get(seriesKey('convotel_ingest_db_errors_total', { kind: 'transient' }))).toBe(0);
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds']) {
      expect(types.has(name), name).toBe(true);
    }
  });

  it('lists in docs/ingest.md exactly the convotel_ingest_ metrics it serves, with their types', async () => {
    const server = await serve(storeSink());
    const { types } = await scrape(server);
    const served = [...types].filter(([name]) => name.startsWith('convotel_ingest_')).map(([name, type]) => `${name} ${type}`);
    const docs = readFileSync(new URL('../../../../docs/ingest.md', import.meta.url), 'utf8');
    const documented = [...docs.matchAll(/^\| `(convotel_ingest_[a-z_]+)` \| (\w+) \|/gm)].map(([, name, type]) => `${name} ${type}`);
    expect(documented.sort()).toEqual(served.sort());
  });

  it('stays open without the bearer token when CONVOTEL_INGEST_TOKEN is set, and counts the 401', async () => {
    const server = await serve(storeSink(), { ingestToken: 'secret-token' });
    expect((await server.post('/v1/traces', serializeTracesProtobuf(recordTurnSpans()), PROTOBUF)).status).toBe(401);
    expect(valueOf(await scrape(server), REQUESTS, { signal: 'traces', status: '401' })).toBe(1);
  });

  it('counts spans and log records received, accepted and rejected by reason, exactly as sent', async () => {
    const server = await serve(storeSink());
    const before = await scrape(server);
    const traces = encodeTraceRequest(
      wireTraceRequest([
        wireSpan({ spanId: spanId(1) }),
        wireSpan({ spanId: spanId(2), parentSpanId: spanId(1), name: 'chat gpt-4o' }),
        wireSpan({ spanId: spanId(3), parentSpanId: spanId(1), name: 'execute_tool lookup' }),
        wireSpan({ spanId: Buffer.alloc(8) }), // decoder: all-zeros span id
        wireSpan({ spanId: spanId(5), endTimeUnixNano: '1600000000000000000' }), // decoder: end before start
        wireSpan({ spanId: spanId(6), startTimeUnixNano: '1', endTimeUnixNano: '2' }), // normalization: not a plausible time
      ]),
    );
    const tracesResponse = await server.post('/v1/traces', traces, PROTOBUF);
    expect(tracesResponse.status).toBe(200);
    const logs = serializeLogsProtobuf(recordLogRecords((logger) => [1, 2].forEach((n) => logger.emit({ body: `line ${n}` }))));
    expect((await server.post('/v1/logs', logs, PROTOBUF)).status).toBe(200);

    const after = await scrape(server);
    const delta = (name: string, labels: Record<string, string>): number => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(delta(RECEIVED, { signal: 'traces' })).toBe(6);
    expect(delta(ACCEPTED, { signal: 'traces' })).toBe(3);
    expect(delta(REJECTED, { signal: 'traces', reason: 'invalid_id' })).toBe(1);
    expect(delta(REJECTED, { signal: 'traces', reason: 'invalid_time' })).toBe(2);
    expect(delta(REJECTED, { signal: 'traces', reason: 'store_refused' })).toBe(0);
    expect(delta(RECEIVED, { signal: 'logs' })).toBe(2);
    expect(delta(ACCEPTED, { signal: 'logs' })).toBe(2);
    expect(delta(REQUESTS, { signal: 'traces', status: '200' })).toBe(1);
    expect(delta(REQUESTS, { signal: 'logs', status: '200' })).toBe(1);
  });

  it('counts a 503 from a full write queue as unavailable_total{reason="queue_full"} and shows the queued bytes', async () => {
    const body = serializeTracesProtobuf(recordTurnSpans());
    let sink!: StoreSink;
    const server = await serve((metrics) => (sink = storeSink({ maxQueueBytes: body.length + 1 })(metrics)));
    const hold = holdStore(db.store);
    const first = server.post('/v1/traces', body, PROTOBUF);
    try {
      await until(() => sink.queuedBytes > 0);
      const refused = await server.post('/v1/traces', serializeTracesProtobuf(recordTurnSpans()), PROTOBUF);
      expect(refused.status).toBe(503);
      const during = await scrape(server);
      expect(valueOf(during, UNAVAILABLE, { reason: 'queue_full' })).toBe(1);
      expect(valueOf(during, REQUESTS, { signal: 'traces', status: '503' })).toBe(1);
      expect(valueOf(during, QUEUE_BYTES)).toBe(body.length);
    } finally {
      await hold.release();
    }
    expect((await first).status).toBe(200);
    const after = await scrape(server);
    expect(valueOf(after, QUEUE_BYTES)).toBe(0);
    expect(valueOf(after, UNAVAILABLE, { reason: 'queue_full' })).toBe(1);
  });

  it('records a group commit of several requests as one batch_rows observation of all their rows', async () => {
    let sink!: StoreSink;
    const server = await serve((metrics) => (sink = storeSink()(metrics)));
    // Rows of one request, as the histogram sees a request committed alone.
    expect((await server.post('/v1/traces', serializeTracesProtobuf(recordTurnSpans()), PROTOBUF)).status).toBe(200);
    const alone = await scrape(server);
    expect(valueOf(alone, `${BATCH_ROWS}_count`)).toBe(1);
    const rowsPerRequest = valueOf(alone, `${BATCH_ROWS}_sum`);
    expect(rowsPerRequest).toBeGreaterThan(1);

    // The writer takes the first request and waits for the store; three more queue behind it.
    const hold = holdStore(db.store);
    const bodies = Array.from({ length: 4 }, () => serializeTracesProtobuf(recordTurnSpans()));
    const first = server.post('/v1/traces', bodies[0] as Buffer, PROTOBUF);
    let rest: Promise<Response>[] = [];
    try {
      await until(() => sink.queuedBytes === (bodies[0] as Buffer).length);
      rest = bodies.slice(1).map((body) => server.post('/v1/traces', body, PROTOBUF));
      const total = bodies.reduce((sum, body) => sum + body.length, 0);
      await until(() => sink.queuedBytes === total);
    } finally {
      await hold.release();
    }
    const statuses = (await Promise.all([first, ...rest])).map((response) => response.status);
    expect(statuses).toEqual([200, 200, 200, 200]);

    const after = await scrape(server);
    // Two transactions: the first request alone, then the other three together.
    expect(valueOf(after, `${BATCH_ROWS}_count`) - 1).toBe(2);
    expect(valueOf(after, `${BATCH_ROWS}_sum`) - rowsPerRequest).toBe(4 * rowsPerRequest);
    expect(valueOf(after, `${COMMIT_SECONDS}_count`)).toBe(3);
    expect(valueOf(after, ACCEPTED, { signal: 'traces' })).toBe(5 * 3);
  });

  it('counts every 503 by the reason its error code gives', async () => {
    const down = await serve(() => new FailingSink());
    const broken = await serve(() => new FailingSink(new TypeError('x is undefined')));
    const shuttingDown = await serve(() => new FailingSink(new StoreUnavailableError('the ingest is shutting down')));
    for (let i = 0; i < 3; i += 1) expect((await down.post('/v1/traces', serializeTracesProtobuf(recordTurnSpans()), PROTOBUF)).status).toBe(503);
    expect((await broken.post('/v1/traces', serializeTracesProtobuf(recordTurnSpans()), PROTOBUF)).status).toBe(503);
    expect((await shuttingDown.post('/v1/traces', serializeTracesProtobuf(recordTurnSpans()), PROTOBUF)).status).toBe(503);
    expect(valueOf(await scrape(down), UNAVAILABLE, { reason: 'store_unavailable' })).toBe(3);
    expect(valueOf(await scrape(broken), UNAVAILABLE, { reason: 'unexpected' })).toBe(1);
    expect(valueOf(await scrape(broken), UNAVAILABLE, { reason: 'store_unavailable' })).toBe(0);
    expect(valueOf(await scrape(shuttingDown), UNAVAILABLE, { reason: 'store_unavailable' })).toBe(1);
  });
});
