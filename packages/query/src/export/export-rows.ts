// GET /export/:kind: every row of a kind in the window, by time then key, read in batches that
// the caller takes one at a time (its awaiting is the backpressure), so memory stays flat
// whatever the size. PostgreSQL: one server-side cursor in one read-only transaction (one
// snapshot; each FETCH is a statement under the timeout). PGlite: keyset pages, each its own
// short transaction, because PGlite is a single session and a transaction held open for a slow
// client would stop the ingest writing meanwhile.
import type { ReadDb, SqlClient } from '../db.js';
import type { Filters } from '../filters.js';
import { scopeConditions, SUBJECT_TABLE, timeOf } from '../scope.js';
import { isoText, SqlParams, whereClause } from '../sql.js';
import { toNumberOrNull } from '../values.js';
import { resolveWindow, type TimeWindow, type WindowParams } from '../window.js';
import { EXPORT_TABLES, type ExportColumn, type ExportKind } from './export-columns.js';

/** A value as written: text (times and JSON as text too), a number, a boolean, or null. */
export type ExportValue = string | number | boolean | null;

/** A row: values in column order. */
export type ExportRow = readonly ExportValue[];

export interface ExportParams extends WindowParams {
  readonly filters?: Filters;
}

/** An export checked and ready to run. */
export interface ExportPlan {
  readonly kind: ExportKind;
  readonly window: TimeWindow;
  readonly columns: readonly ExportColumn[];
  /**
   * Reads every row, handing batches to `onBatch` and awaiting it before reading on. Stops with
   * the signal's reason once `signal` is aborted. Resolves with the number of rows.
   */
  run(onBatch: (rows: readonly ExportRow[]) => Promise<void>, signal?: AbortSignal): Promise<number>;
}

/** Name of the export's cursor (one per transaction). */
const CURSOR = 'convotel_export';
/** Hidden columns of the order: the row's time (exact ISO text) and key parts. */
const ORDER_TIME = 'export_order_time';
const orderKey = (i: number): string => `export_order_key_${i}`;

/**
 * Checks the window and filters of an export of `kind` (throwing QueryParameterError) and
 * returns it ready to run. It reads `db.batchRows` rows at a time.
 */
export function planExport(db: ReadDb, kind: ExportKind, params: ExportParams, now?: Date): ExportPlan {
  const table = EXPORT_TABLES[kind];
  const window = resolveWindow(params, now);
  const { batchRows } = db;
  const time = timeOf(table.subject, 'r');
  const keys = table.keys.map((key) => `r.${key}`);
  const scope = { window, filters: params.filters ?? {} };
  const select = (sqlParams: SqlParams, extra: readonly string[]): string =>
    `SELECT ${table.columns.map((c) => `${c.sql} AS "${c.name}"`).join(', ')},
            ${isoText(time)} AS ${ORDER_TIME}, ${keys.map((key, i) => `${key} AS ${orderKey(i)}`).join(', ')}
       FROM ${SUBJECT_TABLE[table.subject]} r
       ${whereClause([...scopeConditions(table.subject, 'r', scope, sqlParams), ...extra])}
       ORDER BY ${time}, ${keys.join(', ')}`;
  // Built once now, so a filter that does not apply fails before anything is sent.
  select(new SqlParams(), []);
  const toValues = (row: Record<string, unknown>): ExportRow => table.columns.map((c) => toExportValue(c, row[c.name]));

  return {
    kind,
    window,
    columns: table.columns,
    run: async (onBatch, signal) => {
      let count = 0;
      const take = async (rows: readonly Record<string, unknown>[]): Promise<void> => {
        count += rows.length;
        await onBatch(rows.map(toValues));
        signal?.throwIfAborted();
      };
      if (db.store.kind === 'postgres') {
        await db.read(async (sql) => {
          const sqlParams = new SqlParams();
          await sql.query(`DECLARE ${CURSOR} NO SCROLL CURSOR FOR ${select(sqlParams, [])}`, sqlParams.values);
          await readCursor(sql, batchRows, take, signal);
        });
        return count;
      }
      let after: { time: string; keys: string[] } | undefined;
      for (;;) {
        signal?.throwIfAborted();
        const sqlParams = new SqlParams();
        const extra =
          after === undefined
            ? []
            : [`(${time}, ${keys.join(', ')}) > (${sqlParams.add(after.time, 'timestamptz')}, ${after.keys.map((key) => sqlParams.add(key, 'text')).join(', ')})`];
        const text = `${select(sqlParams, extra)} LIMIT ${sqlParams.add(batchRows, 'integer')}`;
        const rows = await db.read(async (sql) => (await sql.query(text, sqlParams.values)).rows);
        if (rows.length === 0) break;
        const last = rows[rows.length - 1] as Record<string, unknown>;
        after = { time: String(last[ORDER_TIME]), keys: keys.map((_, i) => String(last[orderKey(i)])) };
        await take(rows);
        if (rows.length < batchRows) break;
      }
      return count;
    },
  };
}

/**
 * FETCHes the cursor in batches until it is exhausted. The next FETCH is sent before the batch
 * in hand is taken, so the database reads while the caller writes (two batches in memory).
 */
async function readCursor(
  sql: SqlClient,
  batchRows: number,
  take: (rows: readonly Record<string, unknown>[]) => Promise<void>,
  signal: AbortSignal | undefined,
): Promise<void> {
  const fetchBatch = () => sql.query(`FETCH ${batchRows} FROM ${CURSOR}`);
  let next = fetchBatch();
  for (;;) {
    const { rows } = await next;
    const isLast = rows.length < batchRows;
    if (!isLast) next = fetchBatch();
    try {
      signal?.throwIfAborted();
      if (rows.length > 0) await take(rows);
    } catch (error) {
      // The FETCH sent ahead ends with the transaction; nobody waits for it.
      if (!isLast) next.catch(() => undefined);
      throw error;
    }
    if (isLast) return;
  }
}

/** A driver value in API units: numbers as numbers (pg hands bigint as text), JSON as text. */
function toExportValue(column: ExportColumn, value: unknown): ExportValue {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'number': {
      const number = toNumberOrNull(value);
      return number === null || Number.isFinite(number) ? number : null;
    }
    case 'boolean':
      return value === true || value === 't' || value === 'true';
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}
