// Chooses the store: PostgreSQL when DATABASE_URL is set, else embedded PGlite in a data
// folder (CONVOTEL_DATA_DIR, default ./.convotel, locked to one process), and applies migrations.
import { migrate } from './migrate.js';
import { createPgliteStore } from './pglite.js';
import { createPostgresStore, type PostgresStoreOptions } from './postgres.js';
import type { Store } from './store.js';

/** Data folder used without DATABASE_URL and CONVOTEL_DATA_DIR. */
export const DEFAULT_DATA_DIR = './.convotel';
/** `dataDir` value for an in-memory PGlite database (tests, demos). */
export const IN_MEMORY_DATA_DIR = 'memory://';

/** Options of {@link createStore}. */
export interface CreateStoreOptions {
  /** PostgreSQL connection string (`DATABASE_URL`); when set, PGlite is not used. */
  readonly databaseUrl?: string | undefined;
  /** PGlite data folder (`CONVOTEL_DATA_DIR`), default `./.convotel`; `memory://` keeps it in memory. */
  readonly dataDir?: string | undefined;
  /** Apply pending migrations before returning. Default `true` (server start). */
  readonly migrate?: boolean;
  /** Pool size and timeouts for PostgreSQL. */
  readonly postgres?: Omit<PostgresStoreOptions, 'connectionString'>;
}

/** Store options from the environment (`DATABASE_URL`, `CONVOTEL_DATA_DIR`). */
export function storeOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): CreateStoreOptions {
  const databaseUrl = env['DATABASE_URL']?.trim();
  const dataDir = env['CONVOTEL_DATA_DIR']?.trim();
  return { databaseUrl: databaseUrl === '' ? undefined : databaseUrl, dataDir: dataDir === '' ? undefined : dataDir };
}

/** Opens the store the options select and (by default) migrates it. */
export async function createStore(options: CreateStoreOptions = {}): Promise<Store> {
  const store =
    options.databaseUrl !== undefined
      ? createPostgresStore({ ...options.postgres, connectionString: options.databaseUrl })
      : await createPgliteStore({ dataDir: toPgliteDataDir(options.dataDir ?? DEFAULT_DATA_DIR) });
  if (options.migrate ?? true) {
    try {
      await migrate(store);
    } catch (error) {
      await store.close().catch(() => undefined);
      throw error;
    }
  }
  return store;
}

function toPgliteDataDir(dataDir: string): string | undefined {
  return dataDir === IN_MEMORY_DATA_DIR ? undefined : dataDir;
}
