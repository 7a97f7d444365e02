// Pages of grouped rows (one row per step, model, statement, …): the GROUP BY runs as a
// subquery `g`, and the keyset cursor applies to its figures, so a walk to the end returns
// every group once.
import { afterCursorCondition, orderByClause, toPage, type KeysetOrder, type Page } from '../cursor.js';
import type { SqlClient } from '../db.js';
import { whereClause, type SqlParams } from '../sql.js';
import type { WindowJson } from '../window.js';

/** A page of an analysis, with the window it answers. */
export interface WindowedPage<T> extends Page<T> {
  readonly window: WindowJson;
}

/** Which page: at most `limit` groups after `cursor`. */
export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string | undefined;
}

/** Grouped rows fetched for one page: up to `limit + 1`, each with its sort key and id as text. */
export type GroupedRows = readonly Record<string, unknown>[];

/**
 * Runs `grouped` (a SELECT … GROUP BY whose output columns `order.key` and `order.id` name as
 * `g.<column>`) and returns the page's rows plus one, ordered by `order`.
 */
export async function readGroupedRows(sql: SqlClient, grouped: string, params: SqlParams, order: KeysetOrder, page: PageRequest): Promise<GroupedRows> {
  const conditions = afterCursorCondition(order, page.cursor, params);
  const { rows } = await sql.query(
    `SELECT g.*, (${order.key})::text AS sort_key, ${order.id} AS sort_id
       FROM (${grouped}) g ${whereClause(conditions)}
      ${orderByClause(order)} LIMIT ${params.add(page.limit + 1, 'integer')}`,
    params.values,
  );
  return rows;
}

/** Cuts rows read by {@link readGroupedRows} to a page of items. */
export function toGroupedPage<T>(rows: GroupedRows, limit: number, order: KeysetOrder, toItem: (row: Record<string, unknown>) => T): Page<T> {
  return toPage(rows, limit, order, (row) => ({ key: String(row['sort_key']), id: String(row['sort_id']) }), toItem);
}
