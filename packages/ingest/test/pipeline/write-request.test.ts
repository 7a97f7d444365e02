// Normalizing into the sink on a real store: a span whose normalization throws is reported
// rejected (category internal_error), told to onItemsFailed as an InternalError, and the
// request's other spans are stored, once.
import { describe, expect, it } from 'vitest';
import { InternalError, QueueFullError } from '../../src/errors.js';
import { writeTraceRequest } from '../../src/pipeline/write-request.js';
import { StoreSink } from '../../src/store/store-sink.js';
import { STORE_KINDS, useEmptiedStore } from '../helpers/db.js';
import { conversationWithExtraCall, FAILING_MODEL, PRICING_FAILURE, throwingForOneModel } from '../helpers/failing-span.js';
import { toTraceRequest } from '../helpers/spans.js';
import { eachOnce, storedCounts } from '../helpers/stored-spans.js';

describe.each(STORE_KINDS)('a span whose normalization throws, written into the store sink (%s)', (kind) => {
  const db = useEmptiedStore(kind);

  it('stores the other spans once, reports it rejected as internal_error, and gives onItemsFailed an InternalError', async () => {
    const errors: unknown[] = [];
    const sink = new StoreSink(db.store);
    const settings = { estimateCost: throwingForOneModel, onItemsFailed: (error: InternalError) => errors.push(error) };
    const { good, extra } = conversationWithExtraCall(FAILING_MODEL);
    const request = toTraceRequest([extra, ...good]);

    const result = await writeTraceRequest(sink, request, 5000, settings);
    expect(result).toMatchObject({ rejected: 1, rejectedByCategory: { invalid_time: 0, internal_error: 1 } });
    expect(result.rejectionReasons).toEqual([expect.stringMatching(new RegExp(`^span ${extra.span.spanId} of trace .*: internal error: ${PRICING_FAILURE.message}$`))]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(InternalError);
    expect((errors[0] as InternalError).cause).toBe(PRICING_FAILURE);

    // Delivered again (the sender cannot tell which span failed): still each good span once.
    await writeTraceRequest(sink, request, 5000, settings);
    expect(await storedCounts(db.store, [extra, ...good])).toEqual({ ...eachOnce(good), [extra.span.spanId]: 0 });
  });
});

describe('a request the sink has no room for', () => {
  const db = useEmptiedStore('pglite');

  it('is refused with QueueFullError before it is normalized', async () => {
    const sink = new StoreSink(db.store, { maxQueueBytes: 10_000 });
    let priced = 0;
    const settings = { estimateCost: () => ((priced += 1), undefined) };
    const { good, extra } = conversationWithExtraCall('gpt-4o-mini');
    const held = sink.reserve(8000);

    await expect(writeTraceRequest(sink, toTraceRequest([extra, ...good]), 8000, settings)).rejects.toBeInstanceOf(QueueFullError);
    expect(priced).toBe(0);
    held.release();
    expect(sink.queuedBytes).toBe(0);
    await expect(writeTraceRequest(sink, toTraceRequest([extra, ...good]), 8000, settings)).resolves.toMatchObject({ rejected: 0 });
    expect(priced).toBeGreaterThan(0);
  });
});
