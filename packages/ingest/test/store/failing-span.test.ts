// Through the sink on a real store: a span whose normalization throws is reported rejected
// (category internal_error), logged through onError as an InternalError, and the request's
// other spans are stored, once.
import { describe, expect, it } from 'vitest';
import { InternalError } from '../../src/errors.js';
import { StoreSink } from '../../src/store/store-sink.js';
import { STORE_KINDS, useEmptiedStore } from '../helpers/db.js';
import { conversationWithExtraCall, FAILING_MODEL, PRICING_FAILURE, throwingForOneModel } from '../helpers/failing-span.js';
import { toTraceRequest } from '../helpers/spans.js';
import { eachOnce, storedCounts } from '../helpers/stored-spans.js';

describe.each(STORE_KINDS)('a span whose normalization throws, through the sink (%s)', (kind) => {
  const db = useEmptiedStore(kind);

  it('stores the other spans once, reports it rejected as internal_error, and gives onError an InternalError', async () => {
    const errors: unknown[] = [];
    const sink = new StoreSink(db.store, { estimateCost: throwingForOneModel, onError: (error) => errors.push(error) });
    const { good, extra } = conversationWithExtraCall(FAILING_MODEL);
    const request = toTraceRequest([extra, ...good]);

    const result = await sink.writeTraces(request, 5000);
    expect(result).toMatchObject({ rejected: 1, rejectedByCategory: { invalid_time: 0, internal_error: 1 } });
    expect(result.rejectionReasons).toEqual([expect.stringMatching(new RegExp(`^span ${extra.span.spanId} of trace .*: internal error: ${PRICING_FAILURE.message}$`))]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(InternalError);
    expect((errors[0] as InternalError).cause).toBe(PRICING_FAILURE);

    // Delivered again (the sender cannot tell which span failed): still each good span once.
    await sink.writeTraces(request, 5000);
    expect(await storedCounts(db.store, [extra, ...good])).toEqual({ ...eachOnce(good), [extra.span.spanId]: 0 });
  });
});
