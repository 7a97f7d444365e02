// How a rollup's deltas reach its table: one `INSERT … SELECT FROM unnest(…) ORDER BY key ON
// CONFLICT (key) DO UPDATE` per batch, each measure merged additively. Sums saturate at their
// column's maximum: a rollup row that reached it keeps taking rows instead of failing every batch
// that adds to it. Fine histograms merge with migration 0003's `convotel_fine_histogram_add`.
import type { Column, FineHistogram, SqlClient, SqlValue, Table } from '@convotel/store';
import { INT64_MAX, MILLIS_SUM_MAX_MICROS, MONEY_MAX_PICOS } from '../../normalize/units/column-range.js';
import { picosToDecimal } from '../../normalize/units/money.js';
import { microsToMillisText } from '../../normalize/units/time.js';

/**
 * How an upsert folds a delta into a stored rollup row (`h`): added, added saturating at the
 * column's maximum (bigint goes through numeric, where the sum cannot overflow before LEAST
 * sees it), the extremes kept, or coarse histograms added bucket by bucket.
 */
const MERGES = {
  add: (c: Column) => `h.${c} + excluded.${c}`,
  addTokens: (c: Column) => `LEAST(h.${c}::numeric + excluded.${c}, ${INT64_MAX})::bigint`,
  addMoney: (c: Column) => `LEAST(h.${c} + excluded.${c}, ${picosToDecimal(MONEY_MAX_PICOS)})`,
  addMillis: (c: Column) => `LEAST(h.${c} + excluded.${c}, ${microsToMillisText(MILLIS_SUM_MAX_MICROS)})`,
  least: (c: Column) => `LEAST(h.${c}, excluded.${c})`,
  greatest: (c: Column) => `GREATEST(h.${c}, excluded.${c})`,
  addBuckets: (c: Column) =>
    `(SELECT array_agg(COALESCE(a, 0) + COALESCE(b, 0) ORDER BY i) FROM unnest(h.${c}, excluded.${c}) WITH ORDINALITY AS u(a, b, i))`,
} as const;

/** A column of a rollup upsert: its value of an entry, and (for measures) how it merges. */
export interface RollupValueColumn<E> {
  readonly column: Column;
  readonly value: (entry: E) => SqlValue;
  readonly merge?: keyof typeof MERGES;
}

/** A fine histogram of a rollup upsert: its index and count columns, and its delta of an entry. */
export interface RollupHistogramColumn<E> {
  readonly histogram: readonly [index: Column, count: Column];
  readonly value: (entry: E) => FineHistogram;
}

export type RollupColumn<E> = RollupValueColumn<E> | RollupHistogramColumn<E>;

/** A rollup's upsert: its SQL and how an entry gives each parameter array's element. */
export interface RollupUpsert<E> {
  readonly sql: string;
  readonly values: readonly ((entry: E) => SqlValue)[];
}

/** One flat column of the insert: its name, its parameter's SQL type, and its select expression. */
interface InsertColumn<E> {
  readonly column: Column;
  readonly value: (entry: E) => SqlValue;
}

function arrayLiteral(values: readonly (number | bigint)[]): string {
  return `{${values.join(',')}}`;
}

function insertColumns<E>(columns: readonly RollupColumn<E>[]): InsertColumn<E>[] {
  return columns.flatMap((c): InsertColumn<E>[] => {
    if (!('histogram' in c)) return [{ column: c.column, value: c.value }];
    // Both arrays of an entry's histogram from one computation of it.
    const computed = new WeakMap<object, FineHistogram>();
    const histogramOf = (e: E): FineHistogram => {
      const key = e as object;
      let histogram = computed.get(key);
      if (histogram === undefined) computed.set(key, (histogram = c.value(e)));
      return histogram;
    };
    return [
      { column: c.histogram[0], value: (e) => arrayLiteral(histogramOf(e).indexes) },
      { column: c.histogram[1], value: (e) => arrayLiteral(histogramOf(e).counts) },
    ];
  });
}

function isArray(column: Column): boolean {
  return column.type.endsWith('[]');
}

/**
 * The upsert of a rollup's columns, one parameter array per column. An array column travels as
 * its text literal (unnest would flatten an array of arrays) and is cast back in the select.
 */
export function toRollupUpsert<E>(table: Table, columns: readonly RollupColumn<E>[]): RollupUpsert<E> {
  const flat = insertColumns(columns);
  const names = flat.map(({ column }) => column.name).join(', ');
  const arrays = flat.map(({ column }, i) => `$${i + 1}::${isArray(column) ? 'text' : column.type}[]`).join(', ');
  const selects = flat.map(({ column }) => (isArray(column) ? `${column}::${column.type}` : column.name)).join(', ');
  const key = table.key.map((column) => column.name).join(', ');
  const merges = columns.flatMap((c) => {
    if ('histogram' in c) {
      const [index, count] = c.histogram;
      return [`(${index}, ${count}) = (SELECT * FROM convotel_fine_histogram_add(h.${index}, h.${count}, excluded.${index}, excluded.${count}))`];
    }
    return c.merge === undefined ? [] : [`${c.column} = ${MERGES[c.merge](c.column)}`];
  });
  const sql = `INSERT INTO ${table} AS h (${names}) SELECT ${selects} FROM unnest(${arrays}) AS s(${names})
     ORDER BY ${key} ON CONFLICT (${key}) DO UPDATE SET ${merges.join(', ')}`;
  return { sql, values: flat.map(({ value }) => value) };
}

/** Runs a rollup's upsert for entries already in key order (nothing without entries). */
export async function upsertRollup<E>(client: SqlClient, upsert: RollupUpsert<E>, entries: readonly E[]): Promise<void> {
  if (entries.length === 0) return;
  await client.query(
    upsert.sql,
    upsert.values.map((value) => entries.map(value)),
  );
}

/**
 * Deletes the rows of `keys` (values of the table's key columns, in key order) whose `count`
 * fell to zero: what was taken out of them (a turn that moved to another hour or agent, a call
 * that stopped counting) leaves no empty row behind. The rows were locked by the upsert before.
 */
export async function deleteEmptiedRows(client: SqlClient, table: Table, count: Column, keys: readonly (readonly SqlValue[])[]): Promise<void> {
  if (keys.length === 0) return;
  const columns = table.key.map((column) => column.name).join(', ');
  const arrays = table.key.map((column, i) => `$${i + 1}::${column.type}[]`).join(', ');
  await client.query(
    `DELETE FROM ${table} WHERE ${count} <= 0 AND (${columns}) IN (SELECT * FROM unnest(${arrays}))`,
    table.key.map((_, i) => keys.map((key) => key[i] as SqlValue)),
  );
}
