// Migrations for a server that must start while its database is away: a Collector in front
// retries 503s, so serving "not ready" beats exiting and being restarted in a loop.
import { isTransientDbError } from './db-errors.js';
import { migrate } from './migrate.js';
import type { Store } from './store.js';

/** Options of {@link migrateOrRetry}. */
export interface MigrateOrRetryOptions {
  /** Told about each failed attempt and about success after failures. */
  readonly onRetry?: (error: unknown, nextAttemptMillis: number) => void;
  readonly onMigrated?: () => void;
  /** First wait between attempts, doubled up to `maxDelayMillis`. Default 1000. */
  readonly initialDelayMillis?: number;
  /** Default 30000. */
  readonly maxDelayMillis?: number;
}

/** Stops the retries (on shutdown). */
export interface BackgroundMigration {
  stop(): void;
  /** Whether the database is not migrated yet (the retries go on). */
  readonly isPending: boolean;
}

/**
 * Migrates `store` now; when the database cannot be reached (a transient error), keeps
 * trying in the background with backoff and returns at once. Any other failure of the first
 * attempt (a changed migration file, SQL the database refuses) is thrown: that is a
 * configuration error to fail fast on. Meanwhile writes fail as transient (no connection, or no
 * tables yet) and the health check reports unready.
 */
export async function migrateOrRetry(store: Store, options: MigrateOrRetryOptions = {}): Promise<BackgroundMigration> {
  try {
    await migrate(store);
    return { stop: () => undefined, isPending: false };
  } catch (error) {
    if (!isTransientDbError(error)) throw error;
    return retryInBackground(store, error, options);
  }
}

function retryInBackground(store: Store, firstError: unknown, options: MigrateOrRetryOptions): BackgroundMigration {
  const maxDelay = options.maxDelayMillis ?? 30_000;
  let delay = options.initialDelayMillis ?? 1000;
  let timer: NodeJS.Timeout | undefined;
  let isStopped = false;
  let isPending = true;
  const schedule = (error: unknown): void => {
    if (isStopped) return;
    options.onRetry?.(error, delay);
    timer = setTimeout(attempt, delay);
    delay = Math.min(maxDelay, delay * 2);
  };
  const attempt = (): void => {
    migrate(store).then(
      () => {
        isPending = false;
        if (!isStopped) options.onMigrated?.();
      },
      // Later failures of any kind are retried: the server is up, and the log says why.
      schedule,
    );
  };
  schedule(firstError);
  return {
    stop: () => {
      isStopped = true;
      clearTimeout(timer);
    },
    get isPending() {
      return isPending;
    },
  };
}
