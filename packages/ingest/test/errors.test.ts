import { describe, expect, it } from 'vitest';
import { InternalError, MalformedPayloadError, OverloadedError, QueueFullError, toProcessingError } from '../src/errors.js';

describe('toProcessingError', () => {
  it('passes our own errors through unchanged', () => {
    for (const error of [new MalformedPayloadError('bad bytes'), new QueueFullError('full'), new InternalError('bug')]) {
      expect(toProcessingError(error, 'decoding the request')).toBe(error);
    }
  });

  it('makes a failed allocation an OverloadedError (503, retried), keeping the cause', () => {
    const allocation = new RangeError('Array buffer allocation failed');
    const answer = toProcessingError(allocation, 'decoding the request');
    expect(answer).toBeInstanceOf(OverloadedError);
    expect(answer).toMatchObject({ status: 503, code: 'CONVOTEL_OVERLOADED', retryAfterSeconds: 1, cause: allocation });
    expect(answer.message).toMatch(/out of memory while decoding the request/);
  });

  it('makes any other error an InternalError (500, not retried), naming the stage and the message', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'spans')");
    const answer = toProcessingError(bug, 'normalizing the request');
    expect(answer).toBeInstanceOf(InternalError);
    expect(answer).toMatchObject({ status: 500, code: 'CONVOTEL_INTERNAL_ERROR', cause: bug });
    expect(answer.message).toBe(`internal error while normalizing the request: ${bug.message}`);
    // Only an allocation failure is an overload, not every RangeError.
    expect(toProcessingError(new RangeError('Invalid array length'), 'decoding the request')).toBeInstanceOf(InternalError);
  });
});
