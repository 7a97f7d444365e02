import { randomBytes } from 'node:crypto';
import { createGzip, gzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { IngestConfig } from '../../src/config.js';
import { QueueFullError } from '../../src/errors.js';
import { loadOtlpProtoTypes } from '../../src/otlp/proto-root.js';
import {
  jsonSpan,
  jsonTraceRequest,
  recordLogRecords,
  recordTurnSpans,
  serializeLogsJson,
  serializeLogsProtobuf,
  serializeTracesJson,
  serializeTracesProtobuf,
  SPAN_ID,
  encodeTraceRequest,
  wireSpan,
  wireTraceRequest,
} from '../helpers/otlp-fixtures.js';
import type { BatchSink } from '../../src/sink/batch-sink.js';
import { startTestServer, type TestServer } from '../helpers/otlp-server.js';
import { FailingSink, ManualCommitSink, RecordingSink } from '../helpers/otlp-sinks.js';

const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };
const MIB = 1024 * 1024;

const servers: TestServer[] = [];
const everyStatus: number[] = [];

async function serve(sink: BatchSink = new RecordingSink(), config: Partial<IngestConfig> = {}): Promise<TestServer> {
  const server = await startTestServer(sink, config);
  servers.push(server);
  return server;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    everyStatus.push(...server.statuses);
    await server.close();
  }
});

afterAll(() => {
  expect(everyStatus.length).toBeGreaterThan(20);
  expect(everyStatus).not.toContain(500);
});

async function statusBody(response: Response): Promise<{ code: number; message: string }> {
  const bytes = Buffer.from(await response.arrayBuffer());
  if (response.headers.get('content-type')?.startsWith('application/json')) return JSON.parse(bytes.toString()) as never;
  const type = loadOtlpProtoTypes().status;
  return type.toObject(type.decode(bytes)) as never;
}

