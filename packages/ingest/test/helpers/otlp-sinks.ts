// Test doubles of our own `BatchSink` interface (the real Postgres sink is tested in test/store).
// They receive what the pipeline made of each request: normalized rows.
import { StoreUnavailableError } from '../../src/errors.js';
import type { EventRow, LogRows, TraceRows } from '../../src/normalize/rows.js';
import type { BatchSink, NormalizedRequest, SinkReservation, WriteResult } from '../../src/sink/batch-sink.js';

const NOTHING_REJECTED: WriteResult = { rejected: 0, rejectionReasons: [], rejectedByCategory: {} };

/** A span as the rows show it: every row and turn root names its span. */
export interface RecordedSpan {
  readonly spanId: string;
  readonly name: string;
}

/** Keeps the rows of every request it is given; `result` is what each write reports. */
export class RecordingSink implements BatchSink {
  readonly traces: { rows: TraceRows; sizeBytes: number }[] = [];
  readonly logs: { rows: LogRows; sizeBytes: number }[] = [];
  result: WriteResult = NOTHING_REJECTED;
  isReadyValue = true;

  reserve(sizeBytes: number): SinkReservation {
    return { write: (rows) => this.write(rows, sizeBytes), release: () => undefined };
  }
  protected async write(rows: NormalizedRequest, sizeBytes: number): Promise<WriteResult> {
    if (rows.kind === 'traces') this.traces.push({ rows: rows.value, sizeBytes });
    else this.logs.push({ rows: rows.value, sizeBytes });
    return this.result;
  }
  async isReady(): Promise<boolean> {
    return this.isReadyValue;
  }
  async close(): Promise<void> {}

  /** The spans whose rows were written: LLM calls, steps, SQL queries and turn roots, once each. */
  get spans(): RecordedSpan[] {
    const spans = new Map<string, RecordedSpan>();
    for (const { rows } of this.traces) {
      for (const row of [...rows.llmCalls, ...rows.steps, ...rows.dbQueries]) spans.set(`${row.traceId}:${row.spanId}`, row);
      for (const { traceId, root } of rows.turns) if (root !== undefined) spans.set(`${traceId}:${root.spanId}`, root);
    }
    return [...spans.values()];
  }
  get events(): EventRow[] {
    return this.logs.flatMap((l) => l.rows.events);
  }
}

/** Every write and readiness check fails with `error` (by default: the database is down). */
export class FailingSink implements BatchSink {
  constructor(readonly error: unknown = new StoreUnavailableError('connect ECONNREFUSED 127.0.0.1:5432', { retryAfterSeconds: 7 })) {}
  reserve(): SinkReservation {
    return { write: () => Promise.reject(this.error), release: () => undefined };
  }
  async isReady(): Promise<boolean> {
    throw this.error;
  }
  async close(): Promise<void> {}
}

/** Writes wait until the test calls `commit()`, to observe that answers wait for the commit. */
export class ManualCommitSink extends RecordingSink {
  #pending: (() => void)[] = [];
  protected override async write(rows: NormalizedRequest, sizeBytes: number): Promise<WriteResult> {
    await new Promise<void>((resolve) => this.#pending.push(resolve));
    return super.write(rows, sizeBytes);
  }
  get pendingWrites(): number {
    return this.#pending.length;
  }
  commit(): void {
    for (const resolve of this.#pending.splice(0)) resolve();
  }
}
