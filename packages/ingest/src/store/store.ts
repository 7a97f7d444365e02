// The driver-neutral store interface. `postgres.ts` (pg) and `pglite.ts` (embedded PGlite)
// implement it; everything else in the store speaks only this, so both run the same SQL.

/** Postgres types of columns written in bulk. */
export type SqlType = 'text' | 'bigint' | 'integer' | 'double precision' | 'numeric' | 'boolean' | 'jsonb' | 'timestamptz';

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

/** A column of a table written in bulk. */
export interface BulkColumn {
  readonly name: string;
  readonly type: SqlType;
}

/** A bulk insert into `table` that skips rows whose `conflictKey` exists. */
export interface BulkInsert {
  readonly table: string;
  readonly columns: readonly BulkColumn[];
  readonly conflictKey: readonly string[];
  /** Column-major values, `values[i]` for `columns[i]`, all of the same length. */
  readonly values: readonly (readonly SqlValue[])[];
  /** Columns to return for each row actually inserted. */
  readonly returning: readonly string[];
}

/** The SQL available inside a transaction, plus bulk inserts. */
export interface StoreTransaction extends SqlClient {
  /**
   * Runs `INSERT … ON CONFLICT DO NOTHING RETURNING` for many rows. Postgres stages them with
   * COPY into a temporary table (DESIGN.md §7: ~2× the rows/s of parameter arrays); PGlite
   * passes them as `unnest` arrays. Rows are inserted in conflict-key order (lock order).
   */
  insertNew<R = Record<string, unknown>>(insert: BulkInsert): Promise<R[]>;
}

/** A convotel database: PostgreSQL or embedded PGlite. */
export interface Store {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T>;
  /** Runs `fn` on one connection outside any transaction. */
  withClient<T>(fn: (client: SqlClient) => Promise<T>): Promise<T>;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The unnest form of a bulk insert (also the second half of the COPY path, from a staging table). */
export function toUnnestInsert(insert: BulkInsert): { sql: string; params: unknown[] } {
  const names = insert.columns.map((column) => quoteIdent(column.name));
  const arrays = insert.columns.map((column, i) => `$${i + 1}::${column.type}[]`);
  const sql =
    `INSERT INTO ${quoteIdent(insert.table)} (${names.join(', ')}) ` +
    `SELECT * FROM unnest(${arrays.join(', ')}) AS s(${names.join(', ')}) ` +
    `ORDER BY ${insert.conflictKey.map(quoteIdent).join(', ')} ` +
    toConflictClause(insert);
  return { sql, params: insert.values.map((column) => [...column]) };
}

/** `ON CONFLICT (key) DO NOTHING RETURNING …` of a bulk insert. */
export function toConflictClause(insert: BulkInsert): string {
  const returning = insert.returning.length === 0 ? '' : ` RETURNING ${insert.returning.map(quoteIdent).join(', ')}`;
  return `ON CONFLICT (${insert.conflictKey.map(quoteIdent).join(', ')}) DO NOTHING${returning}`;
}

/** Identifiers here are ours (column specs), but quote them anyway: `time`, `count`. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
