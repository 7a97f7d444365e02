// The step between decoding and the sink: room in the sink is taken first (a request it would
// refuse is not normalized), then the decoded request becomes rows (normalize/, pure), and the
// rows are handed over. The sink never sees OTLP, and normalizing never sees the sink.
import { InternalError, toProcessingError } from '../errors.js';
import { estimateWithPriceTable, type CostEstimator } from '../normalize/concepts/cost.js';
import { logsToRows } from '../normalize/logs-to-rows.js';
import { toRows } from '../normalize/to-rows.js';
import type { LogsRequest, TraceRequest } from '../otlp/types.js';
import type { BatchSink, NormalizedRequest, SinkReservation, WriteResult } from '../sink/batch-sink.js';

/** How requests are normalized on their way to the sink; all optional. */
export interface NormalizeSettings {
  /** Prices calls whose spans report no cost. Default: the shared `@convotel/pricing` table. */
  readonly estimateCost?: CostEstimator;
  /** Longest captured content stored, in characters; longer is cut and marked. Default 16384 (`CONVOTEL_MAX_CONTENT_LENGTH`). */
  readonly maxContentLength?: number;
  /**
   * Told when some items of a request failed to normalize (a bug of ours): an `InternalError`
   * whose cause is the first failure. The items are rejected; the rest of the request is written.
   */
  readonly onItemsFailed?: (error: InternalError) => void;
}

/** Normalizes a decoded trace request into `sink`; resolves once its rows are committed. */
export function writeTraceRequest(sink: BatchSink, request: TraceRequest, sizeBytes: number, settings: NormalizeSettings = {}): Promise<WriteResult> {
  return submit(sink, sizeBytes, settings, () => ({
    kind: 'traces',
    value: toRows(request, { estimateCost: settings.estimateCost ?? estimateWithPriceTable, maxContentLength: settings.maxContentLength }),
  }));
}

/** Normalizes a decoded logs request into `sink`; resolves once its rows are committed. */
export function writeLogsRequest(sink: BatchSink, request: LogsRequest, sizeBytes: number, settings: NormalizeSettings = {}): Promise<WriteResult> {
  return submit(sink, sizeBytes, settings, () => ({ kind: 'logs', value: logsToRows(request, { maxContentLength: settings.maxContentLength }) }));
}

/** Every failure comes back as a rejected promise, so the caller handles one path. */
function submit(sink: BatchSink, sizeBytes: number, settings: NormalizeSettings, normalize: () => NormalizedRequest): Promise<WriteResult> {
  let reservation: SinkReservation;
  try {
    reservation = sink.reserve(sizeBytes);
  } catch (error) {
    return Promise.reject(error);
  }
  let rows: NormalizedRequest;
  try {
    rows = normalize();
  } catch (error) {
    reservation.release();
    // Pure code: the same request would fail the same way on every retry.
    return Promise.reject(toProcessingError(error, 'normalizing the request'));
  }
  if (rows.value.failed > 0) {
    settings.onItemsFailed?.(new InternalError(`normalizing ${rows.value.failed} of a request's items failed; they were rejected`, { cause: rows.value.failure }));
  }
  return reservation.write(rows);
}
