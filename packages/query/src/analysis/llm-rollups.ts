// GET /llm-calls/analysis over long windows, from rollups (rollups/rollup-window.ts cuts the window).
// model, provider and call type: whole days from llm_daily, whole hours from llm_hourly, the
// partial hours at the ends from raw rows; latency percentiles from their fine histograms merged
// with the ends' rows. function, user and session: whole UTC days from usage_daily, the rest of the
// window (up to a day at each end: usage_daily has no hours) from raw rows; usage_daily keeps no
// latency histogram, so their percentiles stay exact over the page's keys' raw rows. agent has no
// rollup. Counts and sums are exact; a filter a rollup has no dimension for keeps the raw path.
import { fineHistogramPercentile, LLM_CALLS, LLM_HOURLY, USAGE_DAILY, type FineHistogram, type UsageDimension } from '@convotel/store';
import type { FilterSubject } from '../filters.js';
import { LLM_ROLLUPS, rollupRows } from '../rollups/rollup-tables.js';
import { edgeConditions, isServedBy, splitWindow } from '../rollups/rollup-window.js';
import { SqlParams } from '../sql.js';
import { toNumber } from '../values.js';
import type { TimeWindow } from '../window.js';
import { callGroupKey, type GroupBy } from './group-keys.js';
import type { LlmAnalysisScope, LlmAnalysisSources } from './llm-analysis.js';

const LH = LLM_HOURLY.columns;
const UD = USAGE_DAILY.columns;
const L = LLM_CALLS.columns;
const CALLS: FilterSubject = 'llm_calls';

/** The rollup column each grouping of the LLM rollups reads (the same key as callGroupKey's). */
const LLM_KEY_COLUMN: Partial<Readonly<Record<GroupBy, string>>> = { model: LH.model.name, provider: LH.provider.name, call_type: LH.callType.name };

/** The usage_daily dimension of each grouping it holds. */
const USAGE_DIMENSION: Partial<Readonly<Record<GroupBy, UsageDimension>>> = { function: 'function', user: 'user', session: 'session' };

/**
 * The figures of one call as the rollups sum them (key, calls, errors, input_tokens, output_tokens,
 * cache_read_tokens, cost_usd, latency_sum_ms, ttft_sum_ms, ttft_count), for the raw rows `l`.
 */
function rawCallFigures(key: string): string {
  return `${key}, 1, (l.${L.status} = 'error')::int, coalesce(l.${L.inputTokens}, 0), coalesce(l.${L.outputTokens}, 0),
          coalesce(l.${L.cacheReadTokens}, 0), coalesce(l.${L.costUsd}, 0), l.${L.durationMs}::numeric,
          coalesce(l.${L.ttftMs}, 0)::numeric, (l.${L.ttftMs} IS NOT NULL)::int`;
}

/** The grouped figures (the raw path's columns) of a rollup select (key, then rawCallFigures' order) plus the raw calls where `rawRows`. */
function groupedFigures(rollup: string, rawKey: string, rawRows: string): string {
  return `SELECT u.key, sum(u.calls)::bigint AS calls, sum(u.errors)::bigint AS errors, sum(u.input_tokens) AS input_tokens,
                 sum(u.output_tokens) AS output_tokens, sum(u.cache_read_tokens) AS cache_read_tokens, sum(u.cost_usd) AS cost_usd,
                 sum(u.latency_sum_ms) / nullif(sum(u.calls), 0) AS avg_latency_ms, sum(u.ttft_sum_ms) / nullif(sum(u.ttft_count), 0) AS avg_ttft_ms
            FROM (${rollup}
                  UNION ALL
                  SELECT ${rawCallFigures(rawKey)} FROM ${LLM_CALLS} l WHERE ${rawRows}
                 ) AS u (key, calls, errors, input_tokens, output_tokens, cache_read_tokens, cost_usd, latency_sum_ms, ttft_sum_ms, ttft_count)
           GROUP BY u.key`;
}

/** The columns of a rollup row that groupedFigures reads, in its order. */
const LLM_FIGURE_COLUMNS = [LH.count, LH.errors, LH.inputTokens, LH.outputTokens, LH.cacheReadTokens, LH.costUsd, LH.latencySumMs, LH.ttftSumMs, LH.ttftCount].map((c) => c.name);
const USAGE_FIGURE_COLUMNS = [UD.calls, UD.errors, UD.inputTokens, UD.outputTokens, UD.cacheReadTokens, UD.costUsd, UD.latencySumMs, UD.ttftSumMs, UD.ttftCount].map((c) => c.name);

/** A GROUP BY over the scope (its output: the raw path's columns), or undefined when rollups cannot answer it. */
export type GroupedSql = (scope: LlmAnalysisScope, params: SqlParams) => string | undefined;

