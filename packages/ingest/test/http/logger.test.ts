// The ingest's logs as a log shipper reads them: one JSON object per line, from the logger
// itself and from the running app answering 503.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_INGEST_CONFIG } from '../../src/config.js';
import { StoreUnavailableError } from '../../src/errors.js';
import { createJsonLogger } from '../../src/http/logger.js';
import { startIngestServer, type RunningIngestServer } from '../../src/main.js';
import { serializeTracesProtobuf, recordTurnSpans } from '../helpers/otlp-fixtures.js';
import { FailingSink } from '../helpers/otlp-sinks.js';

/** pino's destination: every write, as written. */
function captureLines(): { writes: string[]; write: (chunk: string) => void; records: () => Record<string, unknown>[] } {
  const writes: string[] = [];
  return {
    writes,
    write: (chunk) => writes.push(chunk),
    records: () => writes.map((chunk) => JSON.parse(chunk) as Record<string, unknown>),
  };
}

let server: RunningIngestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('createJsonLogger', () => {
  it('writes one JSON object per line per event, with level, time, msg, fields and the error with its code and stack', () => {
    const out = captureLines();
    const logger = createJsonLogger({ destination: out });
    logger.info('ingest: listening', { port: 4318, store: 'pglite' });
    logger.warn('ingest: answered 503', { route: '/v1/traces', status: 503, code: 'CONVOTEL_QUEUE_FULL' });
    logger.error('ingest: write failed', new StoreUnavailableError('database unavailable: connect ECONNREFUSED'));

    expect(out.writes).toHaveLength(3);
    for (const chunk of out.writes) expect(chunk.indexOf('\n')).toBe(chunk.length - 1);
    const [info, warn, error] = out.records();
    expect(info).toMatchObject({ level: 'info', msg: 'ingest: listening', port: 4318, store: 'pglite', name: 'convotel-ingest' });
    expect(new Date(info?.time as string).toISOString()).toBe(info?.time);
    expect(warn).toMatchObject({ level: 'warn', msg: 'ingest: answered 503', route: '/v1/traces', status: 503, code: 'CONVOTEL_QUEUE_FULL' });
    expect(error).toMatchObject({
      level: 'error',
      msg: 'ingest: write failed',
      err: { type: 'StoreUnavailableError', code: 'CONVOTEL_STORE_UNAVAILABLE', message: 'database unavailable: connect ECONNREFUSED' },
    });
    expect((error?.err as { stack: string }).stack).toMatch(/logger\.test\.ts/);
  });

  it('writes nothing below its level', () => {
    const out = captureLines();
    const logger = createJsonLogger({ level: 'warn', destination: out });
    logger.info('not written');
    logger.warn('written');
    expect(out.records().map((record) => record.msg)).toEqual(['written']);
  });
});

describe('the app logging 503s', () => {
  const post = (port: number) =>
    fetch(`http://127.0.0.1:${port}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: serializeTracesProtobuf(recordTurnSpans()),
    });

  it('logs a refused request as a warn line with route, status, code and reason', async () => {
    const out = captureLines();
    const config = { ...DEFAULT_INGEST_CONFIG, host: '127.0.0.1', port: 0 };
    server = await startIngestServer({ sink: new FailingSink(), config, logger: createJsonLogger({ destination: out }) });
    expect((await post(server.port)).status).toBe(503);
    expect(out.records()).toEqual([
      expect.objectContaining({
        level: 'warn',
        route: '/v1/traces',
        method: 'POST',
        status: 503,
        code: 'CONVOTEL_STORE_UNAVAILABLE',
        reason: 'store_unavailable',
      }),
    ]);
  });

  it('logs an unexpected failure as an error line with the stack', async () => {
    const out = captureLines();
    const config = { ...DEFAULT_INGEST_CONFIG, host: '127.0.0.1', port: 0 };
    const bug = new TypeError("Cannot read properties of undefined (reading 'rows')");
    server = await startIngestServer({ sink: new FailingSink(bug), config, logger: createJsonLogger({ destination: out }) });
    expect((await post(server.port)).status).toBe(503);
    const [line] = out.records();
    expect(line).toMatchObject({ level: 'error', reason: 'unexpected', code: 'CONVOTEL_UNAVAILABLE', err: { type: 'TypeError', message: bug.message } });
    expect((line?.err as { stack: string }).stack).toContain('logger.test.ts');
  });
});
