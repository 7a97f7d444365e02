// Opaque keyset cursors. A list is ordered by (sort key, id) descending; the cursor holds the
// last row's pair, so the next page is the rows strictly after it: no offsets, no skipped or
// repeated rows when rows arrive meanwhile. The cursor is base64url JSON, checked on the way
// back in; its values travel only as SQL parameters.
import { QueryParameterError } from './errors.js';
import type { SqlParams } from './sql.js';

export const MIN_LIMIT = 1;
export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 50;

/** A page of a list. */
export interface Page<T> {
  readonly items: T[];
  /** Pass back as `cursor` for the next page; null on the last one. */
  readonly next_cursor: string | null;
}

/** The position after a row: which ordering, and the row's sort key (as text) and id. */
interface CursorPosition {
  readonly sort: string;
  readonly key: string | null;
  readonly id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.sort, position.key, position.id]), 'utf8').toString('base64url');
}

/** Decodes a cursor made for the ordering `sort`; throws {@link QueryParameterError} otherwise. */
export function decodeCursor(cursor: string, sort: string): CursorPosition {
  const invalid = (): QueryParameterError => new QueryParameterError('cursor', 'not a cursor of this list (pass back next_cursor unchanged)');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(decoded) || decoded.length !== 3) throw invalid();
  const [cursorSort, key, id] = decoded as unknown[];
  if (cursorSort !== sort || !(typeof key === 'string' || key === null) || typeof id !== 'string') throw invalid();
  return { sort, key, id };
}

/** Checks a page size: 1…1000, default 50. */
export function resolveLimit(limit: number | undefined): number {
  const value = limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(value) || value < MIN_LIMIT || value > MAX_LIMIT) {
    throw new QueryParameterError('limit', `must be a whole number from ${MIN_LIMIT} to ${MAX_LIMIT}`);
  }
  return value;
}

/** An ordering of a list: a sort expression of a given SQL type, NULLs last, and the row id. */
export interface KeysetOrder {
  readonly name: string;
  /** SQL expression of the sort key (never NULL: coalesce it). */
  readonly key: string;
  /** Its SQL type, to cast the cursor's text back (`timestamptz`, `numeric`). */
  readonly type: string;
  /** SQL expression of the unique id. */
  readonly id: string;
}

/** `ORDER BY key DESC, id DESC`. */
export function orderByClause(order: KeysetOrder): string {
  return `ORDER BY ${order.key} DESC, ${order.id} DESC`;
}

/** The condition "after the cursor's row" in `order`, or none without a cursor. */
export function afterCursorCondition(order: KeysetOrder, cursor: string | undefined, params: SqlParams): string[] {
  if (cursor === undefined) return [];
  const position = decodeCursor(cursor, order.name);
  if (position.key === null) throw new QueryParameterError('cursor', 'not a cursor of this list (pass back next_cursor unchanged)');
  return [`(${order.key}, ${order.id}) < (${params.add(position.key, order.type)}, ${params.add(position.id, 'text')})`];
}

/**
 * Cuts rows fetched with `LIMIT limit + 1` to a page: when the extra row exists, the page's last
 * row gives the next cursor. `keyOf` reads the sort key's text and id off a row.
 */
export function toPage<R, T>(
  rows: readonly R[],
  limit: number,
  order: KeysetOrder,
  keyOf: (row: R) => { key: string; id: string },
  toItem: (row: R) => T,
): Page<T> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  const hasMore = rows.length > limit && last !== undefined;
  return {
    items: pageRows.map(toItem),
    next_cursor: hasMore ? encodeCursor({ sort: order.name, ...keyOf(last) }) : null,
  };
}