/** A gzip stream of `sizeBytes` zeros (~1000:1), built in chunks so the test never holds it inflated. */
async function gzipOfZeros(sizeBytes: number): Promise<Buffer> {
  const gzip = createGzip();
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  const chunk = Buffer.alloc(MIB);
  for (let written = 0; written < sizeBytes; written += MIB) {
    if (!gzip.write(chunk)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end();
  await done;
  return Buffer.concat(out);
}

describe('POST /v1/traces', () => {
  it('stores the spans the OpenTelemetry SDK exports and answers 200 with an empty protobuf response', async () => {
    const sink = new RecordingSink();
    const server = await serve(sink);
    const body = serializeTracesProtobuf(recordTurnSpans());
    const response = await server.post('/v1/traces', body, PROTOBUF);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    expect((await response.arrayBuffer()).byteLength).toBe(0);
    expect(sink.spans.map((s) => s.name).sort()).toEqual(['chat gpt-4o', 'execute_tool lookup_order', 'turn']);
    expect(sink.traces[0]!.sizeBytes).toBe(body.length);
  });

  it('answers in the content type of the request', async () => {
    const server = await serve();
    const json = await server.post('/v1/traces', serializeTracesJson(recordTurnSpans()), {
      'content-type': 'Application/JSON; charset=utf-8',
    });
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(await json.text()).toBe('{}');

    const failed = await server.post('/v1/traces', Buffer.from([0x0a, 0x05, 0x01]), PROTOBUF);
    expect(failed.status).toBe(400);
    expect(failed.headers.get('content-type')).toBe('application/x-protobuf');
    expect((await statusBody(failed)).message).toMatch(/^invalid OTLP protobuf body/);
  });

  it('accepts gzip bodies in both encodings and gives the sink the inflated size', async () => {
    const sink = new RecordingSink();
    const server = await serve(sink);
    const protobuf = serializeTracesProtobuf(recordTurnSpans());
    const json = serializeTracesJson(recordTurnSpans());
    expect((await server.post('/v1/traces', gzipSync(protobuf), { ...PROTOBUF, 'content-encoding': 'gzip' })).status).toBe(200);
    expect((await server.post('/v1/traces', gzipSync(json), { ...JSON_TYPE, 'content-encoding': 'GZIP' })).status).toBe(200);
    expect(sink.spans).toHaveLength(6);
    expect(sink.traces.map((t) => t.sizeBytes)).toEqual([protobuf.length, json.length]);
  });

  it('keeps the good spans of a batch with one bad span id and reports a partial success', async () => {
    const sink = new RecordingSink();
    const server = await serve(sink);
    const body = encodeTraceRequest(
      wireTraceRequest([wireSpan({ name: 'good' }), wireSpan({ name: 'bad', spanId: Buffer.alloc(8) })]),
    );
    const response = await server.post('/v1/traces', body, PROTOBUF);

    expect(response.status).toBe(200);
    const type = loadOtlpProtoTypes().exportTraceServiceResponse;
    const answer = type.toObject(type.decode(Buffer.from(await response.arrayBuffer())), { longs: Number });
    expect(answer).toEqual({ partialSuccess: { rejectedSpans: 1, errorMessage: '1 span rejected: span "bad": span_id is all zeros' } });
    expect(sink.spans.map((s) => s.name)).toEqual(['good']);
  });

  it('adds the rejections the store reports to the partial success, in JSON for a JSON request', async () => {
    const sink = new RecordingSink();
    sink.result = { rejected: 2, rejectedByCategory: { store_refused: 2 }, rejectionReasons: ['span "x": not a GenAI span'] };
    const server = await serve(sink);
    const body = JSON.stringify(jsonTraceRequest([jsonSpan(), jsonSpan({ name: 'bad', traceId: 'zz' })]));
    const response = await server.post('/v1/traces', body, JSON_TYPE);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      partialSuccess: {
        rejectedSpans: '3',
        errorMessage: '3 spans rejected: span "bad": traceId has 2 characters, expected 32 hex digits; span "x": not a GenAI span; …',
      },
    });
  });

  it('answers an empty request without touching the store', async () => {
    const sink = new FailingSink();
    const server = await serve(sink);
    const response = await server.post('/v1/traces', Buffer.alloc(0), PROTOBUF);
    expect(response.status).toBe(200);
  });

  it('answers only after the store has committed the batch', async () => {
    const sink = new ManualCommitSink();
    const server = await serve(sink);
    let isAnswered = false;
    const pending = server.post('/v1/traces', serializeTracesProtobuf(recordTurnSpans()), PROTOBUF).then((r) => {
      isAnswered = true;
      return r;
    });
    await expect.poll(() => sink.pendingWrites).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(isAnswered).toBe(false);
    sink.commit();
    expect((await pending).status).toBe(200);
    expect(sink.spans).toHaveLength(3);
  });

  it('rejects a truncated protobuf body with 400', async () => {
    const server = await serve();
    const body = serializeTracesProtobuf(recordTurnSpans());
    const response = await server.post('/v1/traces', body.subarray(0, body.length - 7), PROTOBUF);
    expect(response.status).toBe(400);
    expect(response.headers.get('x-convotel-error-code')).toBe('CONVOTEL_MALFORMED_PAYLOAD');
    expect(await statusBody(response)).toEqual({ code: 3, message: expect.stringMatching(/^invalid OTLP protobuf body: index out of range/) });
  });

  it('rejects invalid JSON with 400 and says why', async () => {
    const server = await serve();
    const response = await server.post('/v1/traces', '{"resourceSpans": [', JSON_TYPE);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/^invalid JSON: /);
  });

  it('rejects an OTLP logs payload sent to /v1/traces', async () => {
    const server = await serve();
    const response = await server.post('/v1/traces', serializeLogsJson(recordLogRecords((l) => l.emit({ body: 'x' }))), JSON_TYPE);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain('send it to /v1/logs');
  });

  it('answers 415 for a content type OTLP does not define, in JSON', async () => {
    const server = await serve();
    for (const headers of [{ 'content-type': 'text/plain' }, {}, { 'content-type': 'application/protobuf' }] as Record<string, string>[]) {
      const response = await server.post('/v1/traces', Buffer.from('x'), headers);
      expect(response.status).toBe(415);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(((await response.json()) as { message: string }).message).toMatch(/^unsupported Content-Type/);
    }
  });

  it('answers 415 for a content encoding other than gzip', async () => {
    const server = await serve();
    const response = await server.post('/v1/traces', Buffer.from('x'), { ...PROTOBUF, 'content-encoding': 'br' });
    expect(response.status).toBe(415);
    expect((await statusBody(response)).message).toBe('unsupported Content-Encoding "br": send gzip or no encoding');
  });

  it('answers 400 for a body that says gzip but is not', async () => {
    const server = await serve();
    const response = await server.post('/v1/traces', Buffer.from('plain text'), { ...PROTOBUF, 'content-encoding': 'gzip' });
    expect(response.status).toBe(400);
    expect((await statusBody(response)).message).toMatch(/^invalid gzip body/);
  });

  it('answers 413 for a body over the size limit', async () => {
    const server = await serve(new RecordingSink(), { maxBodyBytes: 64 * 1024 });
    const response = await server.post('/v1/traces', randomBytes(100 * 1024), PROTOBUF);
    expect(response.status).toBe(413);
    expect((await statusBody(response)).message).toBe('request body is over the 65536-byte limit');
    // The connection stays usable: the next request on the server is answered normally.
    expect((await server.post('/v1/traces', Buffer.alloc(0), PROTOBUF)).status).toBe(200);
  });

  it('answers 413 for a gzip bomb', async () => {
    const sink = new RecordingSink();
    const server = await serve(sink);
    const bomb = await gzipOfZeros(200 * MIB);
    expect(bomb.length).toBeLessThan(1 * MIB);
    const response = await server.post('/v1/traces', bomb, { ...PROTOBUF, 'content-encoding': 'gzip' });
    expect(response.status).toBe(413);
    expect((await statusBody(response)).message).toBe(`request body is over the ${64 * MIB}-byte limit once decompressed`);
    expect(sink.traces).toHaveLength(0);
  });

  it('answers 503 with Retry-After when the store is down', async () => {
    const server = await serve(new FailingSink());
    const response = await server.post('/v1/traces', serializeTracesProtobuf(recordTurnSpans()), PROTOBUF);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await statusBody(response)).toEqual({ code: 14, message: 'connect ECONNREFUSED 127.0.0.1:5432' });
    expect(server.logged).toEqual([expect.objectContaining({ level: 'warn' })]);
  });

  it('answers 503 with Retry-After when the write queue is full', async () => {
    const server = await serve(new FailingSink(new QueueFullError('write queue is over its 256 MiB budget')));
    const response = await server.post('/v1/traces', serializeTracesJson(recordTurnSpans()), JSON_TYPE);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(((await response.json()) as { message: string }).message).toBe('write queue is over its 256 MiB budget');
  });

  it('refuses with 503 before reading the body when the sink says its queue is full', async () => {
    const sink = new RecordingSink();
    const full = Object.assign(sink, { isFull: (): boolean => true });
    const server = await serve(full);
    const response = await server.post('/v1/traces', serializeTracesProtobuf(recordTurnSpans()), PROTOBUF);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(sink.traces).toHaveLength(0);
    // The connection stays usable: the next request, with room again, is accepted.
    full.isFull = () => false;
    const next = await server.post('/v1/traces', serializeTracesProtobuf(recordTurnSpans()), PROTOBUF);
    expect(next.status).toBe(200);
    expect(sink.traces).toHaveLength(1);
  });

  it('answers 503, never 500, when the store fails unexpectedly, and logs the error', async () => {
    const boom = new TypeError("Cannot read properties of undefined (reading 'rows')");
    const server = await serve(new FailingSink(boom));
    const response = await server.post('/v1/traces', serializeTracesProtobuf(recordTurnSpans()), PROTOBUF);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect((await statusBody(response)).message).not.toContain('rows');
    expect(server.logged).toEqual([expect.objectContaining({ level: 'error', details: expect.objectContaining({ err: boom, code: 'CONVOTEL_UNAVAILABLE' }) })]);
  });

  it('answers 405 with Allow: POST for other methods', async () => {
    const server = await serve();
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await fetch(`${server.url}/v1/traces`, { method });
      server.statuses.push(response.status);
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
  });

  it('answers 404 with a Status body for paths it does not serve', async () => {
    const server = await serve();
    const response = await server.post('/v1/metrics', Buffer.alloc(0), PROTOBUF);
    expect(response.status).toBe(404);
    expect((await statusBody(response)).message).toContain('/v1/metrics');
  });
});

