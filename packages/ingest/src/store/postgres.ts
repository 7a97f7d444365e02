// The PostgreSQL store over `pg`: a small pool, UTC sessions, and bulk inserts staged with
// COPY into temporary tables. The only module that imports pg.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { toCopyField } from './write/encode.js';
import { quoteIdent, toConflictClause, type BulkInsert, type QueryResult, type SqlClient, type Store, type StoreTransaction } from './store.js';

/** Options of {@link createPostgresStore}. */
export interface PostgresStoreOptions {
  /** `postgres://user:pass@host:port/db` (`DATABASE_URL`). */
  readonly connectionString: string;
  /** Pool size. Default 4. */
  readonly maxConnections?: number;
  /** How long to wait for a connection before failing (ms). Default 5000. */
  readonly connectionTimeoutMillis?: number;
  /** Server-side statement timeout (ms). Default 120000. */
  readonly statementTimeoutMillis?: number;
  /** Called with errors of idle connections (the pool replaces them). */
  readonly onIdleError?: (error: Error) => void;
}

const COPY_CHUNK_ROWS = 500;

/** A store on PostgreSQL (`DATABASE_URL`); connections are opened on first use. */
export function createPostgresStore(options: PostgresStoreOptions): Store {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5000,
    idleTimeoutMillis: 30_000,
    application_name: 'convotel-ingest',
    // Hours and timestamps are computed in UTC on both sides.
    options: `-c TimeZone=UTC -c statement_timeout=${options.statementTimeoutMillis ?? 120_000}`,
  });
  // A backend that dies while idle must not crash the process; the pool drops the client.
  pool.on('error', (error) => options.onIdleError?.(error));
  const stagedTables = new WeakMap<pg.PoolClient, Set<string>>();

  async function withPoolClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    // A checked-out client whose socket dies emits 'error' besides failing its query: it must
    // be listened to, or it crashes the process.
    let failure: Error | undefined;
    const onConnectionError = (error: Error): void => {
      failure = error;
    };
    client.on('error', onConnectionError);
    try {
      return await fn(client);
    } catch (error) {
      failure ??= error as Error;
      throw error;
    } finally {
      client.off('error', onConnectionError);
      // Destroy connections that failed at the protocol level instead of reusing them.
      client.release(failure !== undefined && isBrokenConnection(failure) ? failure : undefined);
    }
  }

  return {
    kind: 'postgres',
    transaction: (fn) =>
      withPoolClient(async (client) => {
        await client.query('BEGIN');
        try {
          const result = await fn(toTransaction(client, stagedTables));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          stagedTables.delete(client);
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),
    withClient: (fn) => withPoolClient((client) => fn(toSqlClient(client))),
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
  };
}

function toSqlClient(client: pg.PoolClient): SqlClient {
  return {
    query: async <R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
      const result = await client.query(sql, params === undefined ? undefined : [...params]);
      return { rows: result.rows as R[] };
    },
    exec: async (sql: string) => {
      await client.query(sql);
    },
  };
}

function toTransaction(client: pg.PoolClient, stagedTables: WeakMap<pg.PoolClient, Set<string>>): StoreTransaction {
  const sql = toSqlClient(client);
  return {
    ...sql,
    insertNew: async <R>(insert: BulkInsert): Promise<R[]> => {
      const rowCount = insert.values[0]?.length ?? 0;
      if (rowCount === 0) return [];
      const stage = quoteIdent(`convotel_stage_${insert.table}`);
      const columns = insert.columns.map((column) => quoteIdent(column.name)).join(', ');
      const staged = stagedTables.get(client) ?? new Set<string>();
      if (!staged.has(insert.table)) {
        // Same columns, no constraints; emptied at every commit.
        await client.query(
          `CREATE TEMP TABLE IF NOT EXISTS ${stage} ON COMMIT DELETE ROWS AS SELECT ${columns} FROM ${quoteIdent(insert.table)} WITH NO DATA`,
        );
        staged.add(insert.table);
        stagedTables.set(client, staged);
      }
      await pipeline(Readable.from(copyLines(insert, rowCount)), client.query(copyFrom(`COPY ${stage} (${columns}) FROM STDIN`)));
      const key = insert.conflictKey.map(quoteIdent).join(', ');
      const result = await client.query(
        `INSERT INTO ${quoteIdent(insert.table)} (${columns}) SELECT ${columns} FROM ${stage} ORDER BY ${key} ${toConflictClause(insert)}`,
      );
      await client.query(`TRUNCATE ${stage}`);
      return result.rows as R[];
    },
  };
}

/** COPY text-format lines, a few hundred rows per chunk. */
function* copyLines(insert: BulkInsert, rowCount: number): Generator<string> {
  const columns = insert.values;
  let chunk = '';
  for (let row = 0; row < rowCount; row += 1) {
    let line = '';
    for (let column = 0; column < columns.length; column += 1) {
      if (column > 0) line += '\t';
      line += toCopyField((columns[column] as readonly (string | number | boolean | null)[])[row] ?? null);
    }
    chunk += `${line}\n`;
    if ((row + 1) % COPY_CHUNK_ROWS === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/** Errors after which the connection cannot be trusted (socket gone, backend terminated). */
function isBrokenConnection(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('08') || code.startsWith('57P') || code.startsWith('E'))) return true;
  return /Connection terminated|connection is closed|Client has encountered a connection error/i.test(error.message);
}
