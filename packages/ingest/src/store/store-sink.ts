// The BatchSink of the ingest: normalizes each request, queues it within a byte budget, and
// commits queued requests together (group commit; write/commit-requests.ts runs the
// transactions). Every caller's promise settles only after the transaction holding its rows
// committed (or failed).
import { InternalError, QueueFullError, StoreUnavailableError, toProcessingError } from '../errors.js';
import { estimateWithPriceTable, type CostEstimator } from '../normalize/concepts/cost.js';
import { logsToRows } from '../normalize/logs-to-rows.js';
import { toRows } from '../normalize/to-rows.js';
import type { LogsRequest, TraceRequest } from '../otlp/types.js';
import { cleanup, type CleanupResult } from './cleanup.js';
import { isTransientDbError } from './db-errors.js';
import { isSchemaCurrent } from './migrate.js';
import { startRetention, type Retention } from './retention.js';
import type { BatchSink, SinkObserver, WriteResult } from './sink.js';
import type { Store } from './store.js';
import { rowCountOf } from './write/batch.js';
import { commitInParts, commitRequests, type NormalizedRequest } from './write/commit-requests.js';
import { toWriteResult, withRefused } from './write-result.js';

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
  readonly rows: NormalizedRequest;
  readonly rowCount: number;
  /** Traces whose rows the write locks. */
  readonly traceIds: ReadonlySet<string>;
  readonly resolve: (result: WriteResult) => void;
  readonly reject: (error: unknown) => void;
}

const DEFAULT_MAX_QUEUE_BYTES = 16 * 1024 * 1024;
const DEFAULT_MAX_BATCH_ROWS = 5000;

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
  readonly #retention: Retention | undefined;

  constructor(store: Store, options: StoreSinkOptions = {}) {
    this.#store = store;
    this.#maxQueueBytes = options.maxQueueBytes ?? DEFAULT_MAX_QUEUE_BYTES;
    this.#maxBatchRows = options.maxBatchRows ?? DEFAULT_MAX_BATCH_ROWS;
    this.#writeConcurrency = Math.max(1, options.writeConcurrency ?? (store.kind === 'postgres' ? 2 : 1));
    this.#estimateCost = options.estimateCost ?? estimateWithPriceTable;
    this.#maxContentLength = options.maxContentLength;
    this.#onError = options.onError ?? (() => undefined);
    this.#observer = options.observer;
    this.#retention =
      options.retentionDays === undefined
        ? undefined
        : startRetention(store, options.retentionDays, options.cleanupIntervalMillis ?? 3_600_000, this.#onError);
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
    this.#retention?.stop();
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
      await commitRequests(this.#store, items.map((item) => item.rows), this.#observer);
      for (const item of items) item.resolve(toWriteResult(item.rows.value));
    } catch (error) {
      this.#onError(error);
      this.#observer?.failed(isTransientDbError(error) ? 'transient' : 'permanent');
      if (isTransientDbError(error)) {
        for (const item of items) item.reject(unavailable(error));
      } else if (items.length > 1) {
        // One request's rows broke the transaction: commit the others alone.
        for (const item of items) await this.#write([item]);
      } else {
        // The store refused this request: only the traces it still refuses in parts are lost.
        const item = items[0] as QueuedWrite;
        try {
          item.resolve(withRefused(toWriteResult(item.rows.value), await commitInParts(this.#store, item.rows, error, this.#observer)));
        } catch (partError) {
          this.#onError(partError);
          item.reject(unavailable(partError));
        }
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

function unavailable(error: unknown): StoreUnavailableError {
  return new StoreUnavailableError(`database unavailable: ${(error as Error).message}`, { cause: error });
}

function traceIdsOf(rows: NormalizedRequest): Set<string> {
  const ids = new Set<string>();
  if (rows.kind === 'traces') for (const facts of rows.value.turns) ids.add(facts.traceId);
  else for (const event of rows.value.events) if (event.traceId !== undefined) ids.add(event.traceId);
  return ids;
}
