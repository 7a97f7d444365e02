// How every read reaches the database: one read-only transaction per question, under a
// statement timeout, so no API request can write or run away with a connection.
import type { Store } from '@convotel/store';

/** The SQL a question may run (the store's client inside a read-only transaction). */
export type SqlClient = Parameters<Parameters<Store['withClient']>[0]>[0];

/** Options of {@link createReadDb}. */
export interface ReadDbOptions {
  /** Longest a statement may run, in ms; then it fails with SQLSTATE 57014. Default 10000. */
  readonly statementTimeoutMillis?: number;
  /** Most rows any one statement may return; lists and nested lists are cut there. Default 10000. */
  readonly maxRows?: number;
  /** Rows per FETCH or page of a streamed read (exports), which is not cut at maxRows. Default 1000. */
  readonly batchRows?: number;
}

/** A store seen by the read side. */
export interface ReadDb {
  readonly store: Store;
  readonly statementTimeoutMillis: number;
  readonly maxRows: number;
  readonly batchRows: number;
  /** Runs `fn` in a read-only transaction with the statement timeout set. */
  read<T>(fn: (sql: SqlClient) => Promise<T>): Promise<T>;
}

export const DEFAULT_STATEMENT_TIMEOUT_MILLIS = 10_000;
export const DEFAULT_MAX_ROWS = 10_000;
export const DEFAULT_BATCH_ROWS = 1000;

export function createReadDb(store: Store, options: ReadDbOptions = {}): ReadDb {
  const statementTimeoutMillis = options.statementTimeoutMillis ?? DEFAULT_STATEMENT_TIMEOUT_MILLIS;
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  return {
    store,
    statementTimeoutMillis,
    maxRows,
    batchRows: options.batchRows ?? DEFAULT_BATCH_ROWS,
    read: (fn) =>
      store.transaction(async (tx) => {
        // SET takes no parameters; set_config does. `true` = local to this transaction.
        // One snapshot for all statements of a question: its figures agree with each other.
        await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
        await tx.query(`SELECT set_config('statement_timeout', $1, true)`, [String(statementTimeoutMillis)]);
        return fn(tx);
      }),
  };
}
