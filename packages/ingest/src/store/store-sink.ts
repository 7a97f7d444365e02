// The BatchSink of the ingest: normalizes each request, queues it within a byte budget, and
// commits queued requests together (group commit). Every caller's promise settles only after
// the transaction holding its rows committed (or failed).
import { InternalError, QueueFullError, StoreUnavailableError, toProcessingError } from '../errors.js';
import { estimateWithPriceTable, type CostEstimator } from '../normalize/concepts/cost.js';
import { logsToRows } from '../normalize/logs-to-rows.js';
import type { LogRows, TraceRows } from '../normalize/rows.js';
import { toRows } from '../normalize/to-rows.js';
import type { LogsRequest, RejectionCounts, TraceRequest } from '../otlp/types.js';
import { rowCountOf, toWriteBatch } from './write/batch.js';
import { itemCountOf, splitInHalves } from './write/split-rows.js';
import { cleanup, type CleanupResult } from './cleanup.js';
import { isRetryableTransactionError, isTransientDbError, isUniqueViolation } from './db-errors.js';
import { isSchemaCurrent } from './migrate.js';
import type { BatchSink, SinkObserver, WriteResult } from './sink.js';
import type { Store } from './store.js';
import type { TraceLocking } from './summary/trace-table.js';
import { writeBatch } from './write/write-batch.js';

/** Options of {@link StoreSink}; all optional. */
export interface StoreSinkOptions {
  /**
   * Bytes of requests (as received) queued or being written at most; beyond → QueueFullError.
   * Default 16 MiB: ~3 full batches of typical spans, enough to keep the writers busy, while
   * memory and the wait of a queued request (about a second of writing) stay bounded.
   */
  readonly maxQueueBytes?: number;
  /** Rows per transaction when merging queued requests (group commit). Default 5000. */
  readonly maxBatchRows?: number;
  /**
   * Transactions in flight at once. Default 2 on PostgreSQL, 1 on PGlite. A second one starts
   * only while a full batch (`maxBatchRows`) waits besides the running one.
   */
  readonly writeConcurrency?: number;
  /** Prices calls whose spans report no cost. Default: the shared `@convotel/pricing` table. */
  readonly estimateCost?: CostEstimator;
  /** Longest captured content stored, in characters; longer is cut and marked. Default 16384. */
  readonly maxContentLength?: number;
  /** Retention: delete raw rows older than this many days, checked every `cleanupIntervalMillis`. Off by default. */
  readonly retentionDays?: number;
  /** Default one hour. */
  readonly cleanupIntervalMillis?: number;
  /** Called with write failures (the callers get StoreUnavailableError or a partial success). */
  readonly onError?: (error: unknown) => void;
  /** Told of each commit and failed transaction (the ingest's metrics). */
  readonly observer?: SinkObserver;
}

interface QueuedWrite {
  readonly rows: { kind: 'traces'; value: TraceRows } | { kind: 'logs'; value: LogRows };
  readonly rowCount: number;
  /** Traces whose rows the write locks. */
  readonly traceIds: ReadonlySet<string>;
  readonly resolve: (result: WriteResult) => void;
  readonly reject: (error: unknown) => void;
}

const DEFAULT_MAX_QUEUE_BYTES = 16 * 1024 * 1024;
const DEFAULT_MAX_BATCH_ROWS = 5000;
const TRANSACTION_ATTEMPTS = 4;
/** Reasons kept for a partial success: a few examples, not one per item. */
const MAX_REASONS = 5;

/**
 * The ingest's `BatchSink` over a {@link Store}: bounded write queue (QueueFullError beyond
 * `maxQueueBytes`), group commit of queued requests, StoreUnavailableError while the database
 * is unreachable, optional periodic retention cleanup.
 */
