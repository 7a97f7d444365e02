// At most one log line per key per interval. An overloaded ingest refuses requests by the
// thousand: one line per refusal would add disk and CPU load exactly when there is none to
// spare, and the metrics count every one anyway.
import type { IngestLogger } from '../http/logger.js';

/** Default interval between two lines of the same key. */
export const DEFAULT_LOG_INTERVAL_MILLIS = 5000;

export interface LogThrottleOptions {
  /** Default {@link DEFAULT_LOG_INTERVAL_MILLIS}. */
  readonly intervalMillis?: number;
  /** Clock in ms (tests step it by hand). Default `Date.now`. */
  readonly now?: () => number;
}

/** Logs through `logger` at `level` once per key and interval; later lines of the key within it are counted. */
export type ThrottledLog = (level: 'warn' | 'error', key: string, message: string, fields: Readonly<Record<string, unknown>>) => void;

/**
 * A throttled log. The first line of a key is written; others within `intervalMillis` of it are
 * dropped and counted, and the next line written for the key says how many (`suppressed: N`,
 * and "N more suppressed" in its message). Keys must be few (a reason, never a request id).
 */
export function createThrottledLog(logger: IngestLogger, options: LogThrottleOptions = {}): ThrottledLog {
  const intervalMillis = options.intervalMillis ?? DEFAULT_LOG_INTERVAL_MILLIS;
  const now = options.now ?? Date.now;
  const byKey = new Map<string, { loggedAt: number; suppressed: number }>();
  return (level, key, message, fields) => {
    const time = now();
    const state = byKey.get(key);
    if (state !== undefined && time - state.loggedAt < intervalMillis) {
      state.suppressed += 1;
      return;
    }
    const suppressed = state?.suppressed ?? 0;
    byKey.set(key, { loggedAt: time, suppressed: 0 });
    if (suppressed === 0) logger[level](message, fields);
    else logger[level](`${message} (${suppressed} more suppressed since the last such line)`, { ...fields, suppressed });
  };
}
