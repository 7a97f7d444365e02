// The embedded store over PGlite (Postgres in WebAssembly), for a single machine without
// DATABASE_URL. Same SQL as Postgres; bulk inserts pass `unnest` arrays (its COPY is slow).
// The only module that imports PGlite.
import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { toConflictClause, toUnnestInsert, toUnnestUpdate, type QueryResult, type SqlClient, type Store, type StoreTransaction } from './store.js';

/** Options of {@link createPgliteStore}. */
export interface PgliteStoreOptions {
  /** Folder of the database files; in memory when undefined. */
  readonly dataDir?: string | undefined;
}

/** A store on embedded PGlite, in a folder or in memory. */
export async function createPgliteStore(options: PgliteStoreOptions = {}): Promise<Store> {
  if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
  const db = options.dataDir === undefined ? new PGlite() : new PGlite(options.dataDir);
  await db.waitReady;
  await db.exec(`SET TimeZone = 'UTC'`);
  let isClosed = false;
  return {
    kind: 'pglite',
    transaction: (fn) => db.transaction((tx) => fn(toTransaction(tx))),
    withClient: (fn) => fn(toSqlClient(db)),
    ping: async () => {
      if (isClosed) throw new Error('PGlite store is closed');
      await db.query('SELECT 1');
    },
    close: async () => {
      isClosed = true;
      await db.close();
    },
  };
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
