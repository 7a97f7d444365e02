// Wires the whole ingest service: configuration, store (Postgres or PGlite, migrated), the
// batching sink and the OTLP/HTTP server. `convotel serve` calls this.
import type { IngestLogger } from './app.js';
import { consoleLogger } from './http/logger.js';
import { parseIngestConfig, type IngestConfig } from './config.js';
import { startIngestServer } from './main.js';
import { createStore, storeOptionsFromEnv } from './store/create-store.js';
import { migrateOrRetry } from './store/migrate-or-retry.js';
import { StoreSink } from './store/store-sink.js';

export interface ServeOptions {
  /** Where configuration is read from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Overrides of the parsed configuration (e.g. a `--otlp-port` flag). */
  readonly overrides?: Partial<IngestConfig>;
  readonly logger?: IngestLogger;
}

export interface RunningIngest {
  readonly port: number;
  /** `postgres` or `pglite`. */
  readonly storeKind: string;
  /** Stops accepting requests, answers those in flight, flushes the write queue and closes the store. */
  close(): Promise<void>;
}

/**
 * Starts the ingest service. Configuration errors throw before anything listens, so the
 * caller can exit non-zero with the message.
 */
export async function serveIngest(options: ServeOptions = {}): Promise<RunningIngest> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? consoleLogger;
  const config: IngestConfig = Object.freeze({ ...parseIngestConfig(env), ...options.overrides });
  const store = await createStore({
    ...storeOptionsFromEnv(env),
    migrate: false,
    postgres: { writeTimeoutMillis: config.dbTimeoutMillis },
  });
  let migration;
  try {
    migration = await migrateOrRetry(store, {
      onRetry: (error, nextMillis) =>
        logger.warn(`convotel ingest: the database cannot be migrated yet; answering 503 until it can (next attempt in ${nextMillis} ms)`, error),
      onMigrated: () => logger.warn('convotel ingest: the database is reachable again and migrated; accepting data'),
    });
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  const sink = new StoreSink(store, {
    retentionDays: config.retentionDays,
    maxContentLength: config.maxContentLength,
    onError: (error) => logger.error('convotel ingest: write failed', error),
  });
  let server;
  try {
    server = await startIngestServer({ sink, config, logger });
  } catch (error) {
    migration.stop();
    await sink.close();
    throw error;
  }
  const background = migration;
  const running = server;
  return {
    port: running.port,
    storeKind: store.kind,
    close: async () => {
      background.stop();
      await running.close();
      await sink.close();
    },
  };
}
