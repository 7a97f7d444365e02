// The ingest's logs: one JSON object per line (pino), the way the Collector, Tempo and Loki log,
// so Loki or any log shipper reads fields instead of parsing text. Tests pass a recorder.
import { pino, stdTimeFunctions, type DestinationStream } from 'pino';
import type { LogLevel } from '../config.js';

/**
 * Where the ingest reports what it did and what went wrong. `details` is an `Error` (logged as
 * `err`, with its stack and `code`) or an object of fields (`{ err, route, status, code, … }`).
 */
export interface IngestLogger {
  info(message: string, details?: unknown): void;
  warn(message: string, details?: unknown): void;
  error(message: string, details?: unknown): void;
}

export interface JsonLoggerOptions {
  /** Least severe level written. Default `info`. */
  readonly level?: LogLevel;
  /** Where lines go. Default stderr, written synchronously (nothing lost when the process exits). */
  readonly destination?: DestinationStream;
}

/**
 * A logger writing `{"level":"warn","time":"…","pid":…,"hostname":"…","name":"convotel-ingest","msg":"…",…}`
 * lines. Stderr, like the Collector: stdout stays free for the CLI's own human-readable lines.
 */
export function createJsonLogger(options: JsonLoggerOptions = {}): IngestLogger {
  const log = pino(
    {
      name: 'convotel-ingest',
      level: options.level ?? 'info',
      // Level names, not pino's numbers: Loki and Grafana recognize "warn" and "error".
      formatters: { level: (label) => ({ level: label }) },
      timestamp: stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ dest: 2, sync: true }),
  );
  return {
    info: (message, details) => log.info(toFields(details), message),
    warn: (message, details) => log.warn(toFields(details), message),
    error: (message, details) => log.error(toFields(details), message),
  };
}

// pino logs an Error given as the fields object under `err` (type, message, stack, own fields such as `code`).
function toFields(details: unknown): object {
  if (details === undefined) return {};
  if (typeof details === 'object' && details !== null && !Array.isArray(details)) return details;
  return { details };
}
