import { afterEach, describe, expect, it } from 'vitest';
import {
  InternalError,
  MalformedPayloadError,
  OverloadedError,
  PayloadTooLargeError,
  QueueFullError,
  StoreUnavailableError,
  UnauthorizedError,
} from '../../src/errors.js';
import { toHttpFailure } from '../../src/http/error-handler.js';
import { recordTurnSpans, serializeTracesProtobuf } from '../helpers/otlp-fixtures.js';
import { startTestServer, type TestServer } from '../helpers/otlp-server.js';
import { FailingSink } from '../helpers/otlp-sinks.js';

describe('toHttpFailure', () => {
  it('keeps the status and code of our own errors', () => {
    expect(toHttpFailure(new MalformedPayloadError('bad'))).toMatchObject({ status: 400, code: 'CONVOTEL_MALFORMED_PAYLOAD', message: 'bad' });
    expect(toHttpFailure(new PayloadTooLargeError('big', { limitBytes: 1 }))).toMatchObject({ status: 413, retryAfterSeconds: undefined });
    expect(toHttpFailure(new UnauthorizedError('who'))).toMatchObject({ status: 401, isUnexpected: false });
  });

  it('carries Retry-After for the transient store failures', () => {
    expect(toHttpFailure(new StoreUnavailableError('down'))).toMatchObject({ status: 503, retryAfterSeconds: 5 });
    expect(toHttpFailure(new QueueFullError('full', { retryAfterSeconds: 2 }))).toMatchObject({ status: 503, retryAfterSeconds: 2 });
  });

  it('turns anything unknown into a logged 503, never a 500', () => {
    for (const error of [new Error('bug'), new TypeError('x is undefined'), 'a string', undefined, { status: 500 }]) {
      expect(toHttpFailure(error)).toMatchObject({ status: 503, retryAfterSeconds: 5, isUnexpected: true });
    }
  });

  it("keeps the 4xx of express's own http errors", () => {
    expect(toHttpFailure(Object.assign(new URIError('Failed to decode param'), { status: 400 }))).toMatchObject({
      status: 400,
      isUnexpected: false,
    });
  });
});

describe('the error middleware of the app', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** POSTs a valid protobuf body to a server whose sink throws `error`. */
  async function answerTo(error: Error): Promise<Response> {
    server = await startTestServer(new FailingSink(error));
    return server.post('/v1/traces', serializeTracesProtobuf(recordTurnSpans()), { 'content-type': 'application/x-protobuf' });
  }

  it('answers an InternalError 500, without Retry-After, and logs it as an error with the error itself', async () => {
    const bug = new InternalError('internal error while normalizing the request: x is undefined');
    const response = await answerTo(bug);
    expect(response.status).toBe(500);
    expect(response.headers.get('x-convotel-error-code')).toBe('CONVOTEL_INTERNAL_ERROR');
    expect(response.headers.get('retry-after')).toBeNull();
    expect(Buffer.from(await response.arrayBuffer()).toString()).toContain(bug.message);
    expect(server?.logged).toEqual([
      {
        level: 'error',
        message: 'ingest: POST /v1/traces failed; answered 500',
        details: expect.objectContaining({ status: 500, code: 'CONVOTEL_INTERNAL_ERROR', err: bug }),
      },
    ]);
  });

  it('answers an OverloadedError 503 with its Retry-After, logged as a warning, not an error', async () => {
    const response = await answerTo(new OverloadedError('out of memory while decoding the request; retry later', { retryAfterSeconds: 2 }));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(response.headers.get('x-convotel-error-code')).toBe('CONVOTEL_OVERLOADED');
    await response.arrayBuffer();
    expect(server?.logged.map((entry) => entry.level)).toEqual(['warn']);
  });
});
