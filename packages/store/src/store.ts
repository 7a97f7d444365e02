// The driver-neutral store interface. `postgres.ts` (pg) and `pglite.ts` (embedded PGlite)
// implement it; everything else in the store speaks only this, so both run the same SQL.
import type { Column, SqlType } from './tables/table.js';

/** A value ready for a query parameter or COPY: text, number, boolean or NULL. */
export type SqlValue = string | number | boolean | null;

/** Rows of a query. */
export interface QueryResult<R> {
  readonly rows: R[];
}

/** The SQL both drivers offer. */
export interface SqlClient {
  /** One statement with `$n` parameters. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** A script of several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** A column of a table written in bulk: its name, type, and how a row gives its value. */
export interface BulkColumn<R> {
  readonly name: string;
  readonly type: SqlType;
  readonly get: (row: R) => SqlValue;
}

/** The bulk column of a table's `column` whose value `get` gives. */
export function bulkColumn<R>(column: Column, get: (row: R) => SqlValue): BulkColumn<R> {
  return { name: column.name, type: column.type, get };
}

/** Rows for one table, encoded column by column by each driver (COPY text or `unnest` arrays). */
export interface BulkRows<R> {
  readonly table: string;
  readonly columns: readonly BulkColumn<R>[];
  readonly rows: readonly R[];
}

/** A bulk insert into `table` that skips rows whose `conflictKey` exists. */
export interface BulkInsert<R> extends BulkRows<R> {
  readonly conflictKey: readonly string[];
  /** Columns to return for each row actually inserted. */
  readonly returning: readonly string[];
}

/** Rows whose columns replace those of the stored rows with the same `key` (one of the columns). */
export interface BulkUpdate<R> extends BulkRows<R> {
  readonly key: string;
}

/** The SQL available inside a transaction, plus bulk inserts and updates. */
export interface StoreTransaction extends SqlClient {
  /**
   * Runs `INSERT … ON CONFLICT DO NOTHING RETURNING` for many rows. Postgres stages them with
   * COPY into a temporary table (DESIGN.md §7: ~2× the rows/s of parameter arrays); PGlite
   * passes them as `unnest` arrays. Rows are inserted in conflict-key order (lock order).
   */
  insertNew<R>(insert: BulkInsert<R>): Promise<Record<string, unknown>[]>;
  /**
   * Inserts rows whose keys the caller expects to be absent (their trace had no row when this
   * transaction locked its traces): plain COPY on Postgres, the ceiling of DESIGN.md §7. A key that exists after all fails the transaction with a unique violation
   * (SQLSTATE 23505, `isUniqueViolation`); the caller then retries it without this shortcut.
   */
  insertAll<R>(rows: BulkRows<R>): Promise<void>;
  /**
   * Updates the stored rows matching the bulk rows' keys (locked earlier in the transaction).
   * Postgres stages them with COPY, as `insertNew` does; PGlite passes `unnest` arrays.
   */
  updateAll<R>(update: BulkUpdate<R>): Promise<void>;
  /**
   * Starts encoding rows that a later `insertAll` of the same object will send, in slices
   * between other I/O: the connection then streams them at once, instead of the database
   * waiting while they are encoded. A no-op where rows are not encoded ahead (PGlite).
   */
  prefetch<R>(rows: BulkRows<R>): void;
}

/** What a {@link Store.listen} subscriber hears. */
export interface ListenHandlers {
  /** The payload of each committed NOTIFY on the channel, in commit order. */
  readonly onNotification: (payload: string) => void;
  /** The listening connection broke: notifications are missed until `onRestored`. */
  readonly onLost?: (error: Error) => void;
  /** Listening again after a loss. */
  readonly onRestored?: () => void;
}

/** A subscription to a NOTIFY channel. */
export interface Listener {
  /** Stops listening (and closes the connection it held). */
  close(): Promise<void>;
}

/** Options of {@link Store.transaction}. */
export interface TransactionOptions {
  /**
   * No time limit on the transaction's statements, neither the client-side write timeout nor the
   * server's statement_timeout: for migrations, whose backfills over a large database take as long
   * as they take (a limit would fail them at every attempt). Default false.
   */
  readonly isUnbounded?: boolean;
}

/** A convotel database: PostgreSQL or embedded PGlite. */
export interface Store {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Runs `fn` on one connection outside any transaction. */
  withClient<T>(fn: (client: SqlClient) => Promise<T>): Promise<T>;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  /**
   * Listens to `channel` (LISTEN/NOTIFY) from any connection or process: PostgreSQL on a
   * connection of its own, outside the pool, reopened when it breaks; PGlite in-process.
   * Resolves once listening.
   */
  listen(channel: string, handlers: ListenHandlers): Promise<Listener>;
  close(): Promise<void>;
}

/** `INSERT … SELECT FROM unnest(…)` of bulk rows (PGlite), with `tail` (conflict clause) appended. */
export function toUnnestInsert<R>(bulk: BulkRows<R>, tail = ''): { sql: string; params: unknown[] } {
  const names = bulk.columns.map((column) => quoteIdent(column.name));
  const arrays = bulk.columns.map((column, i) => `$${i + 1}::${column.type}[]`);
  const sql =
    `INSERT INTO ${quoteIdent(bulk.table)} (${names.join(', ')}) ` +
    `SELECT * FROM unnest(${arrays.join(', ')}) AS s(${names.join(', ')})${tail === '' ? '' : ` ${tail}`}`;
  return { sql, params: bulk.columns.map((column) => bulk.rows.map(column.get)) };
}

/** `UPDATE … FROM unnest(…)` of a bulk update (PGlite). */
export function toUnnestUpdate<R>(update: BulkUpdate<R>): { sql: string; params: unknown[] } {
  const names = update.columns.map((column) => quoteIdent(column.name));
  const arrays = update.columns.map((column, i) => `$${i + 1}::${column.type}[]`);
  const sql =
    `UPDATE ${quoteIdent(update.table)} AS t SET ${toSetList(update)} ` +
    `FROM unnest(${arrays.join(', ')}) AS s(${names.join(', ')}) WHERE t.${quoteIdent(update.key)} = s.${quoteIdent(update.key)}`;
  return { sql, params: update.columns.map((column) => update.rows.map(column.get)) };
}

/** `col = s.col, …` for every column of a bulk update but its key. */
export function toSetList<R>(update: BulkUpdate<R>): string {
  return update.columns
    .filter((column) => column.name !== update.key)
    .map((column) => `${quoteIdent(column.name)} = s.${quoteIdent(column.name)}`)
    .join(', ');
}

/** `ORDER BY key ON CONFLICT (key) DO NOTHING RETURNING …` of a bulk insert (lock order, then skip existing keys). */
export function toConflictClause<R>(insert: BulkInsert<R>): string {
  const key = insert.conflictKey.map(quoteIdent).join(', ');
  const returning = insert.returning.length === 0 ? '' : ` RETURNING ${insert.returning.map(quoteIdent).join(', ')}`;
  return `ORDER BY ${key} ON CONFLICT (${key}) DO NOTHING${returning}`;
}

/** Identifiers here are ours (column specs), but quote them anyway: `time`, `count`. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
