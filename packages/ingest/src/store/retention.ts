// Retention: raw rows older than a number of days deleted on a timer; hourly rollups stay.
// The server schedules it beside its sink (serve.ts); `convotel cleanup` runs it once.
import { cleanup, type Store } from '@convotel/store';

/** How often retention runs unless told otherwise: hourly. */
export const DEFAULT_RETENTION_INTERVAL_MILLIS = 3_600_000;

/** Stops the timer. */
export interface Retention {
  stop(): void;
}

/** Runs `cleanup(store, days)` every `intervalMillis` (not keeping the process alive); failures go to `onError`. */
export function startRetention(
  store: Store,
  days: number,
  onError: (error: unknown) => void,
  intervalMillis: number = DEFAULT_RETENTION_INTERVAL_MILLIS,
): Retention {
  const timer = setInterval(() => {
    cleanup(store, days).catch(onError);
  }, intervalMillis);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