const llmGrouped: GroupedSql = (scope, params) => {
  const column = LLM_KEY_COLUMN[scope.groupBy];
  if (column === undefined) return undefined;
  const split = splitWindow(scope.window);
  const rows = rollupRows(LLM_ROLLUPS, [column, ...LLM_FIGURE_COLUMNS], split, scope.filters, params);
  if (rows === undefined) return undefined;
  const rollup = `SELECT h.${column}, ${LLM_FIGURE_COLUMNS.map((c) => `h.${c}`).join(', ')} FROM ${rows} h`;
  return groupedFigures(rollup, callGroupKey(scope.groupBy).expression, edgeConditions(CALLS, 'l', split.edges, scope.filters, params));
};

/** The whole UTC days of a window and the rest of it (up to two stretches), or undefined without a whole day. */
function cutAtDays(window: TimeWindow): { days: TimeWindow; rest: TimeWindow[] } | undefined {
  const { days } = splitWindow(window);
  if (days === undefined) return undefined;
  const rest = [
    { from: window.from, to: days.from },
    { from: days.to, to: window.to },
  ].filter((part) => part.from < part.to);
  return { days, rest };
}

const usageGrouped: GroupedSql = (scope, params) => {
  const dimension = USAGE_DIMENSION[scope.groupBy];
  // usage_daily has no dimension for any filter.
  if (dimension === undefined || !isServedBy({}, scope.filters)) return undefined;
  const cut = cutAtDays(scope.window);
  if (cut === undefined) return undefined;
  const rollup = `SELECT r.${UD.key}, ${USAGE_FIGURE_COLUMNS.map((c) => `r.${c}`).join(', ')} FROM ${USAGE_DAILY} r
                   WHERE r.${UD.dimension} = ${params.add(dimension, 'text')}
                     AND r.${UD.day} >= ${params.add(cut.days.from.toISOString(), 'timestamptz')} AND r.${UD.day} < ${params.add(cut.days.to.toISOString(), 'timestamptz')}`;
  return groupedFigures(rollup, callGroupKey(scope.groupBy).expression, edgeConditions(CALLS, 'l', cut.rest, scope.filters, params));
};

/** Latency p50/p95 per page key from the LLM rollups' fine histograms merged with the ends' raw rows (within 1%). */
const histogramPercentiles: LlmAnalysisSources['percentiles'] = async (sql, scope, keys) => {
  const column = LLM_KEY_COLUMN[scope.groupBy] as string;
  const result = new Map(keys.map((key) => [key, { p50_latency_ms: null as number | null, p95_latency_ms: null as number | null }]));
  if (keys.length === 0) return result;
  const params = new SqlParams();
  const split = splitWindow(scope.window);
  const rows = rollupRows(LLM_ROLLUPS, [column, LH.latencyBucketIndex.name, LH.latencyBucketCount.name], split, scope.filters, params);
  if (rows === undefined) throw new Error('a question rollups cannot answer (plan it from raw rows)');
  const inEdges = edgeConditions(CALLS, 'l', split.edges, scope.filters, params);
  const rawKey = callGroupKey(scope.groupBy).expression;
  const wanted = params.add([...keys], 'text[]');
  // unnest in the select list zips the two arrays (as the overview reads them).
  const { rows: buckets } = await sql.query(
    `SELECT b.key, b.i, sum(b.n) AS n FROM (
       SELECT r.${column} AS key, unnest(r.${LH.latencyBucketIndex}) AS i, unnest(r.${LH.latencyBucketCount}) AS n FROM ${rows} r WHERE r.${column} = ANY(${wanted})
       UNION ALL
       SELECT ${rawKey}, convotel_fine_bucket(l.${L.durationMs}), 1 FROM ${LLM_CALLS} l WHERE (${inEdges}) AND ${rawKey} = ANY(${wanted})
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

function percentilesOf(histogram: FineHistogram): { p50_latency_ms: number | null; p95_latency_ms: number | null } {
  return { p50_latency_ms: fineHistogramPercentile(histogram, 0.5), p95_latency_ms: fineHistogramPercentile(histogram, 0.95) };
}

/** What the rollups answer of an analysis: its grouped figures, its percentiles, and which fields are approximate. */
export interface LlmRollupPlan {
  readonly grouped: GroupedSql | undefined;
  readonly percentiles: LlmAnalysisSources['percentiles'] | undefined;
  readonly approximate: readonly string[];
}

/** Percentile fields read from histograms. */
export const LLM_APPROXIMATE = ['p50_latency_ms', 'p95_latency_ms'] as const;

/** The rollup sources for a scope whose window may be read from rollups (empty where they cannot answer it). */
export function planLlmRollups(scope: LlmAnalysisScope): LlmRollupPlan {
  const probe = new SqlParams();
  if (llmGrouped(scope, probe) !== undefined) return { grouped: llmGrouped, percentiles: histogramPercentiles, approximate: LLM_APPROXIMATE };
  if (usageGrouped(scope, probe) !== undefined) return { grouped: usageGrouped, percentiles: undefined, approximate: [] };
  return { grouped: undefined, percentiles: undefined, approximate: [] };
}
