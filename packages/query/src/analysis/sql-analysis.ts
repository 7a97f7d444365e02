// GET /sql-queries/analysis: SQL spans of the window grouped by normalized statement (literals
// replaced by `?` at ingest) and database system: how often, how long, how many rows, how many
// failed. Figures and latency percentiles come from two replaceable sources.
import { resolveLimit, type KeysetOrder, type Page } from '../cursor.js';
import type { ReadDb, SqlClient } from '../db.js';
import type { Filters } from '../filters.js';
import { exactPercentilesByKey } from '../percentiles.js';
import { scopeConditions, type Scope } from '../scope.js';
import { SqlParams, whereClause } from '../sql.js';
import { ratio, toNumber, toNumberOrNull } from '../values.js';
import { resolveWindow, windowToJson, type WindowParams } from '../window.js';
import { readGroupedRows, toGroupedPage, type PageRequest, type WindowedPage } from './grouped-page.js';

export interface SqlAnalysisParams extends WindowParams {
  readonly filters?: Filters;
  /** Only statements of this database system (`postgresql`, `mysql`, …). */
  readonly system?: string | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

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

// A statement's group: system and statement, joined by a newline (normalized statements have
// their whitespace collapsed, so none holds one).
const GROUP_KEY_SQL = `d.system || chr(10) || coalesce(d.statement, '')`;

/** The group key of a statement of `system`. */
export function statementKey(system: string, statement: string): string {
  return `${system}\n${statement}`;
}

const ORDER: KeysetOrder = { name: 'statements-by-time', key: 'g.total_ms', type: 'float8', id: 'g.group_key COLLATE "C"' };

function sqlConditions(scope: SqlScope, params: SqlParams): string[] {
  const conditions = scopeConditions('sql_queries', 'd', scope, params);
  if (scope.system !== undefined) conditions.push(`d.system = ${params.add(scope.system, 'text')}`);
  return conditions;
}

const rawFigures: SqlAnalysisSources['figures'] = async (sql, scope, page) => {
  const params = new SqlParams();
  const grouped = `SELECT ${GROUP_KEY_SQL} AS group_key, min(d.system) AS system, min(coalesce(d.statement, '')) AS statement,
                          count(*) AS count, count(*) FILTER (WHERE d.status = 'error') AS errors,
                          sum(d.duration_ms) AS total_ms, avg(d.duration_ms) AS avg_ms, max(d.duration_ms) AS max_ms,
                          coalesce(sum(d.returned_rows), 0) AS rows
                     FROM db_queries d ${whereClause(sqlConditions(scope, params))}
                    GROUP BY 1`;
  const rows = await readGroupedRows(sql, grouped, params, ORDER, page);
  return toGroupedPage(rows, page.limit, ORDER, (row) => {
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
  });
};

/** Exact duration percentiles over the SQL spans' raw rows. */
const exactPercentiles: SqlAnalysisSources['percentiles'] = async (sql, scope, keys) => {
  const values = await exactPercentilesByKey(
    sql,
    { from: 'db_queries d', key: GROUP_KEY_SQL, value: 'd.duration_ms', conditions: (params) => sqlConditions(scope, params) },
    keys,
    [0.5, 0.95],
  );
  return new Map([...values].map(([key, [p50, p95]]) => [key, { p50_ms: p50 ?? null, p95_ms: p95 ?? null }]));
};

/** SQL statement analysis from raw rows (exact). */
export const RAW_SQL_ANALYSIS_SOURCES: SqlAnalysisSources = { figures: rawFigures, percentiles: exactPercentiles };

export async function getSqlAnalysis(
  db: ReadDb,
  params: SqlAnalysisParams,
  options: { readonly sources?: Partial<SqlAnalysisSources>; readonly now?: Date } = {},
): Promise<WindowedPage<SqlStatementStats>> {
  const window = resolveWindow(params, options.now);
  const limit = Math.min(resolveLimit(params.limit), db.maxRows);
  const sources = { ...RAW_SQL_ANALYSIS_SOURCES, ...options.sources };
  const scope: SqlScope = { window, filters: params.filters ?? {}, system: params.system };
  return db.read(async (sql) => {
    const page = await sources.figures(sql, scope, { limit, cursor: params.cursor });
    const keys = page.items.map((item) => statementKey(item.system, item.statement));
    const percentiles = await sources.percentiles(sql, scope, keys);
    return {
      window: windowToJson(window),
      items: page.items.map((item, i) => ({ ...item, ...(percentiles.get(keys[i]!) ?? { p50_ms: null, p95_ms: null }) })),
      next_cursor: page.next_cursor,
    };
  });
}
