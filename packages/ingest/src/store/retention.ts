// Retention: raw rows older than a number of days deleted on a timer; hourly rollups stay.
import { cleanup } from './cleanup.js';
import type { Store } from './store.js';

/** Stops the timer. */
export interface Retention {
  stop(): void;
}

/** Runs `cleanup(store, days)` every `intervalMillis` (not keeping the process alive); failures go to `onError`. */
export function startRetention(store: Store, days: number, intervalMillis: number, onError: (error: unknown) => void): Retention {
  const timer = setInterval(() => {
    cleanup(store, days).catch(onError);
  }, intervalMillis);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
