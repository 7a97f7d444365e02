// The BatchSink of the ingest: normalizes each request, queues it within a byte budget, and
// commits queued requests together (group commit). Every caller's promise settles only after
// the transaction holding its rows committed (or failed).
import { QueueFullError, StoreUnavailableError } from '../errors.js';
import { estimateWithPriceTable, type CostEstimator } from '../normalize/concepts/cost.js';
import { logsToRows } from '../normalize/logs-to-rows.js';
import type { LogRows, TraceRows } from '../normalize/rows.js';
import { toRows } from '../normalize/to-rows.js';
import type { LogsRequest, TraceRequest } from '../otlp/types.js';
import { rowCountOf, toWriteBatch } from './write/batch.js';
import { cleanup, type CleanupResult } from './cleanup.js';
import { isRetryableTransactionError, isTransientDbError } from './db-errors.js';
import { isSchemaCurrent } from './migrate.js';
import type { BatchSink, WriteResult } from './sink.js';
import type { Store } from './store.js';
import { writeBatch } from './write/write-batch.js';

/** Options of {@link StoreSink}; all optional. */
export interface StoreSinkOptions {
  /** Bytes of requests (as received) queued or being written at most; beyond → QueueFullError. Default 64 MiB. */
  readonly maxQueueBytes?: number;
  /** Rows per transaction when merging queued requests (group commit). Default 5000. */
  readonly maxBatchRows?: number;
  /** Transactions in flight at once. Default 2 on PostgreSQL, 1 on PGlite. */
  readonly writeConcurrency?: number;
  /** Prices calls whose spans report no cost. Default: the shared `@convotel/pricing` table. */
  readonly estimateCost?: CostEstimator;
  /** Retention: delete raw rows older than this many days, checked every `cleanupIntervalMillis`. Off by default. */
  readonly retentionDays?: number;
  /** Default one hour. */
  readonly cleanupIntervalMillis?: number;
  /** Called with write failures (the callers get StoreUnavailableError or a partial success). */
  readonly onError?: (error: unknown) => void;
}

interface QueuedWrite {
  readonly rows: { kind: 'traces'; value: TraceRows } | { kind: 'logs'; value: LogRows };
  readonly sizeBytes: number;
  readonly rowCount: number;
  readonly resolve: (result: WriteResult) => void;
  readonly reject: (error: unknown) => void;
}

const DEFAULT_MAX_QUEUE_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_BATCH_ROWS = 5000;
const TRANSACTION_ATTEMPTS = 4;

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
  readonly #onError: (error: unknown) => void;
  readonly #queue: QueuedWrite[] = [];
  #queuedBytes = 0;
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
    this.#onError = options.onError ?? (() => undefined);
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

  writeTraces(request: TraceRequest, sizeBytes: number): Promise<WriteResult> {
    return this.#enqueue(sizeBytes, () => ({ kind: 'traces', value: toRows(request, { estimateCost: this.#estimateCost }) }));
  }

  writeLogs(request: LogsRequest, sizeBytes: number): Promise<WriteResult> {
    return this.#enqueue(sizeBytes, () => ({ kind: 'logs', value: logsToRows(request) }));
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
    // A lone request larger than the budget is still taken when nothing else is queued.
    if (this.#queuedBytes > 0 && this.#queuedBytes + sizeBytes > this.#maxQueueBytes) {
      return Promise.reject(new QueueFullError(`write queue full (${this.#queuedBytes} of ${this.#maxQueueBytes} bytes in use)`));
    }
    let rows: QueuedWrite['rows'];
    try {
      rows = normalize();
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<WriteResult>((resolve, reject) => {
      this.#queue.push({ rows, sizeBytes, rowCount: rowCountOf(rows.value), resolve, reject });
      this.#queuedBytes += sizeBytes;
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#writers < this.#writeConcurrency && this.#queue.length > 0) {
      const items = this.#takeBatch();
      this.#writers += 1;
      void this.#write(items).finally(() => {
        this.#writers -= 1;
        for (const item of items) this.#queuedBytes -= item.sizeBytes;
        this.#pump();
        if (this.#writers === 0 && this.#queue.length === 0) for (const resolve of this.#idle) resolve();
      });
    }
  }

  /** Queued requests, oldest first, up to the row limit (always at least one). */
  #takeBatch(): QueuedWrite[] {
    const items: QueuedWrite[] = [];
    let rows = 0;
    while (this.#queue.length > 0) {
      const next = this.#queue[0] as QueuedWrite;
      if (items.length > 0 && rows + next.rowCount > this.#maxBatchRows) break;
      items.push(this.#queue.shift() as QueuedWrite);
      rows += next.rowCount;
    }
    return items;
  }

  async #write(items: readonly QueuedWrite[]): Promise<void> {
    try {
      await this.#commit(items);
      for (const item of items) item.resolve(toWriteResult(item));
    } catch (error) {
      this.#onError(error);
      if (isTransientDbError(error)) {
        const unavailable = new StoreUnavailableError(`database unavailable: ${(error as Error).message}`, { cause: error });
        for (const item of items) item.reject(unavailable);
      } else if (items.length > 1) {
        // One request's rows broke the transaction: commit the others alone.
        for (const item of items) await this.#write([item]);
      } else {
        for (const item of items) item.resolve(toRejectedResult(item, error));
      }
    }
  }

  async #commit(items: readonly QueuedWrite[]): Promise<void> {
    const traces = items.flatMap((item) => (item.rows.kind === 'traces' ? [item.rows.value] : []));
    const logs = items.flatMap((item) => (item.rows.kind === 'logs' ? [item.rows.value] : []));
    const batch = toWriteBatch(traces, logs);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.#store.transaction((tx) => writeBatch(tx, batch));
        return;
      } catch (error) {
        if (attempt >= TRANSACTION_ATTEMPTS || !isRetryableTransactionError(error)) throw error;
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

function toWriteResult(item: QueuedWrite): WriteResult {
  return { rejected: item.rows.value.rejected, rejectionReasons: item.rows.value.rejectionReasons };
}

/** A request the database refused for a reason retrying cannot fix: reported as rejected. */
function toRejectedResult(item: QueuedWrite, error: unknown): WriteResult {
  const value = item.rows.value;
  const total = value.rejected + ('events' in value ? value.events.length : value.spans);
  return {
    rejected: Math.max(total, 1),
    rejectionReasons: [...value.rejectionReasons, `the store refused the batch: ${(error as Error).message}`],
  };
}
