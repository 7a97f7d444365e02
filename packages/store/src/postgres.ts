// The PostgreSQL store over `pg`: a small pool, UTC sessions, and bulk inserts with COPY —
// straight into the table for rows known to be new, else into a temporary staging table and on
// with `INSERT … ON CONFLICT DO NOTHING`. With postgres-listener.ts, the only modules that import pg.
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { isDiscardedConnectionError } from './db-errors.js';
import { listenOnPostgres } from './postgres-listener.js';
import { toCopyChunks } from './copy-text.js';
import { quoteIdent, toConflictClause, toSetList, type BulkRows, type QueryResult, type SqlClient, type Store, type StoreTransaction } from './store.js';

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
  /**
   * Client-side limit on each statement of a `transaction()` and on `ping()` (ms): a database
   * that stops answering (frozen, a network partition that drops packets) fails the write
   * promptly with a transient error instead of holding the request past the sender's own
   * timeout. Default 10000. Statements of `withClient()` (migrations, cleanup) wait for the
   * server's `statement_timeout` instead.
   */
  readonly writeTimeoutMillis?: number;
  /** `application_name` of the sessions, as `pg_stat_activity` shows it. Default `convotel`. */
  readonly applicationName?: string;
  /** Called with errors of idle connections (the pool replaces them). */
  readonly onIdleError?: (error: Error) => void;
}

/** A store on PostgreSQL (`DATABASE_URL`); connections are opened on first use. */
export function createPostgresStore(options: PostgresStoreOptions): Store {
  const statementTimeoutMillis = options.statementTimeoutMillis ?? 120_000;
  const connectionTimeoutMillis = options.connectionTimeoutMillis ?? 5000;
  const writeTimeoutMillis = options.writeTimeoutMillis ?? 10_000;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'convotel',
    // Hours and timestamps are computed in UTC on both sides.
    options: `-c TimeZone=UTC -c statement_timeout=${statementTimeoutMillis}`,
    // Every statement, COPY streams included, unless the query says otherwise (withClient does).
    query_timeout: writeTimeoutMillis,
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
      client.release(failure !== undefined && isDiscardedConnectionError(failure) ? failure : undefined);
    }
  }

  return {
    kind: 'postgres',
    transaction: (fn, transactionOptions) =>
      withPoolClient(async (client) => {
        const isUnbounded = transactionOptions?.isUnbounded === true;
        await client.query('BEGIN');
        try {
          if (isUnbounded) await client.query(toQueryConfig(`SET LOCAL statement_timeout = 0`, undefined, UNBOUNDED_MILLIS));
          const result = await fn(toTransaction(client, stagedTables, isUnbounded ? UNBOUNDED_MILLIS : undefined));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          stagedTables.delete(client);
          // A connection about to be discarded gets no ROLLBACK: on a frozen server it would
          // wait out another timeout; closing the session rolls the transaction back anyway.
          if (!isDiscardedConnectionError(error)) await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),
    withClient: (fn) => withPoolClient((client) => fn(toSqlClient(client, statementTimeoutMillis + 5_000))),
    ping: async () => {
      // Answering is not enough: a standby (after a failover) answers and refuses every write.
      const { rows } = await pool.query<{ read_only: boolean }>(
        `SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on' AS read_only`,
      );
      if (rows[0]?.read_only === true) throw new ReadOnlyDatabaseError();
    },
    listen: (channel, handlers) => listenOnPostgres(channel, handlers, { connectionString: options.connectionString, connectionTimeoutMillis }),
    close: () => pool.end(),
  };
}

/** A server that takes no writes: a hot standby, or `default_transaction_read_only` set. */
class ReadOnlyDatabaseError extends Error {
  // The SQLSTATE a write would get, so it is classed with it (transient, connection discarded).
  readonly code = '25006';
  constructor() {
    super('the database is read-only (a standby, or default_transaction_read_only is on)');
    this.name = 'ReadOnlyDatabaseError';
  }
}

/** `queryTimeoutMillis` overrides the pool's client-side timeout for this client's statements. */
function toSqlClient(client: pg.PoolClient, queryTimeoutMillis?: number): SqlClient {
  return {
    query: async <R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
      const result = await client.query(toQueryConfig(sql, params, queryTimeoutMillis));
      return { rows: result.rows as R[] };
    },
    exec: async (sql: string) => {
      await client.query(toQueryConfig(sql, undefined, queryTimeoutMillis));
    },
  };
}

// pg reads `query_timeout` per query; its typings leave it out.
function toQueryConfig(text: string, params: readonly unknown[] | undefined, queryTimeoutMillis: number | undefined): pg.QueryConfig {
  const config: pg.QueryConfig & { query_timeout?: number } = { text, values: params === undefined ? undefined : [...params] };
  if (queryTimeoutMillis !== undefined) config.query_timeout = queryTimeoutMillis;
  return config;
}

// The longest timer Node keeps (~24.8 days): pg takes 0 for "the pool's default".
const UNBOUNDED_MILLIS = 2_147_483_647;

