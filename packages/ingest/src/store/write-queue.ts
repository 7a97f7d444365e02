// The bounded write queue with group commit: requests' rows wait within a byte budget, and
// whatever is queued when a writer is free goes into one transaction, up to a row limit. The
// commit itself (and what to do when it fails) is the caller's `commit` function.
import { QueueFullError } from '../errors.js';
import type { NormalizedRequest, SinkReservation, WriteResult } from '../sink/batch-sink.js';
import { rowCountOf } from './write/batch.js';
import type { PendingRequest } from './write/commit-requests.js';

/** Options of {@link WriteQueue}; all optional. */
export interface WriteQueueOptions {
  /**
   * Bytes of requests (as received) queued or being written at most; beyond → QueueFullError.
   * Default 16 MiB: ~3 full batches of typical spans, enough to keep the writers busy, while
   * memory and the wait of a queued request (about a second of writing) stay bounded.
   */
  readonly maxQueueBytes?: number;
  /** Rows per transaction when merging queued requests (group commit). Default 5000. */
  readonly maxBatchRows?: number;
  /**
   * Transactions in flight at once. Default 1. A second one starts only while a full batch
   * (`maxBatchRows`) waits besides the running one.
   */
  readonly writeConcurrency?: number;
}

/** Commits a batch of queued requests and settles each of them (resolve or reject), once. */
export type CommitBatch = (batch: readonly PendingRequest[]) => Promise<void>;

interface QueuedWrite extends PendingRequest {
  readonly rowCount: number;
  /** Traces whose rows the write locks. */
  readonly traceIds: ReadonlySet<string>;
}

const DEFAULT_MAX_QUEUE_BYTES = 16 * 1024 * 1024;
const DEFAULT_MAX_BATCH_ROWS = 5000;

/**
 * Requests waiting for a transaction, within a byte budget, merged into batches of up to
 * `maxBatchRows` rows and handed to `commit`, at most `writeConcurrency` at a time.
 */
export class WriteQueue {
  readonly #commit: CommitBatch;
  readonly #maxQueueBytes: number;
  readonly #maxBatchRows: number;
  readonly #writeConcurrency: number;
  readonly #queue: QueuedWrite[] = [];
  /** Traces of the batches being written, with how many batches hold each. */
  readonly #tracesInFlight = new Map<string, number>();
  #queuedBytes = 0;
  #queuedRows = 0;
  /** Moving average of request sizes (for `isFull`, asked before a body is read). */
  #usualRequestBytes = 0;
  #writers = 0;
  readonly #idle = new Set<() => void>();

  constructor(commit: CommitBatch, options: WriteQueueOptions = {}) {
    this.#commit = commit;
    this.#maxQueueBytes = options.maxQueueBytes ?? DEFAULT_MAX_QUEUE_BYTES;
    this.#maxBatchRows = options.maxBatchRows ?? DEFAULT_MAX_BATCH_ROWS;
    this.#writeConcurrency = Math.max(1, options.writeConcurrency ?? 1);
  }

  /** Bytes currently reserved, queued or being written. */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /** True while a request of the usual size would not fit in the byte budget. */
  isFull(): boolean {
    return this.#queuedBytes > 0 && this.#queuedBytes + this.#usualRequestBytes > this.#maxQueueBytes;
  }

  /** Room for a request of `sizeBytes`, or QueueFullError. Its bytes leave the budget as its caller is answered. */
  reserve(sizeBytes: number): SinkReservation {
    this.#usualRequestBytes = this.#usualRequestBytes === 0 ? sizeBytes : this.#usualRequestBytes + (sizeBytes - this.#usualRequestBytes) / 8;
    // A lone request larger than the budget is still taken when nothing else is queued.
    if (this.#queuedBytes > 0 && this.#queuedBytes + sizeBytes > this.#maxQueueBytes) {
      throw new QueueFullError(`write queue full (${this.#queuedBytes} of ${this.#maxQueueBytes} bytes in use)`);
    }
    this.#queuedBytes += sizeBytes;
    let isUsed = false;
    const use = (): void => {
      if (isUsed) throw new Error('a write queue reservation is used once');
      isUsed = true;
    };
    return {
      write: (rows) => {
        use();
        return this.#enqueue(rows, sizeBytes);
      },
      release: () => {
        use();
        this.#queuedBytes -= sizeBytes;
      },
    };
  }

  /** Resolves once nothing is queued or being written. */
  drained(): Promise<void> {
    if (this.#writers === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.#idle.delete(done);
        resolve();
      };
      this.#idle.add(done);
    });
  }

  #enqueue(rows: NormalizedRequest, sizeBytes: number): Promise<WriteResult> {
    return new Promise<WriteResult>((resolve, reject) => {
      // Each write settles once.
      const settle = <T>(answer: (value: T) => void) => (value: T): void => {
        this.#queuedBytes -= sizeBytes;
        answer(value);
      };
      const rowCount = rowCountOf(rows.value);
      this.#queue.push({ rows, rowCount, traceIds: traceIdsOf(rows), resolve: settle(resolve), reject: settle(reject) });
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
      void this.#commit(items).finally(() => {
        this.#writers -= 1;
        this.#holdTraces(items, -1);
        this.#pump();
        if (this.#writers === 0 && this.#queue.length === 0) for (const resolve of this.#idle) resolve();
      });
    }
  }

  /**
   * Queued requests, oldest first, up to the row limit. Requests sharing a trace with a batch
   * being written wait for it: concurrent writers of one queue then never meet on a trace row,
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
}

function traceIdsOf(rows: NormalizedRequest): Set<string> {
  const ids = new Set<string>();
  if (rows.kind === 'traces') for (const facts of rows.value.turns) ids.add(facts.traceId);
  else for (const event of rows.value.events) if (event.traceId !== undefined) ids.add(event.traceId);
  return ids;
}
