// What a request's sender is told of its write: the items normalization rejected (by
// category) and, when the sink refused some, those too. Pure.
import type { LogRows, TraceRows } from '../normalize/rows.js';
import type { RejectionCounts } from '../otlp/types.js';
import type { WriteResult } from './batch-sink.js';

/** What a sink refused of a request, for a reason retrying cannot fix. */
export interface Refused {
  /** Spans or log records. */
  readonly items: number;
  readonly reasons: readonly string[];
}

/** Reasons kept for a partial success: a few examples, not one per item. */
const MAX_REASONS = 5;

/** The result of a request whose rows were all committed. */
export function toWriteResult(rows: TraceRows | LogRows): WriteResult {
  const { rejected, rejectionReasons, droppedValues, droppedValueReasons } = rows;
  return { rejected, rejectedByCategory: normalizationCategories(rows), rejectionReasons, droppedValues, droppedValueReasons };
}

/** A request's result with what the sink refused added as rejected (`store_refused`). */
export function withRefused(result: WriteResult, refused: Refused): WriteResult {
  if (refused.items === 0) return result;
  return {
    ...result,
    rejected: result.rejected + refused.items,
    rejectedByCategory: { ...result.rejectedByCategory, store_refused: refused.items },
    rejectionReasons: [...result.rejectionReasons, ...refused.reasons].slice(0, MAX_REASONS),
  };
}

/** Normalization rejects implausible times, and items whose normalization threw. */
function normalizationCategories(rows: TraceRows | LogRows): RejectionCounts {
  return { invalid_time: rows.rejected - rows.failed, internal_error: rows.failed };
}
