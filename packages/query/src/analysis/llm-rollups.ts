// GET /llm-calls/analysis over long windows, from rollups (rollups/rollup-window.ts cuts the window).
// model, provider and call type: whole days from llm_daily, whole hours from llm_hourly, the
// partial hours at the ends from raw rows. function, user and session alike from usage_daily,
// usage_hourly and raw rows. Latency percentiles from the rollups' fine histograms merged with the
// raw rows' buckets. agent has no rollup. Counts and sums are exact; a filter a rollup has no
// dimension for keeps the raw path.
//
// A page is read in two steps: the keys ranked by calls (one narrow sum per key: users and
// sessions run to 10⁵ keys), then every figure of the page's keys only.
import { fineHistogramPercentile, LLM_CALLS, LLM_HOURLY, USAGE_DAILY, type FineHistogram, type UsageDimension } from '@convotel/store';
import type { FilterSubject } from '../filters.js';
import { LLM_ROLLUPS, rollupRows, USAGE_ROLLUPS } from '../rollups/rollup-tables.js';
import { edgeConditions, splitWindow } from '../rollups/rollup-window.js';
import { SqlParams } from '../sql.js';
import { toNumber } from '../values.js';
import type { TimeWindow } from '../window.js';
import { callGroupKey, indexedKeyConditions, type GroupBy } from './group-keys.js';
import type { LlmAnalysisScope, LlmAnalysisSources, LlmLatencyPercentiles } from './llm-analysis.js';

const LH = LLM_HOURLY.columns;
const UD = USAGE_DAILY.columns;
const L = LLM_CALLS.columns;
const CALLS: FilterSubject = 'llm_calls';

/** The rollup column each grouping of the LLM rollups reads (the same key as callGroupKey's). */
const LLM_KEY_COLUMN: Partial<Readonly<Record<GroupBy, string>>> = { model: LH.model.name, provider: LH.provider.name, call_type: LH.callType.name };

/** The usage_daily/usage_hourly dimension of each grouping they hold. */
const USAGE_DIMENSION: Partial<Readonly<Record<GroupBy, UsageDimension>>> = { function: 'function', user: 'user', session: 'session' };

