// Every metric the ingest exports, defined here and nowhere else (docs/ingest.md lists them).
// Names follow Prometheus conventions and are a contract with the dashboards: rename none.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OtlpSignal } from '../otlp/decode.js';
import { REJECTION_CATEGORIES, type RejectionCounts } from '../otlp/types.js';
import type { BatchSink, DbErrorKind, SinkObserver } from '../sink/batch-sink.js';

const PREFIX = 'convotel_ingest_';
const SIGNALS: readonly OtlpSignal[] = ['traces', 'logs'];
const DB_ERROR_KINDS: readonly DbErrorKind[] = ['retried', 'transient', 'permanent'];
/** Reasons for a 503 known in advance, exported at 0 so dashboards see them before the first one. */
const KNOWN_UNAVAILABLE_REASONS = ['queue_full', 'overloaded', 'store_unavailable', 'unexpected'];

/**
 * The ingest's metrics in a registry of their own (so apps in one process never share counters),
 * served with the process's default metrics on `GET /metrics`. Pass `sinkObserver` to the
 * `StoreSink` for the commit-side metrics.
 */
export class IngestMetrics {
  /** What `GET /metrics` serves: this app's metrics and the process's. */
  readonly registry: Registry;
  /** For `StoreSinkOptions.observer`: commits and failed transactions. */
  readonly sinkObserver: SinkObserver;
  readonly #received: Counter<'signal'>;
  readonly #accepted: Counter<'signal'>;
  readonly #rejected: Counter<'signal' | 'reason'>;
  readonly #requests: Counter<'signal' | 'status'>;
  readonly #unavailable: Counter<'reason'>;
  #queueSink: Pick<BatchSink, 'queuedBytes'> | undefined;
  #bodies: { readonly heldBytes: number } | undefined;

  constructor() {
    const own = new Registry();
    const registers = [own];
    this.#received = new Counter({
      name: `${PREFIX}spans_received_total`,
      help: 'Spans (signal="traces") or log records (signal="logs") decoded from export requests.',
      labelNames: ['signal'],
      registers,
    });
    this.#accepted = new Counter({
      name: `${PREFIX}spans_accepted_total`,
      help: 'Spans or log records committed to the store.',
      labelNames: ['signal'],
      registers,
    });
    this.#rejected = new Counter({
      name: `${PREFIX}spans_rejected_total`,
      help: 'Spans or log records rejected as unusable (reported to the sender as partial success), by reason.',
      labelNames: ['signal', 'reason'],
      registers,
    });
    this.#requests = new Counter({
      name: `${PREFIX}requests_total`,
      help: 'Requests to the OTLP paths, by signal and HTTP status code.',
      labelNames: ['signal', 'status'],
      registers,
    });
    this.#unavailable = new Counter({
      name: `${PREFIX}unavailable_total`,
      help: 'Requests answered 503 (the sender retries them), by reason.',
      labelNames: ['reason'],
      registers,
    });
    const batchRows = new Histogram({
      name: `${PREFIX}batch_rows`,
      help: 'Rows per committed transaction (several requests share one with group commit).',
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000],
      registers,
    });
    const commitDuration = new Histogram({
      name: `${PREFIX}commit_duration_seconds`,
      help: 'Time to commit a batch, retries of the transaction included.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const dbErrors = new Counter({
      name: `${PREFIX}db_errors_total`,
      help: 'Failed transactions: retried (deadlock, serialization or write conflict), transient (answered 503), permanent (rows refused).',
      labelNames: ['kind'],
      registers,
    });
    const readQueuedBytes = (): number => this.#queueSink?.queuedBytes ?? 0;
    new Gauge({
      name: `${PREFIX}queue_bytes`,
      help: 'Bytes of requests (as received) queued or being written; at its budget, requests get 503.',
      registers,
      collect() {
        this.set(readQueuedBytes());
      },
    });
    const readBodyBytes = (): number => this.#bodies?.heldBytes ?? 0;
    new Gauge({
      name: `${PREFIX}body_bytes`,
      help: 'Bytes of request bodies being read, inflated and decoded (raw and inflated); at its budget, requests get 503.',
      registers,
      collect() {
        this.set(readBodyBytes());
      },
    });

    // Zero series up front, so rate() and absent-series alerts work from the first scrape.
    for (const signal of SIGNALS) {
      this.#received.inc({ signal }, 0);
      this.#accepted.inc({ signal }, 0);
      for (const reason of REJECTION_CATEGORIES) this.#rejected.inc({ signal, reason }, 0);
    }
    for (const reason of KNOWN_UNAVAILABLE_REASONS) this.#unavailable.inc({ reason }, 0);
    for (const kind of DB_ERROR_KINDS) dbErrors.inc({ kind }, 0);

    this.sinkObserver = Object.freeze({
      committed: (rows: number, seconds: number) => {
        batchRows.observe(rows);
        commitDuration.observe(seconds);
      },
      failed: (kind: DbErrorKind) => dbErrors.inc({ kind }),
    });
    this.registry = Registry.merge([own, processRegistry()]);
  }

  /** The queue gauge reads `sink.queuedBytes` at each scrape (0 for a sink without a queue). */
  readQueueFrom(sink: Pick<BatchSink, 'queuedBytes'>): void {
    this.#queueSink = sink;
  }

  /** The body gauge reads `budget.heldBytes` at each scrape. */
  readBodiesFrom(budget: { readonly heldBytes: number }): void {
    this.#bodies = budget;
  }

  /** Items decoded from one request (kept and rejected by the decoder). */
  countReceived(signal: OtlpSignal, items: number): void {
    if (items > 0) this.#received.inc({ signal }, items);
  }

  /** The end of one request's write: items committed, and rejected ones by category. */
  countWritten(signal: OtlpSignal, accepted: number, rejected: readonly RejectionCounts[]): void {
    // A counter throws on a negative step: a sink miscounting must not fail the request.
    if (accepted > 0) this.#accepted.inc({ signal }, accepted);
    for (const counts of rejected) {
      for (const reason of REJECTION_CATEGORIES) {
        const count = counts[reason] ?? 0;
        if (count > 0) this.#rejected.inc({ signal, reason }, count);
      }
    }
  }

  /** An answered request to an OTLP path. */
  countRequest(signal: OtlpSignal, status: number): void {
    this.#requests.inc({ signal, status: String(status) });
  }

  /** A 503; `reason` is one of a few (see `toUnavailableReason`). */
  countUnavailable(reason: string): void {
    this.#unavailable.inc({ reason });
  }
}

let processMetrics: Registry | undefined;

/**
 * CPU, memory, heap, GC and event-loop lag of the process (prom-client's default collectors),
 * started once per process: they start a GC observer and an event-loop monitor that are never
 * stopped, and they describe the process, which every app in it shares.
 */
function processRegistry(): Registry {
  if (processMetrics === undefined) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}
