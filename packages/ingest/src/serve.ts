// Wires the whole ingest service: configuration, store (Postgres or PGlite, migrated), the
// batching sink, retention and the OTLP/HTTP server. `convotel serve` calls this.
import type { IngestLogger } from './app.js';
import { createJsonLogger } from './http/logger.js';
import { parseIngestConfig, type IngestConfig } from './config.js';
import { startIngestServer } from './main.js';
import { createThrottledLog } from './observe/log-throttle.js';
import { IngestMetrics } from './observe/metrics.js';
import { createStore, migrateOrRetry, storeOptionsFromEnv, type Store } from '@convotel/store';
import { startPartitionUpkeep } from './store/partition-upkeep.js';
import { startRetention } from './store/retention.js';
import { StoreSink } from './store/store-sink.js';

export interface ServeOptions {
  /** Where configuration is read from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Overrides of the parsed configuration (e.g. a `--otlp-port` flag). */
  readonly overrides?: Partial<IngestConfig>;
  /** Default: JSON lines on stderr at `CONVOTEL_LOG_LEVEL`. */
  readonly logger?: IngestLogger;
  /**
   * A store opened by the caller (`convotel serve` shares one with the API). It is migrated
   * here but not closed by `close()`: its owner closes it. Default: one opened from the
   * environment (DATABASE_URL, else PGlite in CONVOTEL_DATA_DIR) and closed with the ingest.
   */
  readonly store?: Store;
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
  const config: IngestConfig = Object.freeze({ ...parseIngestConfig(env), ...options.overrides });
  const logger = options.logger ?? createJsonLogger({ level: config.logLevel });
  const store =
    options.store === undefined
      ? await createStore({
          ...storeOptionsFromEnv(env),
          migrate: false,
          postgres: { writeTimeoutMillis: config.dbTimeoutMillis, applicationName: 'convotel-ingest' },
        })
      : borrowed(options.store);
  // During an outage every batch fails alike: one line per few seconds, the metrics count them all.
  const logWriteFailure = createThrottledLog(logger);
  // Started before the migration so that its end can run it.
  const partitions = startPartitionUpkeep(store, (error) =>
    logWriteFailure('error', 'partition_upkeep_failed', "ingest: could not make the coming weeks' partitions", { err: error }),
  );
  let migration;
  try {
    migration = await migrateOrRetry(store, {
      onRetry: (error, nextMillis) =>
        logger.warn(`ingest: the database cannot be migrated yet; answering 503 until it can (next attempt in ${nextMillis} ms)`, { err: error, next_attempt_ms: nextMillis }),
      onMigrated: () => {
        logger.info('ingest: the database is reachable and migrated; accepting data');
        partitions.runNow();
      },
    });
  } catch (error) {
    partitions.stop();
    await store.close().catch(() => undefined);
    throw error;
  }
  if (!migration.isPending) partitions.runNow();
  const metrics = new IngestMetrics();
  const onWriteError = (error: unknown): void => logWriteFailure('error', 'write_failed', 'ingest: write failed', { err: error });
  const sink = new StoreSink(store, { onError: onWriteError, observer: metrics.sinkObserver, shouldAnnounce: config.isLiveEnabled });
  const retention = config.retentionDays === undefined ? undefined : startRetention(store, config.retentionDays, onWriteError);
  let server;
  try {
    server = await startIngestServer({ sink, config, logger, metrics });
  } catch (error) {
    migration.stop();
    retention?.stop();
    partitions.stop();
    await sink.close();
    throw error;
  }
  const background = migration;
  const running = server;
  logger.info(`ingest: listening on ${config.host}:${running.port}, storing in ${store.kind}`, {
    host: config.host,
    port: running.port,
    store: store.kind,
  });
  if (!config.isLiveEnabled) logger.info('ingest: live feed off (CONVOTEL_LIVE=off): commits are not announced to GET /live');
  return {
    port: running.port,
    storeKind: store.kind,
    close: async () => {
      background.stop();
      await running.close();
      retention?.stop();
    partitions.stop();
      await sink.close();
    },
  };
}

/** `store` with a `close()` that leaves it open, for a store its caller owns. */
function borrowed(store: Store): Store {
  return {
    kind: store.kind,
    transaction: (fn, options) => store.transaction(fn, options),
    withClient: (fn) => store.withClient(fn),
    ping: () => store.ping(),
    listen: (channel, handlers) => store.listen(channel, handlers),
    close: async () => undefined,
  };
}