/** What both rollups sum per key, by these names. */
const FIGURES = ['calls', 'errors', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cost_usd', 'latency_sum_ms', 'ttft_sum_ms', 'ttft_count'] as const;
type Figure = (typeof FIGURES)[number];

const LLM_FIGURE_COLUMNS: Readonly<Record<Figure, string>> = {
  calls: LH.count.name,
  errors: LH.errors.name,
  input_tokens: LH.inputTokens.name,
  output_tokens: LH.outputTokens.name,
  cache_read_tokens: LH.cacheReadTokens.name,
  cost_usd: LH.costUsd.name,
  latency_sum_ms: LH.latencySumMs.name,
  ttft_sum_ms: LH.ttftSumMs.name,
  ttft_count: LH.ttftCount.name,
};
const USAGE_FIGURE_COLUMNS: Readonly<Record<Figure, string>> = {
  calls: UD.calls.name,
  errors: UD.errors.name,
  input_tokens: UD.inputTokens.name,
  output_tokens: UD.outputTokens.name,
  cache_read_tokens: UD.cacheReadTokens.name,
  cost_usd: UD.costUsd.name,
  latency_sum_ms: UD.latencySumMs.name,
  ttft_sum_ms: UD.ttftSumMs.name,
  ttft_count: UD.ttftCount.name,
};

/**
 * The sums of FIGURES over the raw calls `l`. Latencies are summed as doubles (as the raw path's
 * averages are), not rounded to µs per call as the rollups are: averages agree to well under a µs,
 * at a third of the cost.
 */
const RAW_SUMS: Readonly<Record<Figure, string>> = {
  calls: 'count(*)',
  errors: `count(*) FILTER (WHERE l.${L.status} = 'error')`,
  input_tokens: `coalesce(sum(l.${L.inputTokens}), 0)`,
  output_tokens: `coalesce(sum(l.${L.outputTokens}), 0)`,
  cache_read_tokens: `coalesce(sum(l.${L.cacheReadTokens}), 0)`,
  cost_usd: `coalesce(sum(l.${L.costUsd}), 0)`,
  latency_sum_ms: `coalesce(sum(l.${L.durationMs}), 0)::numeric`,
  ttft_sum_ms: `coalesce(sum(l.${L.ttftMs}), 0)::numeric`,
  ttft_count: `count(l.${L.ttftMs})`,
};

/** A rollup read: its rows as a SELECT of (key, the columns asked for), and the condition on the raw calls `l` of the rest of the window. */
interface RollupRead {
  readonly rollup: string;
  readonly rawRows: string;
}

/** A rollup the analysis reads: its figure and histogram columns, and how to read columns of its rows over a scope (only `keys`, when given). */
interface AnalysisRollup {
  readonly figureColumns: Readonly<Record<Figure, string>>;
  readonly histogramColumns: readonly [index: string, count: string];
  read(scope: LlmAnalysisScope, columns: readonly string[], params: SqlParams, keys?: readonly string[]): RollupRead | undefined;
}

/** The raw calls of `ranges` that pass the filters, of `keys` when given. */
function rawRowsOf(scope: LlmAnalysisScope, ranges: readonly TimeWindow[], params: SqlParams, keys: readonly string[] | undefined): string {
  const rows = edgeConditions(CALLS, 'l', ranges, scope.filters, params);
  if (keys === undefined) return rows;
  const key = callGroupKey(scope.groupBy);
  return [`(${rows})`, `${key.expression} = ANY(${params.add([...keys], 'text[]')})`, ...indexedKeyConditions(key, keys, params)].join(' AND ');
}

/** llm_daily and llm_hourly for the whole days and hours, raw rows for the partial hours at the ends. */
const LLM_ANALYSIS_ROLLUP: AnalysisRollup = {
  figureColumns: LLM_FIGURE_COLUMNS,
  histogramColumns: [LH.latencyBucketIndex.name, LH.latencyBucketCount.name],
  read(scope, columns, params, keys) {
    const column = LLM_KEY_COLUMN[scope.groupBy];
    if (column === undefined) return undefined;
    const split = splitWindow(scope.window);
    const rows = rollupRows(LLM_ROLLUPS, [column, ...columns], split, scope.filters, params);
    if (rows === undefined) return undefined;
    const ofKeys = keys === undefined ? '' : ` WHERE h.${column} = ANY(${params.add([...keys], 'text[]')})`;
    return {
      rollup: `SELECT h.${column}${columns.map((c) => `, h.${c}`).join('')} FROM ${rows} h${ofKeys}`,
      rawRows: rawRowsOf(scope, split.edges, params, keys),
    };
  },
};

/** usage_daily and usage_hourly for the whole days and hours, raw rows for the partial hours at the ends; they have no dimension for any filter. */
const USAGE_ANALYSIS_ROLLUP: AnalysisRollup = {
  figureColumns: USAGE_FIGURE_COLUMNS,
  histogramColumns: [UD.latencyBucketIndex.name, UD.latencyBucketCount.name],
  read(scope, columns, params, keys) {
    const dimension = USAGE_DIMENSION[scope.groupBy];
    if (dimension === undefined) return undefined;
    const split = splitWindow(scope.window);
    const rows = rollupRows(USAGE_ROLLUPS, [UD.dimension.name, UD.key.name, ...columns], split, scope.filters, params);
    if (rows === undefined) return undefined;
    // Pushed into both tables' scans.
    const ofKeys = keys === undefined ? '' : ` AND r.${UD.key} = ANY(${params.add([...keys], 'text[]')})`;
    return {
      rollup: `SELECT r.${UD.key}${columns.map((c) => `, r.${c}`).join('')} FROM ${rows} r WHERE r.${UD.dimension} = ${params.add(dimension, 'text')}${ofKeys}`,
      rawRows: rawRowsOf(scope, split.edges, params, keys),
    };
  },
};

/** Builds the SQL of a rollup-read page: the keys ranked, then the figures of some keys. */
export interface RollupFiguresSql {
  /** A GROUP BY of (key, calls): every key of the scope. */
  ranking(scope: LlmAnalysisScope, params: SqlParams): string;
  /** A GROUP BY of `keys` with the raw path's columns (key, calls, errors, …, avg_latency_ms, avg_ttft_ms). */
  figures(scope: LlmAnalysisScope, keys: readonly string[], params: SqlParams): string;
}

function readOrThrow(source: AnalysisRollup, scope: LlmAnalysisScope, columns: readonly string[], params: SqlParams, keys?: readonly string[]): RollupRead {
  const read = source.read(scope, columns, params, keys);
  if (read === undefined) throw new Error('a question rollups cannot answer (plan it from raw rows)');
  return read;
}

function figuresSqlOf(source: AnalysisRollup): RollupFiguresSql {
  return {
    ranking(scope, params) {
      const read = readOrThrow(source, scope, [source.figureColumns.calls], params);
      const rawKey = callGroupKey(scope.groupBy).expression;
      // One GROUP BY over the rollup rows and the raw rest's per key (sessions: 10⁵ keys, each
      // summed once), by bytes: the groups of the database's (deterministic) collation, cheaper sorts.
      return `SELECT u.key COLLATE "C" AS key, sum(u.calls)::bigint AS calls
                FROM (SELECT r.key, r.calls FROM (${read.rollup}) AS r (key, calls)
                      UNION ALL
                      SELECT ${rawKey}, count(*) FROM ${LLM_CALLS} l WHERE ${read.rawRows} GROUP BY 1) AS u (key, calls)
               GROUP BY u.key COLLATE "C"`;
    },
    figures(scope, keys, params) {
      const read = readOrThrow(source, scope, FIGURES.map((f) => source.figureColumns[f]), params, keys);
      const rawKey = callGroupKey(scope.groupBy).expression;
      const names = FIGURES.join(', ');
      // Each side summed by key before they are added.
      return `SELECT u.key, sum(u.calls)::bigint AS calls, sum(u.errors)::bigint AS errors, sum(u.input_tokens) AS input_tokens,
                     sum(u.output_tokens) AS output_tokens, sum(u.cache_read_tokens) AS cache_read_tokens, sum(u.cost_usd) AS cost_usd,
                     sum(u.latency_sum_ms) / nullif(sum(u.calls), 0) AS avg_latency_ms, sum(u.ttft_sum_ms) / nullif(sum(u.ttft_count), 0) AS avg_ttft_ms
                FROM (SELECT r.key, ${FIGURES.map((f) => `sum(r.${f})`).join(', ')} FROM (${read.rollup}) AS r (key, ${names}) GROUP BY r.key
                      UNION ALL
                      SELECT ${rawKey}, ${FIGURES.map((f) => RAW_SUMS[f]).join(', ')} FROM ${LLM_CALLS} l WHERE ${read.rawRows} GROUP BY 1
                     ) AS u (key, ${names})
               GROUP BY u.key`;
    },
  };
}

/** Latency p50/p95 per page key from a rollup's fine histograms merged with the rest's raw rows, bucketed alike (within 1%). */
function histogramPercentilesOf(source: AnalysisRollup): LlmAnalysisSources['percentiles'] {
  return async (sql, scope, keys) => {
    const result = new Map<string, LlmLatencyPercentiles>(keys.map((key) => [key, { p50_latency_ms: null, p95_latency_ms: null }]));
    if (keys.length === 0) return result;
    const params = new SqlParams();
    const [index, count] = source.histogramColumns;
    const read = readOrThrow(source, scope, source.histogramColumns, params, keys);
    // unnest in the select list zips the two arrays (as the overview reads them).
    const { rows: buckets } = await sql.query(
      `SELECT b.key, b.i, sum(b.n) AS n FROM (
         SELECT r.key, unnest(r.${index}) AS i, unnest(r.${count}) AS n FROM (${read.rollup}) AS r (key, ${index}, ${count})
         UNION ALL
         SELECT ${callGroupKey(scope.groupBy).expression}, convotel_fine_bucket(l.${L.durationMs}), count(*) FROM ${LLM_CALLS} l WHERE ${read.rawRows} GROUP BY 1, 2
       ) AS b GROUP BY b.key, b.i ORDER BY b.key, b.i`,
      params.values,
    );
    const histograms = new Map<string, { indexes: number[]; counts: number[] }>();
    for (const row of buckets) {
      const key = String(row['key']);
      const histogram = histograms.get(key) ?? { indexes: [], counts: [] };
      histogram.indexes.push(toNumber(row['i']));
      histogram.counts.push(toNumber(row['n']));
      histograms.set(key, histogram);
    }
    for (const [key, histogram] of histograms) result.set(key, percentilesOf(histogram));
    return result;
  };
}

function percentilesOf(histogram: FineHistogram): LlmLatencyPercentiles {
  return { p50_latency_ms: fineHistogramPercentile(histogram, 0.5), p95_latency_ms: fineHistogramPercentile(histogram, 0.95) };
}

/** Percentile fields read from histograms. */
export const LLM_APPROXIMATE = ['p50_latency_ms', 'p95_latency_ms'] as const;

/** What the rollups answer of an analysis: its figures' SQL, its percentiles, and which fields are approximate. */
export interface LlmRollupPlan {
  readonly figures: RollupFiguresSql;
  readonly percentiles: LlmAnalysisSources['percentiles'];
  readonly approximate: readonly string[];
}

/** The rollup sources of a scope whose window may be read from rollups; undefined where they cannot answer it. */
export function planLlmRollups(scope: LlmAnalysisScope): LlmRollupPlan | undefined {
  const source = [LLM_ANALYSIS_ROLLUP, USAGE_ANALYSIS_ROLLUP].find((candidate) => candidate.read(scope, [], new SqlParams()) !== undefined);
  if (source === undefined) return undefined;
  return { figures: figuresSqlOf(source), percentiles: histogramPercentilesOf(source), approximate: LLM_APPROXIMATE };
}
