// Commit and retry. One transaction for the rows of several normalized requests (group
// commit), run again on a deadlock or serialization failure, and redone with locks when a
// replica created one of its traces meanwhile. When it fails for good: every request answered
// 503 if the database is unreachable, else each request committed alone, and a request the
// store refuses written in halves down to single traces, so only what it still refuses is lost.
import { StoreUnavailableError } from '../../errors.js';
import type { NormalizedRequest, SinkObserver, WriteResult } from '../../sink/batch-sink.js';
import { toWriteResult, withRefused, type Refused } from '../../sink/write-result.js';
import { isRetryableTransactionError, isTransientDbError, isUniqueViolation, type Store } from '@convotel/store';
import type { TraceLocking } from '../summary/trace-table.js';
import { rowCountOf, toWriteBatch } from './batch.js';
import { itemCountOf, splitInHalves } from './split-rows.js';
import { writeBatch } from './write-batch.js';

/** A queued request waiting for its commit: told its result or its error, once. */
export interface PendingRequest {
  readonly rows: NormalizedRequest;
  readonly resolve: (result: WriteResult) => void;
  readonly reject: (error: unknown) => void;
}

/** How commits are made, and who is told of them. */
export interface CommitOptions {
  readonly observer?: SinkObserver | undefined;
  /** Tell the live feed of each commit (CONVOTEL_LIVE). Default true. */
  readonly shouldAnnounce?: boolean | undefined;
}

/** Where {@link commitPending} reports. */
export interface CommitHooks extends CommitOptions {
  /** Told of every failed transaction (the callers get StoreUnavailableError or a partial success). */
  readonly onError: (error: unknown) => void;
}

const TRANSACTION_ATTEMPTS = 4;

/**
 * Commits the requests together and answers each: its result once committed; StoreUnavailableError
 * while the database is unreachable. When one request's rows break the shared transaction,
 * each is committed alone, and a request the store refuses loses only the traces it still refuses.
 */
export async function commitPending(store: Store, items: readonly PendingRequest[], hooks: CommitHooks): Promise<void> {
  try {
    await commitRequests(store, items.map((item) => item.rows), hooks);
    for (const item of items) item.resolve(toWriteResult(item.rows.value));
  } catch (error) {
    hooks.onError(error);
    hooks.observer?.failed(isTransientDbError(error) ? 'transient' : 'permanent');
    if (isTransientDbError(error)) {
      for (const item of items) item.reject(unavailable(error));
    } else if (items.length > 1) {
      // One request's rows broke the transaction: commit the others alone.
      for (const item of items) await commitPending(store, [item], hooks);
    } else {
      // The store refused this request: only the traces it still refuses in parts are lost.
      const item = items[0] as PendingRequest;
      try {
        item.resolve(withRefused(toWriteResult(item.rows.value), await commitInParts(store, item.rows, error, hooks)));
      } catch (partError) {
        hooks.onError(partError);
        item.reject(unavailable(partError));
      }
    }
  }
}

function unavailable(error: unknown): StoreUnavailableError {
  return new StoreUnavailableError(`database unavailable: ${(error as Error).message}`, { cause: error });
}

/** Commits the rows of `requests` in one transaction; throws what the last attempt threw. */
export async function commitRequests(store: Store, requests: readonly NormalizedRequest[], options: CommitOptions = {}): Promise<void> {
  const { observer, shouldAnnounce } = options;
  const traces = requests.flatMap((rows) => (rows.kind === 'traces' ? [rows.value] : []));
  const logs = requests.flatMap((rows) => (rows.kind === 'logs' ? [rows.value] : []));
  const batch = toWriteBatch(traces, logs);
  let traceLocking: TraceLocking = 'optimistic';
  const startedAt = performance.now();
  for (let attempt = 1; ; attempt += 1) {
    try {
      await store.transaction((tx) => writeBatch(tx, batch, { traceLocking, shouldAnnounce }));
      observer?.committed(
        requests.reduce((sum, rows) => sum + rowCountOf(rows.value), 0),
        (performance.now() - startedAt) / 1000,
      );
      return;
    } catch (error) {
      // Another writer (a replica) created one of our traces meanwhile: redo it the safe way.
      if (traceLocking === 'optimistic' && isUniqueViolation(error)) {
        traceLocking = 'safe';
        observer?.failed('retried');
        continue;
      }
      if (attempt >= TRANSACTION_ATTEMPTS || !isRetryableTransactionError(error)) throw error;
      observer?.failed('retried');
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    }
  }
}

/**
 * Writes a request the store refused (with `error`) in halves, down to single traces or log
 * records, and returns what the store still refused. Throws a transient error as it comes: the
 * request is then answered 503 and sent again, and the halves already written stay (idempotent).
 */
export async function commitInParts(store: Store, request: NormalizedRequest, error: unknown, options: CommitOptions = {}): Promise<Refused> {
  const { observer } = options;
  const halves = splitInHalves(request.value);
  if (halves === undefined) return { items: itemCountOf(request.value), reasons: [`the store refused ${describe(request)}: ${(error as Error).message}`] };
  let refused: Refused = { items: 0, reasons: [] };
  for (const half of halves) {
    const part = { kind: request.kind, value: half } as NormalizedRequest;
    try {
      await commitRequests(store, [part], options);
    } catch (partError) {
      if (isTransientDbError(partError)) throw partError;
      observer?.failed('permanent');
      const more = await commitInParts(store, part, partError, options);
      refused = { items: refused.items + more.items, reasons: [...refused.reasons, ...more.reasons] };
    }
  }
  return refused;
}

function describe(request: NormalizedRequest): string {
  if (request.kind === 'logs') return request.value.events.length === 1 ? `log record ${request.value.events[0]?.eventId}` : 'the log records';
  const rows = request.value;
  const traceId = rows.turns[0]?.traceId ?? rows.llmCalls[0]?.traceId ?? rows.steps[0]?.traceId;
  return traceId === undefined ? 'the spans' : `the spans of trace ${traceId}`;
}
