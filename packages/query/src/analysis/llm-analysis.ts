// GET /llm-calls/analysis: LLM calls of the window grouped by model, provider, call type,
// function, user, session or agent: calls, errors, tokens, cost, latency and time to first
// token. A call seen by two instrumentation layers counts once; a call's model is its response
// model, else its request model (group-keys.ts). Windows over 48 hours read rollups where they
// hold the grouping (llm-rollups.ts); the rest is computed from raw rows.
import { resolveLimit, type KeysetOrder, type Page } from '../cursor.js';
import type { ReadDb, SqlClient } from '../db.js';
import type { Filters } from '../filters.js';
import { exactPercentilesByKey } from '../percentiles.js';
import { scopeConditions, type Scope } from '../scope.js';
import { SqlParams, whereClause } from '../sql.js';
import { mayReadRollups, type ReadOptions } from '../rollups/read-mode.js';
import { ratio, toNumber, toNumberOrNull } from '../values.js';
import { resolveWindow, windowToJson, type WindowParams } from '../window.js';
import { UNKNOWN_KEY, callGroupKey, indexedKeyConditions, keyOrNull, type GroupBy } from './group-keys.js';
import { readGroupedRows, toGroupedPage, type PageRequest, type WindowedPage } from './grouped-page.js';
import { planLlmRollups, type RollupFiguresSql } from './llm-rollups.js';

