// The few log calls the HTTP layer makes; `console` fits, tests pass a recorder.

/** Where the ingest reports failures it answered with 503 or could not answer at all. */
export interface IngestLogger {
  warn(message: string, details?: unknown): void;
  error(message: string, details?: unknown): void;
}

/** Logs to stderr through `console`. */
export const consoleLogger: IngestLogger = Object.freeze({
  warn: (message: string, details?: unknown) => console.warn(message, ...(details === undefined ? [] : [details])),
  error: (message: string, details?: unknown) => console.error(message, ...(details === undefined ? [] : [details])),
});
