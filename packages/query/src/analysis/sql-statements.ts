// What /sql-queries/analysis answers and how its pages run, shared by its raw and rollup sources:
// the figures of a statement, the group key (system and statement), the page order and the row
// conditions of a question.
import type { KeysetOrder, Page } from '../cursor.js';
import type { SqlClient } from '../db.js';
import { scopeConditions, type Scope } from '../scope.js';
import type { SqlParams } from '../sql.js';
import { ratio, toNumber, toNumberOrNull } from '../values.js';
import type { PageRequest } from './grouped-page.js';

export interface SqlStatementFigures {
  /** Normalized statement (literals replaced by `?`). */
  readonly statement: string;
  readonly system: string;
  readonly count: number;
  readonly errors: number;
  readonly error_rate: number;
  readonly avg_ms: number | null;
  readonly max_ms: number | null;
  /** Time spent in the statement over the window (the list's order). */
  readonly total_ms: number;
  /** Rows returned, summed over the spans that report them. */
  readonly rows: number;
}

export interface SqlStatementPercentiles {
  readonly p50_ms: number | null;
  readonly p95_ms: number | null;
}

export type SqlStatementStats = SqlStatementFigures & SqlStatementPercentiles;

export interface SqlScope extends Scope {
  readonly system?: string | undefined;
}

/** Where the figures of /sql-queries/analysis come from (raw rows by default). */
export interface SqlAnalysisSources {
  /** A page of statements, most total time first. */
  readonly figures: (sql: SqlClient, scope: SqlScope, page: PageRequest) => Promise<Page<SqlStatementFigures>>;
  /** Duration p50/p95 of each statement, keyed by {@link statementKey}. */
  readonly percentiles: (sql: SqlClient, scope: SqlScope, keys: readonly string[]) => Promise<Map<string, SqlStatementPercentiles>>;
}

/**
 * A statement's group as SQL over rows aliased `alias` with `system` and `statement` columns:
 * system and statement joined by a newline (normalized statements have their whitespace
 * collapsed, so none holds one).
 */
export function groupKeySql(alias: string): string {
  return `${alias}.system || chr(10) || coalesce(${alias}.statement, '')`;
}

/** The group key of a statement of `system`. */
export function statementKey(system: string, statement: string): string {
  return `${system}\n${statement}`;
}

/** Most total time first, then the group key: raw and rollup pages walk alike, and a cursor of one serves the other. */
export const STATEMENT_ORDER: KeysetOrder = { name: 'statements-by-time', key: 'g.total_ms', type: 'float8', id: 'g.group_key COLLATE "C"' };

/** Conditions on `db_queries` rows aliased `d`: window, filters, system. */
export function sqlConditions(scope: SqlScope, params: SqlParams): string[] {
  const conditions = scopeConditions('sql_queries', 'd', scope, params);
  if (scope.system !== undefined) conditions.push(`d.system = ${params.add(scope.system, 'text')}`);
  return conditions;
}

/** A grouped row (group_key, system, statement, count, errors, total_ms, avg_ms, max_ms, rows) as figures. */
export function toStatementFigures(row: Record<string, unknown>): SqlStatementFigures {
  const count = toNumber(row['count']);
  const errors = toNumber(row['errors']);
  return {
    statement: String(row['statement']),
    system: String(row['system']),
    count,
    errors,
    error_rate: ratio(errors, count),
    avg_ms: toNumberOrNull(row['avg_ms']),
    max_ms: toNumberOrNull(row['max_ms']),
    total_ms: toNumber(row['total_ms']),
    rows: toNumber(row['rows']),
  };
}
