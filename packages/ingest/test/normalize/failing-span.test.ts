// A span whose normalization throws (a bug of ours on its values) costs only that span: the
// request's other rows are exactly those it gives without the span, and the span is counted
// as rejected and failed, with an "internal error" reason.
import { describe, expect, it } from 'vitest';
import { estimateWithPriceTable } from '../../src/normalize/concepts/cost.js';
import type { TraceRows } from '../../src/normalize/rows.js';
import { toRows } from '../../src/normalize/to-rows.js';
import type { AttributeMap } from '../../src/otlp/types.js';
import { conversationWithExtraCall, FAILING_MODEL, PRICING_FAILURE as failure, throwingForOneModel } from '../helpers/failing-span.js';
import { DEFAULT_RESOURCE, toTraceRequest } from '../helpers/spans.js';

/** `rows` minus what says a span failed: what the request without that span gives. */
function withoutFailure(rows: TraceRows): TraceRows {
  return { ...rows, rejected: rows.rejected - rows.failed, failed: 0, failure: undefined, rejectionReasons: [] };
}

describe('toRows with a span whose normalization throws', () => {
  it('keeps every other row, and counts that span rejected and failed with an internal-error reason', () => {
    const { good, extra } = conversationWithExtraCall(FAILING_MODEL);
    const options = { estimateCost: throwingForOneModel };
    // The extra span in the middle of the request: spans after it must not be lost either.
    const rows = toRows(toTraceRequest([...good.slice(0, 4), extra, ...good.slice(4)]), options);
    const expected = toRows(toTraceRequest(good), options);

    expect(expected.failed).toBe(0);
    expect(rows).toMatchObject({ rejected: 1, failed: 1, failure });
    expect(rows.rejectionReasons).toEqual([`span ${extra.span.spanId} of trace ${extra.span.traceId}: internal error: ${failure.message}`]);
    expect(withoutFailure(rows)).toEqual(expected);
    expect(rows.llmCalls.map((call) => call.spanId)).not.toContain(extra.span.spanId);
  });

  it('leaves no row of the span when it throws after its row was added', () => {
    // The estimator runs before a span's row is added; its identity (read from the resource)
    // after. A resource whose conversation id cannot be read makes the span throw there.
    const unreadable: AttributeMap = { ...DEFAULT_RESOURCE };
    Object.defineProperty(unreadable, 'gen_ai.conversation.id', {
      enumerable: false,
      get() {
        throw failure;
      },
    });
    const { good, extra } = conversationWithExtraCall('gpt-4o-mini', unreadable);
    const options = { estimateCost: estimateWithPriceTable };
    const rows = toRows(toTraceRequest([extra, ...good]), options);

    expect(rows).toMatchObject({ rejected: 1, failed: 1, failure });
    expect(rows.llmCalls.map((call) => call.spanId)).not.toContain(extra.span.spanId);
    expect(withoutFailure(rows)).toEqual(toRows(toTraceRequest(good), options));
  });
});