export class StoreSink implements BatchSink {
  readonly #store: Store;
  readonly #maxQueueBytes: number;
  readonly #maxBatchRows: number;
  readonly #writeConcurrency: number;
  readonly #estimateCost: CostEstimator;
  readonly #maxContentLength: number | undefined;
  readonly #onError: (error: unknown) => void;
  readonly #observer: SinkObserver | undefined;
  readonly #queue: QueuedWrite[] = [];
  /** Traces of the batches being written, with how many batches hold each. */
  readonly #tracesInFlight = new Map<string, number>();
  #queuedBytes = 0;
  #queuedRows = 0;
  /** Moving average of request sizes (for `isFull`, asked before a body is read). */
  #usualRequestBytes = 0;
  #writers = 0;
  #isClosed = false;
  #isSchemaKnownCurrent = false;
  readonly #idle = new Set<() => void>();
  #cleanupTimer: NodeJS.Timeout | undefined;

  constructor(store: Store, options: StoreSinkOptions = {}) {
    this.#store = store;
    this.#maxQueueBytes = options.maxQueueBytes ?? DEFAULT_MAX_QUEUE_BYTES;
    this.#maxBatchRows = options.maxBatchRows ?? DEFAULT_MAX_BATCH_ROWS;
    this.#writeConcurrency = Math.max(1, options.writeConcurrency ?? (store.kind === 'postgres' ? 2 : 1));
    this.#estimateCost = options.estimateCost ?? estimateWithPriceTable;
    this.#maxContentLength = options.maxContentLength;
    this.#onError = options.onError ?? (() => undefined);
    this.#observer = options.observer;
    if (options.retentionDays !== undefined) {
      const days = options.retentionDays;
      this.#cleanupTimer = setInterval(() => {
        this.cleanup(days).catch(this.#onError);
      }, options.cleanupIntervalMillis ?? 3_600_000);
      this.#cleanupTimer.unref();
    }
  }

  /** Bytes currently queued or being written. */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /** True while a request of the usual size would not fit in the queue's byte budget. */
  isFull(): boolean {
    return this.#queuedBytes > 0 && this.#queuedBytes + this.#usualRequestBytes > this.#maxQueueBytes;
  }

  writeTraces(request: TraceRequest, sizeBytes: number): Promise<WriteResult> {
    return this.#enqueue(sizeBytes, () => ({ kind: 'traces', value: toRows(request, { estimateCost: this.#estimateCost, maxContentLength: this.#maxContentLength }) }));
  }

  writeLogs(request: LogsRequest, sizeBytes: number): Promise<WriteResult> {
    return this.#enqueue(sizeBytes, () => ({ kind: 'logs', value: logsToRows(request, { maxContentLength: this.#maxContentLength }) }));
  }

  async isReady(): Promise<boolean> {
    if (this.#isClosed) return false;
    try {
      await this.#store.ping();
      if (!this.#isSchemaKnownCurrent) this.#isSchemaKnownCurrent = await this.#store.withClient((client) => isSchemaCurrent(client));
      return this.#isSchemaKnownCurrent;
    } catch {
      return false;
    }
  }

  /** Deletes raw rows older than `olderThanDays` days; rollups are kept. */
  cleanup(olderThanDays: number): Promise<CleanupResult> {
    return cleanup(this.#store, olderThanDays);
  }

  /** Stops accepting writes, waits for queued ones to settle, and closes the store. */
  async close(): Promise<void> {
    if (this.#isClosed) return;
    this.#isClosed = true;
    if (this.#cleanupTimer !== undefined) clearInterval(this.#cleanupTimer);
    await this.#drained();
    await this.#store.close();
  }

  #enqueue(sizeBytes: number, normalize: () => QueuedWrite['rows']): Promise<WriteResult> {
    if (this.#isClosed) return Promise.reject(new StoreUnavailableError('the ingest is shutting down'));
    this.#usualRequestBytes = this.#usualRequestBytes === 0 ? sizeBytes : this.#usualRequestBytes + (sizeBytes - this.#usualRequestBytes) / 8;
    // A lone request larger than the budget is still taken when nothing else is queued.
    if (this.#queuedBytes > 0 && this.#queuedBytes + sizeBytes > this.#maxQueueBytes) {
      return Promise.reject(new QueueFullError(`write queue full (${this.#queuedBytes} of ${this.#maxQueueBytes} bytes in use)`));
    }
    let rows: QueuedWrite['rows'];
    try {
      rows = normalize();
    } catch (error) {
      // Pure code: the same request would fail the same way on every retry.
      return Promise.reject(toProcessingError(error, 'normalizing the request'));
    }
    if (rows.value.failed > 0) {
      this.#onError(new InternalError(`normalizing ${rows.value.failed} of a request's items failed; they were rejected`, { cause: rows.value.failure }));
    }
    return new Promise<WriteResult>((resolve, reject) => {
      // Its bytes leave the budget as the caller is answered (each write settles once).
      const settle = <T>(answer: (value: T) => void) => (value: T): void => {
        this.#queuedBytes -= sizeBytes;
        answer(value);
      };
      const rowCount = rowCountOf(rows.value);
      this.#queue.push({ rows, rowCount, traceIds: traceIdsOf(rows), resolve: settle(resolve), reject: settle(reject) });
      this.#queuedBytes += sizeBytes;
      this.#queuedRows += rowCount;
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#writers < this.#writeConcurrency && this.#queue.length > 0) {
      // An extra transaction only for a real backlog: small ones cost more per row (DESIGN.md §7),
      // and meanwhile the queue grows into a bigger batch for the writer that finishes first.
      if (this.#writers > 0 && this.#queuedRows < this.#maxBatchRows) return;
      const items = this.#takeBatch();
      if (items.length === 0) return;
      this.#writers += 1;
      this.#holdTraces(items, 1);
      void this.#write(items).finally(() => {
        this.#writers -= 1;
        this.#holdTraces(items, -1);
        this.#pump();
        if (this.#writers === 0 && this.#queue.length === 0) for (const resolve of this.#idle) resolve();
      });
    }
  }

  /**
   * Queued requests, oldest first, up to the row limit. Requests sharing a trace with a batch
   * being written wait for it: concurrent writers of one sink then never meet on a trace row,
   * so their optimistic inserts do not conflict (and none waits for the other's locks there).
   */
  #takeBatch(): QueuedWrite[] {
    const items: QueuedWrite[] = [];
    let rows = 0;
    for (let i = 0; i < this.#queue.length; ) {
      const next = this.#queue[i] as QueuedWrite;
      if (items.length > 0 && rows + next.rowCount > this.#maxBatchRows) break;
      if (this.#tracesInFlight.size > 0 && this.#isInFlight(next)) {
        i += 1;
        continue;
      }
      this.#queue.splice(i, 1);
      items.push(next);
      rows += next.rowCount;
      this.#queuedRows -= next.rowCount;
    }
    return items;
  }

  #isInFlight(item: QueuedWrite): boolean {
    for (const traceId of item.traceIds) if (this.#tracesInFlight.has(traceId)) return true;
    return false;
  }

  #holdTraces(items: readonly QueuedWrite[], delta: 1 | -1): void {
    for (const item of items) {
      for (const traceId of item.traceIds) {
        const count = (this.#tracesInFlight.get(traceId) ?? 0) + delta;
        if (count === 0) this.#tracesInFlight.delete(traceId);
        else this.#tracesInFlight.set(traceId, count);
      }
    }
  }

  async #write(items: readonly QueuedWrite[]): Promise<void> {
    try {
      await this.#commit(items.map((item) => item.rows));
      for (const item of items) item.resolve(toWriteResult(item));
    } catch (error) {
      this.#onError(error);
      this.#observer?.failed(isTransientDbError(error) ? 'transient' : 'permanent');
      if (isTransientDbError(error)) {
        const unavailable = new StoreUnavailableError(`database unavailable: ${(error as Error).message}`, { cause: error });
        for (const item of items) item.reject(unavailable);
      } else if (items.length > 1) {
        // One request's rows broke the transaction: commit the others alone.
        for (const item of items) await this.#write([item]);
      } else {
        const item = items[0] as QueuedWrite;
        try {
          item.resolve(withRefused(toWriteResult(item), await this.#writeInParts(item.rows, error)));
        } catch (partError) {
          this.#onError(partError);
          item.reject(new StoreUnavailableError(`database unavailable: ${(partError as Error).message}`, { cause: partError }));
        }
      }
    }
  }

  /**
   * Writes a request the store refused in halves, down to single traces (or log records), so
   * only what the store still refuses is lost. Throws a transient error as it comes (the
   * request is then answered 503 and sent again; the halves already written stay, idempotently).
   */
  async #writeInParts(rows: QueuedWrite['rows'], error: unknown): Promise<Refused> {
    const halves = splitInHalves(rows.value);
    if (halves === undefined) return { items: itemCountOf(rows.value), reasons: [`the store refused ${describeRows(rows)}: ${(error as Error).message}`] };
    let refused: Refused = { items: 0, reasons: [] };
    for (const half of halves) {
      const part = { kind: rows.kind, value: half } as QueuedWrite['rows'];
      try {
        await this.#commit([part]);
      } catch (partError) {
        if (isTransientDbError(partError)) throw partError;
        this.#observer?.failed('permanent');
        const more = await this.#writeInParts(part, partError);
        refused = { items: refused.items + more.items, reasons: [...refused.reasons, ...more.reasons] };
      }
    }
    return refused;
  }

  async #commit(requests: readonly QueuedWrite['rows'][]): Promise<void> {
    const traces = requests.flatMap((rows) => (rows.kind === 'traces' ? [rows.value] : []));
    const logs = requests.flatMap((rows) => (rows.kind === 'logs' ? [rows.value] : []));
    const batch = toWriteBatch(traces, logs);
    let traceLocking: TraceLocking = 'optimistic';
    const startedAt = performance.now();
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.#store.transaction((tx) => writeBatch(tx, batch, { traceLocking }));
        this.#observer?.committed(rowsOf(requests), (performance.now() - startedAt) / 1000);
        return;
      } catch (error) {
        // Another writer (a replica) created one of our traces meanwhile: redo it the safe way.
        if (traceLocking === 'optimistic' && isUniqueViolation(error)) {
          traceLocking = 'safe';
          this.#observer?.failed('retried');
          continue;
        }
        if (attempt >= TRANSACTION_ATTEMPTS || !isRetryableTransactionError(error)) throw error;
        this.#observer?.failed('retried');
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
      }
    }
  }

  #drained(): Promise<void> {
    if (this.#writers === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.#idle.delete(done);
        resolve();
      };
      this.#idle.add(done);
    });
  }
}

