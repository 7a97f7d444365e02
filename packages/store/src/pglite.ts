// The embedded store over PGlite (Postgres in WebAssembly), for a single machine without
// DATABASE_URL. Same SQL as Postgres; bulk inserts pass `unnest` arrays (its COPY is slow).
// The only module that imports PGlite.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { lockDataDir } from './data-dir-lock.js';
import { toConflictClause, toUnnestInsert, toUnnestUpdate, type QueryResult, type SqlClient, type Store, type StoreTransaction } from './store.js';

/** Subfolder of the data folder that holds PGlite's files. */
export const PGLITE_SUBDIR = 'pglite';

/** Options of {@link createPgliteStore}. */
export interface PgliteStoreOptions {
  /**
   * The data folder (`CONVOTEL_DATA_DIR`): database files in its `pglite/` subfolder, and a lock
   * file that keeps other processes out while the store is open. In memory when undefined.
   */
  readonly dataDir?: string | undefined;
}

/**
 * A store on embedded PGlite, in a folder or in memory. A folder another live process has open
 * is refused with `DataDirInUseError`; `close()` releases it.
 */
export async function createPgliteStore(options: PgliteStoreOptions = {}): Promise<Store> {
  const lock = options.dataDir === undefined ? undefined : await lockDataDir(options.dataDir);
  let db: PGlite;
  try {
    db = await openPglite(options.dataDir);
  } catch (error) {
    await lock?.release();
    throw error;
  }
  let isClosed = false;
  return {
    kind: 'pglite',
    // PGlite sets no time limits: the options change nothing.
    transaction: (fn) => db.transaction((tx) => fn(toTransaction(tx))),
    withClient: (fn) => fn(toSqlClient(db)),
    ping: async () => {
      if (isClosed) throw new Error('PGlite store is closed');
      await db.query('SELECT 1');
    },
    // In-process: PGlite is one session, and PostgreSQL delivers a session's own NOTIFYs to it.
    listen: async (channel, handlers) => {
      const unlisten = await db.listen(channel, handlers.onNotification);
      return { close: () => (isClosed ? Promise.resolve() : unlisten()) };
    },
    close: async () => {
      isClosed = true;
      try {
        await db.close();
      } finally {
        await lock?.release();
      }
    },
  };
}

async function openPglite(dataDir: string | undefined): Promise<PGlite> {
  if (dataDir === undefined) return ready(new PGlite());
  const filesDir = join(dataDir, PGLITE_SUBDIR);
  await mkdir(filesDir, { recursive: true });
  return ready(new PGlite(filesDir));
}

async function ready(db: PGlite): Promise<PGlite> {
  try {
    await db.waitReady;
    await db.exec(`SET TimeZone = 'UTC'`);
    return db;
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

type Queryable = Pick<PGlite | Transaction, 'query' | 'exec'>;

function toSqlClient(db: Queryable): SqlClient {
  return {
    query: async <R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
      const result = await db.query<R>(sql, params === undefined ? undefined : [...params]);
      return { rows: result.rows };
    },
    exec: async (sql: string) => {
      await db.exec(sql);
    },
  };
}

function toTransaction(tx: Transaction): StoreTransaction {
  const sql = toSqlClient(tx);
  return {
    ...sql,
    insertNew: async (insert) => {
      if (insert.rows.length === 0) return [];
      const { sql: text, params } = toUnnestInsert(insert, toConflictClause(insert));
      return (await sql.query<Record<string, unknown>>(text, params)).rows;
    },
    insertAll: async (bulk) => {
      if (bulk.rows.length === 0) return;
      const { sql: text, params } = toUnnestInsert(bulk);
      await sql.query(text, params);
    },
    updateAll: async (update) => {
      if (update.rows.length === 0) return;
      const { sql: text, params } = toUnnestUpdate(update);
      await sql.query(text, params);
    },
    prefetch: () => undefined,
  };
}
