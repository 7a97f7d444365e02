import type { LogsRequest, RejectionCounts, TraceRequest } from '../otlp/types.js';

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
 * Where decoded requests go. `write*` resolves only once the data is committed (the HTTP layer
 * acknowledges after it), and rejects with `StoreUnavailableError` (database down → 503) or
 * `QueueFullError` (write queue over its byte budget → 503 + Retry-After).
 */
export interface BatchSink {
  writeTraces(request: TraceRequest, sizeBytes: number): Promise<WriteResult>;
  writeLogs(request: LogsRequest, sizeBytes: number): Promise<WriteResult>;
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
