// Reading rows by the table contract: a select list for some columns of a table, and the row
// it selects as JS values. pg returns bigint and numeric as strings, PGlite as number or bigint;
// both come out alike here. Times are selected as exact microseconds since the epoch.
import { quoteIdent } from './store.js';
import type { Column, Columns, SqlType, Table } from './tables/table.js';

/** The JS value of each SQL type as `readRow` returns it. */
export interface SqlTypeValues {
  readonly text: string;
  readonly integer: number;
  readonly bigint: bigint;
  readonly 'double precision': number;
  /** Exact decimal text. */
  readonly numeric: string;
  readonly boolean: boolean;
  /** Parsed JSON. */
  readonly jsonb: unknown;
  /** Microseconds since the Unix epoch. */
  readonly timestamptz: bigint;
  readonly 'integer[]': readonly number[];
  readonly 'bigint[]': readonly bigint[];
  readonly 'double precision[]': readonly number[];
}

/** A row of the columns `K` of `C`, each value `undefined` where SQL has NULL. */
export type RowOf<C extends Columns, K extends keyof C = keyof C> = { readonly [P in K]: SqlTypeValues[C[P]['type']] | undefined };

/**
 * The select list of `keys` of `table` (qualified by `alias` when given), for {@link readRow}:
 * each column under its own name, a timestamptz as bigint microseconds.
 */
export function selectList<C extends Columns>(table: Table<C>, keys: readonly (keyof C)[], alias?: string): string {
  const prefix = alias === undefined ? '' : `${alias}.`;
  return keys
    .map((key) => {
      const column = table.columns[key] as Column;
      const name = quoteIdent(column.name);
      return column.type === 'timestamptz' ? `(extract(epoch from ${prefix}${name}) * 1000000)::bigint AS ${name}` : `${prefix}${name}`;
    })
    .join(', ');
}

/** The values of `keys` in a row selected with {@link selectList}. */
export function readRow<C extends Columns, K extends keyof C>(table: Table<C>, keys: readonly K[], row: Readonly<Record<string, unknown>>): RowOf<C, K> {
  const values: Record<PropertyKey, unknown> = {};
  for (const key of keys) {
    const column = table.columns[key] as Column;
    values[key] = readValue(column.type, row[column.name]);
  }
  return values as RowOf<C, K>;
}

function readValue(type: SqlType, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  switch (type) {
    case 'text':
    case 'numeric':
      return String(value);
    case 'integer':
      return Number(value);
    case 'double precision': {
      const number = Number(value);
      return Number.isFinite(number) ? number : undefined;
    }
    case 'bigint':
    case 'timestamptz':
      return toBigInt(value);
    case 'boolean':
      return value === true || value === 't' || value === 'true';
    case 'jsonb':
      return value;
    case 'integer[]':
      return (value as readonly unknown[]).map(Number);
    case 'bigint[]':
      return (value as readonly unknown[]).map(toBigInt);
    case 'double precision[]':
      return (value as readonly unknown[]).map(Number);
  }
}

function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  return BigInt(String(value));
}