describe('POST /v1/logs', () => {
  it('stores the log records the OpenTelemetry SDK exports, in protobuf and JSON', async () => {
    const sink = new RecordingSink();
    const server = await serve(sink);
    const records = recordLogRecords((logger) => {
      logger.emit({ eventName: 'balance_lookup', severityNumber: 9, body: 'looked up' });
      logger.emit({ body: { structured: true } });
    });
    const protobuf = await server.post('/v1/logs', gzipSync(serializeLogsProtobuf(records)), { ...PROTOBUF, 'content-encoding': 'gzip' });
    const json = await server.post('/v1/logs', serializeLogsJson(records), JSON_TYPE);

    expect([protobuf.status, json.status]).toEqual([200, 200]);
    expect(await json.text()).toBe('{}');
    expect(sink.events.map((r) => r.body)).toEqual(['looked up', { structured: true }, 'looked up', { structured: true }]);
    expect(sink.traces).toHaveLength(0);
  });

  it('keeps the good records and reports rejected_log_records', async () => {
    const sink = new RecordingSink();
    const server = await serve(sink);
    const body = JSON.stringify({
      // The good record has a time, else normalizing would reject it in turn.
      resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: '1767225600000000000', body: { stringValue: 'ok' } }, { spanId: SPAN_ID.toString('base64') }] }] }],
    });
    const response = await server.post('/v1/logs', body, JSON_TYPE);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      partialSuccess: { rejectedLogRecords: '1', errorMessage: expect.stringMatching(/^1 log record rejected: log record: spanId/) },
    });
    expect(sink.events).toHaveLength(1);
  });

  it('answers 503 with Retry-After when the store is down', async () => {
    const server = await serve(new FailingSink());
    const records = recordLogRecords((logger) => logger.emit({ body: 'x' }));
    const response = await server.post('/v1/logs', serializeLogsProtobuf(records), PROTOBUF);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('7');
  });
});