function rowsOf(requests: readonly QueuedWrite['rows'][]): number {
  return requests.reduce((sum, rows) => sum + rowCountOf(rows.value), 0);
}

function traceIdsOf(rows: QueuedWrite['rows']): Set<string> {
  const ids = new Set<string>();
  if (rows.kind === 'traces') for (const facts of rows.value.turns) ids.add(facts.traceId);
  else for (const event of rows.value.events) if (event.traceId !== undefined) ids.add(event.traceId);
  return ids;
}

function toWriteResult(item: QueuedWrite): WriteResult {
  const { rejected, rejectionReasons, droppedValues, droppedValueReasons } = item.rows.value;
  return { rejected, rejectedByCategory: normalizationCategories(item.rows.value), rejectionReasons, droppedValues, droppedValueReasons };
}

/** Normalization rejects implausible times, and items whose normalization threw. */
function normalizationCategories(rows: TraceRows | LogRows): RejectionCounts {
  return { invalid_time: rows.rejected - rows.failed, internal_error: rows.failed };
}

/** What the store refused of a request, for a reason retrying cannot fix. */
interface Refused {
  readonly items: number;
  readonly reasons: readonly string[];
}

/** A request's result with what the store refused added as rejected (`store_refused`). */
function withRefused(result: WriteResult, refused: Refused): WriteResult {
  if (refused.items === 0) return result;
  return {
    ...result,
    rejected: result.rejected + refused.items,
    rejectedByCategory: { ...result.rejectedByCategory, store_refused: refused.items },
    rejectionReasons: [...result.rejectionReasons, ...refused.reasons].slice(0, MAX_REASONS),
  };
}

function describeRows(rows: QueuedWrite['rows']): string {
  if (rows.kind === 'logs') return rows.value.events.length === 1 ? `log record ${rows.value.events[0]?.eventId}` : 'the log records';
  const traceId = rows.value.turns[0]?.traceId ?? rows.value.llmCalls[0]?.traceId ?? rows.value.steps[0]?.traceId;
  return traceId === undefined ? 'the spans' : `the spans of trace ${traceId}`;
}
