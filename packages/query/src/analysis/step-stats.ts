// GET /steps/stats: per step name, how often it ran and failed and how long it took (avg, min,
// max, p10…p99) in the window. Counts and percentiles come from two replaceable sources: raw rows,
// or over long windows without filters the step rollups (step-rollups.ts), whose percentiles are
// read from histograms.
import { fineHistogramPercentile } from '@convotel/store';
import type { KeysetOrder, Page } from '../cursor.js';
import { resolveLimit } from '../cursor.js';
import type { ReadDb, SqlClient } from '../db.js';
import type { Filters } from '../filters.js';
import { exactPercentilesByKey, type GroupedSamples } from '../percentiles.js';
import { mayReadRollups, type ReadOptions } from '../rollups/read-mode.js';
import { scopeConditions, type Scope } from '../scope.js';
import { SqlParams, whereClause } from '../sql.js';
import { ratio, toNumber, toNumberOrNull } from '../values.js';
import { resolveWindow, windowToJson, type WindowParams } from '../window.js';
import { readGroupedRows, toGroupedPage, type GroupedRows, type PageRequest, type WindowedPage } from './grouped-page.js';
import { isStepRollupScope, readStepHistograms, stepTotalsSql } from './step-rollups.js';

export interface StepStatsParams extends WindowParams {
  readonly filters?: Filters;
  /** Only the step of this name. */
  readonly step?: string | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

/** Counts and plain aggregates of one step name. */
export interface StepFigures {
  readonly step: string;
  readonly count: number;
  readonly failures: number;
  readonly error_rate: number;
  readonly avg_ms: number | null;
  readonly min_ms: number | null;
  readonly max_ms: number | null;
  /** Time spent in the step over the window (the list's order). */
  readonly total_ms: number;
}

export interface StepPercentiles {
  readonly p10_ms: number | null;
  readonly p25_ms: number | null;
  readonly p50_ms: number | null;
  readonly p75_ms: number | null;
  readonly p90_ms: number | null;
  readonly p95_ms: number | null;
  readonly p99_ms: number | null;
}

export type StepStats = StepFigures & StepPercentiles;

/** The window, filters and step name a step question covers. */
export interface StepScope extends Scope {
  readonly step?: string | undefined;
}

/** Where the figures of /steps/stats come from (raw rows by default). */
export interface StepStatsSources {
  /** A page of step names, most total time first. */
  readonly figures: (sql: SqlClient, scope: StepScope, page: PageRequest) => Promise<Page<StepFigures>>;
  /** p10…p99 of the duration of each step name in `steps`. */
  readonly percentiles: (sql: SqlClient, scope: StepScope, steps: readonly string[]) => Promise<Map<string, StepPercentiles>>;
}

const FRACTIONS = [0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99] as const;
const NO_PERCENTILES: StepPercentiles = { p10_ms: null, p25_ms: null, p50_ms: null, p75_ms: null, p90_ms: null, p95_ms: null, p99_ms: null };

const ORDER: KeysetOrder = { name: 'steps-by-time', key: 'g.total_ms', type: 'float8', id: 'g.step COLLATE "C"' };

/** Steps of the scope aliased `s`. */
function stepConditions(scope: StepScope, params: SqlParams): string[] {
  const conditions = scopeConditions('steps', 's', scope, params);
  if (scope.step !== undefined) conditions.push(`s.name = ${params.add(scope.step, 'text')}`);
  return conditions;
}

function toStepFigures(rows: GroupedRows, page: PageRequest): Page<StepFigures> {
  return toGroupedPage(rows, page.limit, ORDER, (row) => {
    const count = toNumber(row['count']);
    const failures = toNumber(row['failures']);
    return {
      step: String(row['step']),
      count,
      failures,
      error_rate: ratio(failures, count),
      avg_ms: toNumberOrNull(row['avg_ms']),
      min_ms: toNumberOrNull(row['min_ms']),
      max_ms: toNumberOrNull(row['max_ms']),
      total_ms: toNumber(row['total_ms']),
    };
  });
}

const rawFigures: StepStatsSources['figures'] = async (sql, scope, page) => {
  const params = new SqlParams();
  const grouped = `SELECT s.name AS step, count(*) AS count, count(*) FILTER (WHERE s.status = 'error') AS failures,
                          sum(s.duration_ms) AS total_ms, avg(s.duration_ms) AS avg_ms, min(s.duration_ms) AS min_ms, max(s.duration_ms) AS max_ms
                     FROM steps s ${whereClause(stepConditions(scope, params))}
                    GROUP BY s.name`;
  return toStepFigures(await readGroupedRows(sql, grouped, params, ORDER, page), page);
};

/** The percentiles at FRACTIONS, in order. */
function toStepPercentiles([p10, p25, p50, p75, p90, p95, p99]: readonly (number | null | undefined)[]): StepPercentiles {
  return { p10_ms: p10 ?? null, p25_ms: p25 ?? null, p50_ms: p50 ?? null, p75_ms: p75 ?? null, p90_ms: p90 ?? null, p95_ms: p95 ?? null, p99_ms: p99 ?? null };
}

/** Exact percentiles over the steps' raw rows. */
const exactPercentiles: StepStatsSources['percentiles'] = async (sql, scope, steps) => {
  const samples: GroupedSamples = { from: 'steps s', key: 's.name', value: 's.duration_ms', conditions: (params) => stepConditions(scope, params) };
  const values = await exactPercentilesByKey(sql, samples, steps, FRACTIONS);
  return new Map([...values].map(([step, percentiles]) => [step, toStepPercentiles(percentiles)]));
};

/** Step statistics from raw rows (exact). */
export const RAW_STEP_STATS_SOURCES: StepStatsSources = { figures: rawFigures, percentiles: exactPercentiles };

const rollupFigures: StepStatsSources['figures'] = async (sql, scope, page) => {
  const params = new SqlParams();
  return toStepFigures(await readGroupedRows(sql, stepTotalsSql(scope, params), params, ORDER, page), page);
};

const histogramPercentiles: StepStatsSources['percentiles'] = async (sql, scope, steps) => {
  const histograms = await readStepHistograms(sql, scope, steps);
  return new Map([...histograms].map(([step, histogram]) => [step, toStepPercentiles(FRACTIONS.map((fraction) => fineHistogramPercentile(histogram, fraction)))]));
};

/** Step statistics from step_daily / step_hourly plus the window's raw edges: counts and sums exact, percentiles from histograms. */
export const ROLLUP_STEP_STATS_SOURCES: StepStatsSources = { figures: rollupFigures, percentiles: histogramPercentiles };

/** The percentile fields of an item, read from histograms when the rollups answer. */
const PERCENTILE_FIELDS = ['p10_ms', 'p25_ms', 'p50_ms', 'p75_ms', 'p90_ms', 'p95_ms', 'p99_ms'] as const satisfies readonly (keyof StepPercentiles)[];

/** Where a step statistics answer comes from, and which of its fields are approximate. */
export function planStepStats(scope: StepScope, options: ReadOptions): { sources: StepStatsSources; approximate: readonly string[] } {
  if (mayReadRollups(scope.window, options.mode) && isStepRollupScope(scope)) return { sources: ROLLUP_STEP_STATS_SOURCES, approximate: PERCENTILE_FIELDS };
  return { sources: RAW_STEP_STATS_SOURCES, approximate: [] };
}

/** A page of step statistics; `approximate` names the item fields read from histograms. */
export interface StepStatsPage extends WindowedPage<StepStats> {
  readonly approximate: string[];
}

export async function getStepStats(
  db: ReadDb,
  params: StepStatsParams,
  options: ReadOptions & { readonly sources?: Partial<StepStatsSources> } = {},
): Promise<StepStatsPage> {
  const window = resolveWindow(params, options.now);
  const limit = Math.min(resolveLimit(params.limit), db.maxRows);
  const scope: StepScope = { window, filters: params.filters ?? {}, step: params.step };
  const plan = planStepStats(scope, options);
  const sources = { ...plan.sources, ...options.sources };
  return db.read(async (sql) => {
    const page = await sources.figures(sql, scope, { limit, cursor: params.cursor });
    const percentiles = await sources.percentiles(sql, scope, page.items.map((item) => item.step));
    return {
      window: windowToJson(window),
      items: page.items.map((item) => ({ ...item, ...(percentiles.get(item.step) ?? NO_PERCENTILES) })),
      next_cursor: page.next_cursor,
      approximate: [...plan.approximate],
    };
  });
}
