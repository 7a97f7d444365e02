// The contract between the pipeline and where its rows go: decoded requests are normalized
// before they reach a sink (pipeline/write-request.ts), so a sink takes rows, never OTLP.
// The store implements it (store/store-sink.ts); the HTTP layer knows only this.
import type { LogRows, TraceRows } from '../normalize/rows.js';
import type { RejectionCounts } from '../otlp/types.js';

/** The rows one request became, with its signal. */
export type NormalizedRequest = { readonly kind: 'traces'; readonly value: TraceRows } | { readonly kind: 'logs'; readonly value: LogRows };

/** Outcome of a write: how many items were unusable after normalization (added to partial success). */
export interface WriteResult {
  readonly rejected: number;
  /** `rejected` by category (for metrics). */
  readonly rejectedByCategory: RejectionCounts;
  readonly rejectionReasons: readonly string[];
  /** Values left out of their columns, items kept: a warning in the partial success. */
  readonly droppedValues?: number;
  readonly droppedValueReasons?: readonly string[];
}

/** How a failed transaction ended: run again (deadlock, …), answered 503, or the rows refused. */
export type DbErrorKind = 'retried' | 'transient' | 'permanent';

/** Hooks a sink calls around its transactions, so metrics see the writes without the sink knowing them. */
export interface SinkObserver {
  /** A transaction committed `rows` rows (several requests' with group commit) after `seconds`, retries included. */
  committed(rows: number, seconds: number): void;
  /** A transaction failed. */
  failed(kind: DbErrorKind): void;
}

/**
 * Room in a sink's write queue for one request, taken before the request is normalized: a
 * request the sink would refuse costs no normalizing. Used once: `write` or `release`.
 */
export interface SinkReservation {
  /**
   * Queues the request's rows; resolves with the request's result once they are committed (the
   * HTTP layer acknowledges after it), and rejects with `StoreUnavailableError` (database down → 503).
   */
  write(rows: NormalizedRequest): Promise<WriteResult>;
  /** Gives the room back unused (normalizing the request failed). */
  release(): void;
}

/** Where normalized requests go. */
export interface BatchSink {
  /**
   * Room for a request of `sizeBytes` (as received). Throws `QueueFullError` when the write
   * queue is over its byte budget (→ 503 + Retry-After), `StoreUnavailableError` once closing.
   */
  reserve(sizeBytes: number): SinkReservation;
  /**
   * True while a request of the usual size would not fit in the write queue's budget (it would
   * be refused with `QueueFullError`). Lets the HTTP layer answer 503 before reading and
   * decoding a body the sink would refuse anyway: under overload that decoding is most of the CPU.
   */
  isFull?(): boolean;
  /** Bytes of requests queued or being written (read by the queue gauge at scrape time). */
  readonly queuedBytes?: number;
  /** True once migrations are applied and the database answers. */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}