function toTransaction(client: pg.PoolClient, stagedTables: WeakMap<pg.PoolClient, Set<string>>, queryTimeoutMillis?: number): StoreTransaction {
  const sql = toSqlClient(client, queryTimeoutMillis);
  // Staging tables filled in this transaction; ON COMMIT DELETE ROWS empties them at commit.
  const filled = new Set<string>();
  const prefetched = new WeakMap<BulkRows<unknown>, CopyPrefetch>();
  const copyInto = async <R>(target: string, bulk: BulkRows<R>): Promise<void> => {
    const columns = bulk.columns.map((column) => quoteIdent(column.name)).join(', ');
    const stream = client.query(copyFrom(`COPY ${target} (${columns}) FROM STDIN`));
    const done = finished(stream);
    const ahead = prefetched.get(bulk as BulkRows<unknown>);
    prefetched.delete(bulk as BulkRows<unknown>);
    try {
      // Encoding the next chunk overlaps the server parsing the previous one.
      for (const chunk of ahead === undefined ? toCopyChunks(bulk) : ahead.all()) {
        if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), done]);
      }
      stream.end();
    } catch (error) {
      stream.destroy(error as Error);
    }
    await done;
  };
  /** COPYs rows into this connection's temporary stage for `name` (same columns, no constraints). */
  const stageRows = async <R>(name: string, bulk: BulkRows<R>): Promise<string> => {
    const stage = quoteIdent(name);
    const staged = stagedTables.get(client) ?? new Set<string>();
    if (!staged.has(name)) {
      // Emptied at every commit.
      const columns = bulk.columns.map((column) => quoteIdent(column.name)).join(', ');
      await client.query(`CREATE TEMP TABLE IF NOT EXISTS ${stage} ON COMMIT DELETE ROWS AS SELECT ${columns} FROM ${quoteIdent(bulk.table)} WITH NO DATA`);
      staged.add(name);
      stagedTables.set(client, staged);
    }
    // A second use in the same transaction starts from an empty stage.
    if (filled.has(name)) await client.query(`TRUNCATE ${stage}`);
    filled.add(name);
    await copyInto(stage, bulk);
    return stage;
  };
  return {
    ...sql,
    insertNew: async (insert) => {
      if (insert.rows.length === 0) return [];
      const stage = await stageRows(`convotel_stage_${insert.table}`, insert);
      const columns = insert.columns.map((column) => quoteIdent(column.name)).join(', ');
      const result = await client.query(
        `INSERT INTO ${quoteIdent(insert.table)} (${columns}) SELECT ${columns} FROM ${stage} ${toConflictClause(insert)}`,
      );
      return result.rows as Record<string, unknown>[];
    },
    updateAll: async (update) => {
      if (update.rows.length === 0) return;
      // COPY, not unnest arrays: no array text to build here and parse there, per value.
      const stage = await stageRows(`convotel_update_${update.table}`, update);
      const key = quoteIdent(update.key);
      await client.query(`UPDATE ${quoteIdent(update.table)} AS t SET ${toSetList(update)} FROM ${stage} AS s WHERE t.${key} = s.${key}`);
    },
    insertAll: async (bulk) => {
      if (bulk.rows.length === 0) return;
      await copyInto(quoteIdent(bulk.table), bulk);
    },
    prefetch: (bulk) => {
      if (bulk.rows.length > 0 && !prefetched.has(bulk as BulkRows<unknown>)) prefetched.set(bulk as BulkRows<unknown>, new CopyPrefetch(toCopyChunks(bulk)));
    },
  };
}

/**
 * COPY data encoded ahead, one chunk per turn of the event loop (so sockets keep flowing
 * meanwhile); `all()` hands out what is ready and encodes the rest on the spot.
 */
class CopyPrefetch {
  readonly #chunks: Buffer[] = [];
  readonly #source: Iterator<Buffer>;
  #isDone = false;
  #error: unknown;

  constructor(chunks: Iterable<Buffer>) {
    this.#source = chunks[Symbol.iterator]();
    setImmediate(() => this.#step());
  }

  *all(): Generator<Buffer> {
    for (let i = 0; ; i += 1) {
      if (i === this.#chunks.length && !this.#pull()) break;
      yield this.#chunks[i] as Buffer;
      // Handed out: the stream holds it now.
      this.#chunks[i] = EMPTY;
    }
    if (this.#error !== undefined) throw this.#error;
  }

  #step(): void {
    if (this.#pull()) setImmediate(() => this.#step());
  }

  /** Encodes one more chunk; false once there is none. */
  #pull(): boolean {
    if (this.#isDone) return false;
    try {
      const next = this.#source.next();
      if (next.done === true) this.#isDone = true;
      else this.#chunks.push(next.value);
    } catch (error) {
      this.#isDone = true;
      this.#error = error;
    }
    return !this.#isDone;
  }
}

const EMPTY = Buffer.alloc(0);