describe('partial success with dropped values', () => {
  it('warns of values the store dropped with 0 rejected spans, after any rejections', async () => {
    const sink = new RecordingSink();
    sink.result = { rejected: 0, rejectedByCategory: {}, rejectionReasons: [], droppedValues: 7, droppedValueReasons: ['span a: convotel.turn.index = 3000000000 does not fit an integer column'] };
    const server = await serve(sink);
    const good = await server.post('/v1/traces', JSON.stringify(jsonTraceRequest([jsonSpan()])), JSON_TYPE);
    expect(await good.json()).toEqual({
      partialSuccess: { rejectedSpans: '0', errorMessage: '7 values dropped, spans kept: span a: convotel.turn.index = 3000000000 does not fit an integer column; …' },
    });

    const withBadId = await server.post('/v1/traces', JSON.stringify(jsonTraceRequest([jsonSpan(), jsonSpan({ name: 'bad', traceId: 'zz' })])), JSON_TYPE);
    expect(await withBadId.json()).toEqual({
      partialSuccess: {
        rejectedSpans: '1',
        errorMessage:
          '1 span rejected: span "bad": traceId has 2 characters, expected 32 hex digits; 7 values dropped, spans kept: span a: convotel.turn.index = 3000000000 does not fit an integer column; …',
      },
    });
  });
});
