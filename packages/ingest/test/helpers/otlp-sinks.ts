// Test doubles of our own `BatchSink` interface (the real Postgres sink is tested in test/store).
import { StoreUnavailableError } from '../../src/errors.js';
import type { LogsRequest, TraceRequest } from '../../src/otlp/types.js';
import type { BatchSink, WriteResult } from '../../src/store/sink.js';

const NOTHING_REJECTED: WriteResult = { rejected: 0, rejectedByCategory: {}, rejectionReasons: [] };

/** Keeps every batch it is given; `result` is what each write reports. */
export class RecordingSink implements BatchSink {
  readonly traces: { request: TraceRequest; sizeBytes: number }[] = [];
  readonly logs: { request: LogsRequest; sizeBytes: number }[] = [];
  result: WriteResult = NOTHING_REJECTED;
  isReadyValue = true;

  async writeTraces(request: TraceRequest, sizeBytes: number): Promise<WriteResult> {
    this.traces.push({ request, sizeBytes });
    return this.result;
  }
  async writeLogs(request: LogsRequest, sizeBytes: number): Promise<WriteResult> {
    this.logs.push({ request, sizeBytes });
    return this.result;
  }
  async isReady(): Promise<boolean> {
    return this.isReadyValue;
  }
  async close(): Promise<void> {}

  get spans() {
    return this.traces.flatMap((t) => t.request.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)));
  }
  get logRecords() {
    return this.logs.flatMap((l) => l.request.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords)));
  }
}

/** Every write and readiness check fails with `error` (by default: the database is down). */
export class FailingSink implements BatchSink {
  constructor(readonly error: unknown = new StoreUnavailableError('connect ECONNREFUSED 127.0.0.1:5432', { retryAfterSeconds: 7 })) {}
  async writeTraces(): Promise<WriteResult> {
    throw this.error;
  }
  async writeLogs(): Promise<WriteResult> {
    throw this.error;
  }
  async isReady(): Promise<boolean> {
    throw this.error;
  }
  async close(): Promise<void> {}
}

/** Writes wait until the test calls `commit()`, to observe that answers wait for the commit. */
export class ManualCommitSink extends RecordingSink {
  #pending: (() => void)[] = [];
  override async writeTraces(request: TraceRequest, sizeBytes: number): Promise<WriteResult> {
    await new Promise<void>((resolve) => this.#pending.push(resolve));
    return super.writeTraces(request, sizeBytes);
  }
  get pendingWrites(): number {
    return this.#pending.length;
  }
  commit(): void {
    for (const resolve of this.#pending.splice(0)) resolve();
  }
}
