import { describe, expect, it } from 'vitest';
import { MalformedPayloadError, PayloadTooLargeError, QueueFullError, StoreUnavailableError, UnauthorizedError } from '../../src/errors.js';
import { toHttpFailure } from '../../src/http/error-handler.js';

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
