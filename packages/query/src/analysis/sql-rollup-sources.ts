// /sql-queries/analysis over long windows, from sql_daily and sql_hourly for whole days and
// hours and raw db_queries rows for the partial hours at the window's ends
// (rollups/rollup-window.ts). Counts, errors, rows, total and maximum time are exact; p50 and
// p95 are read from the fine histograms merged with the edges' rows, within 1%.
import { DB_QUERIES, fineHistogramPercentile, SQL_HOURLY, statementHashOf, type FineHistogram } from '@convotel/store';
import { plannedRollupRows, SQL_ROLLUPS } from '../rollups/rollup-tables.js';
import { edgeConditions, isServedBy, splitWindow, type SplitWindow } from '../rollups/rollup-window.js';
import { SqlParams } from '../sql.js';
import { toNumber } from '../values.js';
import { readGroupedRows, toGroupedPage } from './grouped-page.js';
import { groupKeySql, STATEMENT_ORDER, toStatementFigures, type SqlAnalysisSources, type SqlScope, type SqlStatementPercentiles } from './sql-statements.js';

const SH = SQL_HOURLY.columns;
const D = DB_QUERIES.columns;

/** The rollup rows of the scope's whole days and hours, of its system if it names one (`r`). */
function rowsOf(columns: readonly string[], split: SplitWindow, scope: SqlScope, params: SqlParams): string {
  const rows = plannedRollupRows(SQL_ROLLUPS, [SH.system.name, ...columns], split, scope.filters, params);
  return scope.system === undefined ? rows : `(SELECT * FROM ${rows} s WHERE s.${SH.system} = ${params.add(scope.system, 'text')})`;
}

/** The edges' raw rows that pass the question (`d`), as one condition. */
function inEdges(split: SplitWindow, scope: SqlScope, params: SqlParams): string {
  const edges = edgeConditions('sql_queries', 'd', split.edges, scope.filters, params);
  return scope.system === undefined ? edges : `(${edges}) AND d.${D.system} = ${params.add(scope.system, 'text')}`;
}

/** Per statement: rollup rows and the edges' rows summed, then paged like the raw figures. */
const figures: SqlAnalysisSources['figures'] = async (sql, scope, page) => {
  const split = splitWindow(scope.window);
  const params = new SqlParams();
  const columns = [SH.statementHash, SH.statement, SH.count, SH.errors, SH.latencySumMs, SH.latencyMaxMs, SH.returnedRows].map((c) => c.name);
  const rows = rowsOf(columns, split, scope, params);
  // Grouped by hash (the rollups' key); the statement is the same text within a group.
  const grouped = `SELECT ${groupKeySql('x')} AS group_key, x.system, x.statement, count, errors, total::float8 AS total_ms, (total / count)::float8 AS avg_ms, max_ms, rows
     FROM (SELECT u.system, u.hash, min(u.statement) AS statement, sum(u.count) AS count, sum(u.errors) AS errors,
                  sum(u.total_ms) AS total, max(u.max_ms)::float8 AS max_ms, sum(u.rows) AS rows
             FROM (SELECT r.${SH.system} AS system, r.${SH.statementHash} AS hash, r.${SH.statement} AS statement, r.${SH.count} AS count, r.${SH.errors} AS errors,
                          r.${SH.latencySumMs} AS total_ms, r.${SH.latencyMaxMs} AS max_ms, r.${SH.returnedRows} AS rows
                     FROM ${rows} r
                   UNION ALL
                   SELECT d.${D.system}, md5(coalesce(d.${D.statement}, '')), min(coalesce(d.${D.statement}, '')), count(*), count(*) FILTER (WHERE d.${D.status} = 'error'),
                          sum(d.${D.durationMs}::numeric), max(d.${D.durationMs})::numeric, coalesce(sum(d.${D.returnedRows}), 0)
                     FROM ${DB_QUERIES} d WHERE ${inEdges(split, scope, params)} GROUP BY 1, 2) AS u
            GROUP BY u.system, u.hash) AS x`;
  const found = await readGroupedRows(sql, grouped, params, STATEMENT_ORDER, page);
  return toGroupedPage(found, page.limit, STATEMENT_ORDER, toStatementFigures);
};

/** p50/p95 of each statement asked for, from its merged fine histogram. */
const percentiles: SqlAnalysisSources['percentiles'] = async (sql, scope, keys) => {
  const result = new Map<string, SqlStatementPercentiles>(keys.map((key) => [key, { p50_ms: null, p95_ms: null }]));
  if (keys.length === 0) return result;
  const split = splitWindow(scope.window);
  const params = new SqlParams();
  // statementKey's parts: the system up to the first newline, the statement after it.
  const parts = keys.map((key) => [key.slice(0, key.indexOf('\n')), key.slice(key.indexOf('\n') + 1)] as const);
  const systems = params.add(parts.map(([system]) => system), 'text[]');
  const hashes = params.add(parts.map(([, statement]) => statementHashOf(statement)), 'text[]');
  const rows = rowsOf([SH.statementHash, SH.latencyBucketIndex, SH.latencyBucketCount].map((c) => c.name), split, scope, params);
  const asked = (system: string, hash: string): string => `(${system}, ${hash}) IN (SELECT * FROM unnest(${systems}, ${hashes}))`;
  const { rows: buckets } = await sql.query(
    `SELECT system, hash, i, sum(n) AS n FROM (
       SELECT r.${SH.system} AS system, r.${SH.statementHash} AS hash, unnest(r.${SH.latencyBucketIndex}) AS i, unnest(r.${SH.latencyBucketCount}) AS n
         FROM ${rows} r WHERE ${asked(`r.${SH.system}`, `r.${SH.statementHash}`)}
       UNION ALL
       SELECT d.${D.system}, md5(coalesce(d.${D.statement}, '')), convotel_fine_bucket(d.${D.durationMs}), 1
         FROM ${DB_QUERIES} d WHERE (${inEdges(split, scope, params)}) AND ${asked(`d.${D.system}`, `md5(coalesce(d.${D.statement}, ''))`)}
     ) AS buckets GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    params.values,
  );
  const byKey = new Map<string, { indexes: number[]; counts: number[] }>();
  for (const row of buckets) {
    const id = `${String(row['system'])}\n${String(row['hash'])}`;
    let histogram = byKey.get(id);
    if (histogram === undefined) byKey.set(id, (histogram = { indexes: [], counts: [] }));
    histogram.indexes.push(toNumber(row['i']));
    histogram.counts.push(toNumber(row['n']));
  }
  for (const [i, key] of keys.entries()) {
    const [system, statement] = parts[i]!;
    const histogram: FineHistogram | undefined = byKey.get(`${system}\n${statementHashOf(statement)}`);
    if (histogram !== undefined) result.set(key, { p50_ms: fineHistogramPercentile(histogram, 0.5), p95_ms: fineHistogramPercentile(histogram, 0.95) });
  }
  return result;
};

/** The statement figures read from rollups, and which are approximate; undefined when raw rows must answer. */
export function planSqlRollups(scope: SqlScope): { sources: SqlAnalysisSources; approximate: readonly string[] } | undefined {
  const split = splitWindow(scope.window);
  // A window without a whole hour has nothing to read from rollups; a filter is no dimension of theirs.
  if ((split.days === undefined && split.hours.length === 0) || !isServedBy(SQL_ROLLUPS.dimensions, scope.filters)) return undefined;
  return { sources: { figures, percentiles }, approximate: ['p50_ms', 'p95_ms'] };
}
