// The ingest's sink over a store: the write queue (write-queue.ts) hands batches to commit and
// retry (write/commit-requests.ts). Every caller's promise settles only after the transaction
// holding its rows committed (or failed). Normalizing happens before, retention beside it.
import { StoreUnavailableError } from '../errors.js';
import type { BatchSink, SinkObserver, SinkReservation } from '../sink/batch-sink.js';
import { isSchemaCurrent, type Store } from '@convotel/store';
import { commitPending } from './write/commit-requests.js';
import { WriteQueue, type WriteQueueOptions } from './write-queue.js';

/** Options of {@link StoreSink}; all optional. */
export interface StoreSinkOptions extends WriteQueueOptions {
  /** Transactions in flight at once. Default 2 on PostgreSQL, 1 on PGlite (see {@link WriteQueueOptions}). */
  readonly writeConcurrency?: number;
  /** Called with write failures (the callers get StoreUnavailableError or a partial success). */
  readonly onError?: (error: unknown) => void;
  /** Told of each commit and failed transaction (the ingest's metrics). */
  readonly observer?: SinkObserver;
  /** Tell the live feed of each commit with pg_notify (CONVOTEL_LIVE). Default true. */
  readonly shouldAnnounce?: boolean;
}

/**
 * The ingest's `BatchSink` over a {@link Store}: bounded write queue (QueueFullError beyond
 * `maxQueueBytes`), group commit of queued requests, StoreUnavailableError while the database
 * is unreachable.
 */
export class StoreSink implements BatchSink {
  readonly #store: Store;
  readonly #queue: WriteQueue;
  #isClosed = false;
  #isSchemaKnownCurrent = false;

  constructor(store: Store, options: StoreSinkOptions = {}) {
    this.#store = store;
    const hooks = { onError: options.onError ?? (() => undefined), observer: options.observer, shouldAnnounce: options.shouldAnnounce };
    this.#queue = new WriteQueue((batch) => commitPending(store, batch, hooks), {
      maxQueueBytes: options.maxQueueBytes,
      maxBatchRows: options.maxBatchRows,
      writeConcurrency: options.writeConcurrency ?? (store.kind === 'postgres' ? 2 : 1),
    });
  }

  /** Bytes currently queued or being written. */
  get queuedBytes(): number {
    return this.#queue.queuedBytes;
  }

  /** True while a request of the usual size would not fit in the queue's byte budget. */
  isFull(): boolean {
    return this.#queue.isFull();
  }

  reserve(sizeBytes: number): SinkReservation {
    if (this.#isClosed) throw new StoreUnavailableError('the ingest is shutting down');
    return this.#queue.reserve(sizeBytes);
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

  /** Stops accepting writes, waits for queued ones to settle, and closes the store. */
  async close(): Promise<void> {
    if (this.#isClosed) return;
    this.#isClosed = true;
    await this.#queue.drained();
    await this.#store.close();
  }
}