export interface LlmAnalysisParams extends WindowParams {
  /** Default `model`. */
  readonly groupBy?: GroupBy | undefined;
  readonly filters?: Filters;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

export interface LlmGroupFigures {
  /** The group's model, provider, … (null: the calls carry none). */
  readonly key: string | null;
  readonly calls: number;
  readonly errors: number;
  readonly error_rate: number;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cache_read_tokens: number;
  readonly cost_usd: number;
  readonly avg_latency_ms: number | null;
  /** Over the calls that report a time to first token (streams). */
  readonly avg_ttft_ms: number | null;
}

export interface LlmLatencyPercentiles {
  readonly p50_latency_ms: number | null;
  readonly p95_latency_ms: number | null;
}

export type LlmGroup = LlmGroupFigures & LlmLatencyPercentiles;

export interface LlmAnalysis extends WindowedPage<LlmGroup> {
  readonly group_by: GroupBy;
  /** Fields read from rollup histograms (p50/p95_latency_ms over long windows); empty when all are exact. */
  readonly approximate: string[];
}

export interface LlmAnalysisScope extends Scope {
  readonly groupBy: GroupBy;
}

/** Where the figures of /llm-calls/analysis come from (raw rows by default). */
export interface LlmAnalysisSources {
  /** A page of groups, most calls first. */
  readonly figures: (sql: SqlClient, scope: LlmAnalysisScope, page: PageRequest) => Promise<Page<LlmGroupFigures>>;
  /** Latency p50/p95 of each group key ('' for the unknown key). */
  readonly percentiles: (sql: SqlClient, scope: LlmAnalysisScope, keys: readonly string[]) => Promise<Map<string, LlmLatencyPercentiles>>;
}

/** Most calls first; a cursor is valid only for the grouping it came from. */
const orderOf = (groupBy: GroupBy): KeysetOrder => ({ name: `calls-by-${groupBy}`, key: 'g.calls', type: 'bigint', id: 'g.key COLLATE "C"' });

/** The raw rows' GROUP BY: every grouping, every filter. */
function rawGrouped(scope: LlmAnalysisScope, params: SqlParams): string {
  const key = callGroupKey(scope.groupBy);
  return `SELECT ${key.expression} AS key, count(*) AS calls, count(*) FILTER (WHERE l.status = 'error') AS errors,
                 coalesce(sum(l.input_tokens), 0) AS input_tokens, coalesce(sum(l.output_tokens), 0) AS output_tokens,
                 coalesce(sum(l.cache_read_tokens), 0) AS cache_read_tokens, coalesce(sum(l.cost_usd), 0) AS cost_usd,
                 avg(l.duration_ms) AS avg_latency_ms, avg(l.ttft_ms) AS avg_ttft_ms
            FROM llm_calls l ${key.join} ${whereClause(scopeConditions('llm_calls', 'l', scope, params))}
           GROUP BY 1`;
}

/** The figures of a grouped row (rawGrouped's columns). */
function toGroupFigures(row: Record<string, unknown>): LlmGroupFigures {
  const calls = toNumber(row['calls']);
  const errors = toNumber(row['errors']);
  return {
    key: keyOrNull(row['key']),
    calls,
    errors,
    error_rate: ratio(errors, calls),
    input_tokens: toNumber(row['input_tokens']),
    output_tokens: toNumber(row['output_tokens']),
    cache_read_tokens: toNumber(row['cache_read_tokens']),
    cost_usd: toNumber(row['cost_usd']),
    avg_latency_ms: toNumberOrNull(row['avg_latency_ms']),
    avg_ttft_ms: toNumberOrNull(row['avg_ttft_ms']),
  };
}

const rawFigures: LlmAnalysisSources['figures'] = async (sql, scope, page) => {
  const params = new SqlParams();
  const order = orderOf(scope.groupBy);
  const rows = await readGroupedRows(sql, rawGrouped(scope, params), params, order, page);
  return toGroupedPage(rows, page.limit, order, toGroupFigures);
};

/** A page from rollups: the keys ranked by calls, then the page's figures. */
function rollupFiguresOf(rollup: RollupFiguresSql): LlmAnalysisSources['figures'] {
  return async (sql, scope, page) => {
    const params = new SqlParams();
    const order = orderOf(scope.groupBy);
    // The planner cannot count the groups of a union (it assumes 200) and would split the ranking
    // of 10⁵ sessions into parallel partial aggregates, sorted, merged and summed again: twice
    // the work of one hash aggregate (2–3× slower on the 1M-call bench). Local to this read's transaction.
    await sql.query(`SELECT set_config('max_parallel_workers_per_gather', '0', true)`);
    const ranked = await readGroupedRows(sql, rollup.ranking(scope, params), params, order, page);
    const keys = toGroupedPage(ranked, page.limit, order, (row) => String(row['key']));
    if (keys.items.length === 0) return { items: [], next_cursor: keys.next_cursor };
    const figureParams = new SqlParams();
    const { rows } = await sql.query(rollup.figures(scope, keys.items, figureParams), figureParams.values);
    const figures = new Map(rows.map((row) => [String(row['key']), toGroupFigures(row)]));
    return {
      items: keys.items.map((key) => {
        const found = figures.get(key);
        if (found === undefined) throw new Error(`the rollups ranked key ${JSON.stringify(key)} but hold no figures of it`);
        return found;
      }),
      next_cursor: keys.next_cursor,
    };
  };
}

/** Exact latency percentiles over the calls' raw rows. */
const exactPercentiles: LlmAnalysisSources['percentiles'] = async (sql, scope, keys) => {
  const key = callGroupKey(scope.groupBy);
  const values = await exactPercentilesByKey(
    sql,
    {
      from: `llm_calls l ${key.join}`,
      key: key.expression,
      value: 'l.duration_ms',
      conditions: (params) => [...scopeConditions('llm_calls', 'l', scope, params), ...indexedKeyConditions(key, keys, params)],
    },
    keys,
    [0.5, 0.95],
  );
  return new Map([...values].map(([group, [p50, p95]]) => [group, { p50_latency_ms: p50 ?? null, p95_latency_ms: p95 ?? null }]));
};

/** LLM call analysis from raw rows (exact). */
export const RAW_LLM_ANALYSIS_SOURCES: LlmAnalysisSources = { figures: rawFigures, percentiles: exactPercentiles };

/** Where an analysis' figures come from, and which of its fields are approximate. */
function planLlmAnalysis(scope: LlmAnalysisScope, mayUseRollups: boolean): { sources: LlmAnalysisSources; approximate: readonly string[] } {
  if (!mayUseRollups) return { sources: RAW_LLM_ANALYSIS_SOURCES, approximate: [] };
  const plan = planLlmRollups(scope);
  if (plan === undefined) return { sources: RAW_LLM_ANALYSIS_SOURCES, approximate: [] };
  return { sources: { figures: rollupFiguresOf(plan.figures), percentiles: plan.percentiles }, approximate: plan.approximate };
}

/** The analysis of a window: from rollups over 48 hours in mode `auto` (read-mode.ts), else from raw rows. */
export async function getLlmAnalysis(db: ReadDb, params: LlmAnalysisParams, options: ReadOptions = {}): Promise<LlmAnalysis> {
  const window = resolveWindow(params, options.now);
  const limit = Math.min(resolveLimit(params.limit), db.maxRows);
  const groupBy = params.groupBy ?? 'model';
  const scope: LlmAnalysisScope = { window, filters: params.filters ?? {}, groupBy };
  const { sources, approximate } = planLlmAnalysis(scope, mayReadRollups(window, options.mode));
  return db.read(async (sql) => {
    const page = await sources.figures(sql, scope, { limit, cursor: params.cursor });
    const keys = page.items.map((item) => item.key ?? UNKNOWN_KEY);
    const percentiles = await sources.percentiles(sql, scope, keys);
    return {
      window: windowToJson(window),
      group_by: groupBy,
      items: page.items.map((item) => ({ ...item, ...(percentiles.get(item.key ?? UNKNOWN_KEY) ?? { p50_latency_ms: null, p95_latency_ms: null }) })),
      next_cursor: page.next_cursor,
      approximate: [...approximate],
    };
  });
}
