// GET /sql-queries/analysis: SQL spans of the window grouped by normalized statement (literals
// replaced by `?` at ingest) and database system: how often, how long, how many rows, how many
// failed. Figures and latency percentiles come from two replaceable sources: raw rows, or over
// long windows sql_hourly and sql_daily (sql-rollup-sources.ts).
import { resolveLimit } from '../cursor.js';
import type { ReadDb } from '../db.js';
import type { Filters } from '../filters.js';
import { exactPercentilesByKey } from '../percentiles.js';
import { mayReadRollups, type ReadOptions } from '../rollups/read-mode.js';
import { SqlParams, whereClause } from '../sql.js';
import { resolveWindow, windowToJson, type WindowParams } from '../window.js';
import { readGroupedRows, toGroupedPage, type WindowedPage } from './grouped-page.js';
import { planSqlRollups } from './sql-rollup-sources.js';
import { groupKeySql, sqlConditions, statementKey, STATEMENT_ORDER, toStatementFigures, type SqlAnalysisSources, type SqlScope, type SqlStatementStats } from './sql-statements.js';

export interface SqlAnalysisParams extends WindowParams {
  readonly filters?: Filters;
  /** Only statements of this database system (`postgresql`, `mysql`, …). */
  readonly system?: string | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

/** A page of statements, and which of their figures were read from histograms. */
export interface SqlAnalysis extends WindowedPage<SqlStatementStats> {
  /** `p50_ms` and `p95_ms` when read from rollup histograms (within 1%); empty when exact. */
  readonly approximate: string[];
}

export interface SqlAnalysisOptions extends ReadOptions {
  /** Replaces the planned sources (tests, comparisons). */
  readonly sources?: Partial<SqlAnalysisSources>;
}

// Times summed as numeric: durations are whole µs, so totals and averages are exact and equal
// to the rollups' (a float sum would differ from them in the last digits, and so might the order).
const rawFigures: SqlAnalysisSources['figures'] = async (sql, scope, page) => {
  const params = new SqlParams();
  const grouped = `SELECT ${groupKeySql('d')} AS group_key, min(d.system) AS system, min(coalesce(d.statement, '')) AS statement,
                          count(*) AS count, count(*) FILTER (WHERE d.status = 'error') AS errors,
                          sum(d.duration_ms::numeric)::float8 AS total_ms, (sum(d.duration_ms::numeric) / count(*))::float8 AS avg_ms, max(d.duration_ms) AS max_ms,
                          coalesce(sum(d.returned_rows), 0) AS rows
                     FROM db_queries d ${whereClause(sqlConditions(scope, params))}
                    GROUP BY 1`;
  const rows = await readGroupedRows(sql, grouped, params, STATEMENT_ORDER, page);
  return toGroupedPage(rows, page.limit, STATEMENT_ORDER, toStatementFigures);
};

/** Exact duration percentiles over the SQL spans' raw rows. */
const exactPercentiles: SqlAnalysisSources['percentiles'] = async (sql, scope, keys) => {
  const values = await exactPercentilesByKey(
    sql,
    { from: 'db_queries d', key: groupKeySql('d'), value: 'd.duration_ms', conditions: (params) => sqlConditions(scope, params) },
    keys,
    [0.5, 0.95],
  );
  return new Map([...values].map(([key, [p50, p95]]) => [key, { p50_ms: p50 ?? null, p95_ms: p95 ?? null }]));
};

/** SQL statement analysis from raw rows (exact). */
export const RAW_SQL_ANALYSIS_SOURCES: SqlAnalysisSources = { figures: rawFigures, percentiles: exactPercentiles };

/**
 * Statements of the window, most total time first. Windows longer than 48 hours (mode `auto`)
 * read sql_hourly and sql_daily unless a filter is given (SQL rollups have no filter dimension;
 * `system` is theirs): counts, sums and maxima exact, p50/p95 from fine histograms.
 */
export async function getSqlAnalysis(db: ReadDb, params: SqlAnalysisParams, options: SqlAnalysisOptions = {}): Promise<SqlAnalysis> {
  const window = resolveWindow(params, options.now);
  const limit = Math.min(resolveLimit(params.limit), db.maxRows);
  const scope: SqlScope = { window, filters: params.filters ?? {}, system: params.system };
  const plan = mayReadRollups(window, options.mode) ? planSqlRollups(scope) : undefined;
  const sources = { ...RAW_SQL_ANALYSIS_SOURCES, ...plan?.sources, ...options.sources };
  return db.read(async (sql) => {
    const page = await sources.figures(sql, scope, { limit, cursor: params.cursor });
    const keys = page.items.map((item) => statementKey(item.system, item.statement));
    const percentiles = await sources.percentiles(sql, scope, keys);
    return {
      window: windowToJson(window),
      items: page.items.map((item, i) => ({ ...item, ...(percentiles.get(keys[i]!) ?? { p50_ms: null, p95_ms: null }) })),
      next_cursor: page.next_cursor,
      approximate: plan !== undefined && sources.percentiles === plan.sources.percentiles ? [...plan.approximate] : [],
    };
  });
}
