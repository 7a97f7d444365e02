// The overview's figures over long windows, from rollups: whole hours from turn_hourly and
// llm_hourly, the partial hours at the window's ends from raw rows (rollups/rollup-window.ts).
// Counts and sums are exact; percentiles and SLA violations are read from fine histograms
// (@convotel/store fine-histogram.ts): percentiles within 1% of percentile_cont's, violations off
// only by turns within 2% of the threshold.
import {
  fineHistogramCountAbove,
  fineHistogramPercentile,
  LLM_CALLS,
  LLM_HOURLY,
  TRACES,
  TURN_HOURLY,
  type FineHistogram,
} from '@convotel/store';
import type { SqlClient } from '../db.js';
import { LLM_HOURLY_DIMENSIONS, TURN_HOURLY_DIMENSIONS } from '../rollups/rollup-dimensions.js';
import { edgeConditions, isServedBy, rollupFilterConditions, splitAtHours, type RollupDimensions } from '../rollups/rollup-window.js';
import { SqlParams } from '../sql.js';
import { toNumber, toText } from '../values.js';
import type { TimeWindow } from '../window.js';
import { RAW_OVERVIEW_SOURCES } from './raw-sources.js';
import type { CostBreakdown, OverviewScope, OverviewSources, Percentiles } from './types.js';

const TH = TURN_HOURLY.columns;
const LH = LLM_HOURLY.columns;
const T = TRACES.columns;
const L = LLM_CALLS.columns;

/** The rollup rows of the window's whole hours that pass the filters (alias `h`). */
function hourConditions(dimensions: RollupDimensions, hourColumn: string, hours: TimeWindow | undefined, scope: OverviewScope, params: SqlParams): string {
  if (hours === undefined) return 'false';
  const filters = rollupFilterConditions(dimensions, 'h', scope.filters, params);
  if (filters === undefined) throw new Error('filters the rollup cannot answer (choose raw sources)');
  return [
    `h.${hourColumn} >= ${params.add(hours.from.toISOString(), 'timestamptz')}`,
    `h.${hourColumn} < ${params.add(hours.to.toISOString(), 'timestamptz')}`,
    ...filters,
  ].join(' AND ');
}

interface TurnHistograms {
  readonly duration: FineHistogram;
  readonly perceived: FineHistogram;
}

// Both turn figure groups read the same histograms: once per question (scope).
const histogramsOfScope = new WeakMap<OverviewScope, Promise<TurnHistograms>>();

function turnHistograms(sql: SqlClient, scope: OverviewScope): Promise<TurnHistograms> {
  let histograms = histogramsOfScope.get(scope);
  if (histograms === undefined) histogramsOfScope.set(scope, (histograms = readTurnHistograms(sql, scope)));
  return histograms;
}

/** Duration and perceived-latency buckets of the window: rollup hours merged with the edges' rows, bucketed as the ingest does. */
async function readTurnHistograms(sql: SqlClient, scope: OverviewScope): Promise<TurnHistograms> {
  const { hours, edges } = splitAtHours(scope.window);
  const params = new SqlParams();
  const inHours = hourConditions(TURN_HOURLY_DIMENSIONS, TH.hour.name, hours, scope, params);
  const inEdges = edgeConditions('turns', 't', edges, scope.filters, params);
  const { rows } = await sql.query(
    `SELECT m, i, sum(n) AS n FROM (
       SELECT 'duration' AS m, u.i, u.n FROM ${TURN_HOURLY} h, unnest(h.${TH.durationBucketIndex}, h.${TH.durationBucketCount}) AS u(i, n) WHERE ${inHours}
       UNION ALL
       SELECT 'perceived', u.i, u.n FROM ${TURN_HOURLY} h, unnest(h.${TH.perceivedBucketIndex}, h.${TH.perceivedBucketCount}) AS u(i, n) WHERE ${inHours}
       UNION ALL
       SELECT 'duration', convotel_fine_bucket(t.${T.durationMs}), 1 FROM ${TRACES} t WHERE (${inEdges}) AND t.${T.durationMs} IS NOT NULL
       UNION ALL
       SELECT 'perceived', convotel_fine_bucket(t.${T.perceivedLatencyMs}), 1 FROM ${TRACES} t WHERE (${inEdges}) AND t.${T.perceivedLatencyMs} IS NOT NULL
     ) AS buckets GROUP BY m, i ORDER BY m, i`,
    params.values,
  );
  const of = (measure: string): FineHistogram => {
    const mine = rows.filter((row) => row['m'] === measure);
    return { indexes: mine.map((row) => toNumber(row['i'])), counts: mine.map((row) => toNumber(row['n'])) };
  };
  return { duration: of('duration'), perceived: of('perceived') };
}

function percentilesOf(histogram: FineHistogram): Percentiles {
  return { p50: fineHistogramPercentile(histogram, 0.5), p95: fineHistogramPercentile(histogram, 0.95), p99: fineHistogramPercentile(histogram, 0.99) };
}

const turnLatency: OverviewSources['turnLatency'] = async (sql, scope) => {
  const { duration, perceived } = await turnHistograms(sql, scope);
  return { turn_latency_ms: percentilesOf(duration), perceived_latency_ms: percentilesOf(perceived) };
};

type TurnFigures = Awaited<ReturnType<OverviewSources['turns']>>;

function addTurnFigures(a: TurnFigures, b: TurnFigures): TurnFigures {
  const cost = (key: keyof CostBreakdown) => a.cost_usd[key] + b.cost_usd[key];
  return {
    turns: a.turns + b.turns,
    failed_turns: a.failed_turns + b.failed_turns,
    interruptions: a.interruptions + b.interruptions,
    sla_violations: a.sla_violations + b.sla_violations,
    cost_usd: { total: cost('total'), llm: cost('llm'), stt: cost('stt'), tts: cost('tts'), other: cost('other') },
  };
}

/** Counts and costs of the whole hours plus the edges' exact figures; SLA violations from the duration histogram. */
const turns: OverviewSources['turns'] = async (sql, scope) => {
  const { hours, edges } = splitAtHours(scope.window);
  const params = new SqlParams();
  const { rows } = await sql.query(
    `SELECT sum(h.${TH.turns}) AS turns, sum(h.${TH.errors}) AS failed, sum(h.${TH.interruptions}) AS interruptions,
            sum(h.${TH.costUsd}) AS cost, sum(h.${TH.llmCostUsd}) AS llm, sum(h.${TH.sttCostUsd}) AS stt,
            sum(h.${TH.ttsCostUsd}) AS tts, sum(h.${TH.otherCostUsd}) AS other
       FROM ${TURN_HOURLY} h WHERE ${hourConditions(TURN_HOURLY_DIMENSIONS, TH.hour.name, hours, scope, params)}`,
    params.values,
  );
  const row = rows[0] ?? {};
  let figures: TurnFigures = {
    turns: toNumber(row['turns']),
    failed_turns: toNumber(row['failed']),
    interruptions: toNumber(row['interruptions']),
    sla_violations: 0,
    cost_usd: { total: toNumber(row['cost']), llm: toNumber(row['llm']), stt: toNumber(row['stt']), tts: toNumber(row['tts']), other: toNumber(row['other']) },
  };
  for (const window of edges) figures = addTurnFigures(figures, { ...(await RAW_OVERVIEW_SOURCES.turns(sql, { ...scope, window })), sla_violations: 0 });
  const { duration } = await turnHistograms(sql, scope);
  return { ...figures, sla_violations: fineHistogramCountAbove(duration, scope.slaMs) };
};

const llmCalls: OverviewSources['llmCalls'] = async (sql, scope) => {
  const { hours, edges } = splitAtHours(scope.window);
  const params = new SqlParams();
  const { rows } = await sql.query(
    `SELECT sum(h.${LH.count}) AS calls, sum(h.${LH.errors}) AS failed, sum(h.${LH.inputTokens}) AS input_tokens, sum(h.${LH.outputTokens}) AS output_tokens
       FROM ${LLM_HOURLY} h WHERE ${hourConditions(LLM_HOURLY_DIMENSIONS, LH.hour.name, hours, scope, params)}`,
    params.values,
  );
  const row = rows[0] ?? {};
  const figures = { llm_calls: toNumber(row['calls']), failed_llm_calls: toNumber(row['failed']), input_tokens: toNumber(row['input_tokens']), output_tokens: toNumber(row['output_tokens']) };
  for (const window of edges) {
    const edge = await RAW_OVERVIEW_SOURCES.llmCalls(sql, { ...scope, window });
    figures.llm_calls += edge.llm_calls;
    figures.failed_llm_calls += edge.failed_llm_calls;
    figures.input_tokens += edge.input_tokens;
    figures.output_tokens += edge.output_tokens;
  }
  return figures;
};

/** Models by calls (then cost, then name), the hours' rollup rows and the edges' calls together. */
const topModels: OverviewSources['topModels'] = async (sql, scope) => {
  const { hours, edges } = splitAtHours(scope.window);
  const params = new SqlParams();
  const inHours = hourConditions(LLM_HOURLY_DIMENSIONS, LH.hour.name, hours, scope, params);
  const inEdges = edgeConditions('llm_calls', 'l', edges, scope.filters, params);
  const { rows } = await sql.query(
    `SELECT model, sum(calls) AS calls, sum(cost) AS cost FROM (
       SELECT h.${LH.model} AS model, sum(h.${LH.count}) AS calls, sum(h.${LH.costUsd}) AS cost FROM ${LLM_HOURLY} h WHERE ${inHours} GROUP BY 1
       UNION ALL
       SELECT coalesce(l.${L.responseModel}, l.${L.requestModel}, ''), count(*), coalesce(sum(l.${L.costUsd}), 0) FROM ${LLM_CALLS} l WHERE ${inEdges} GROUP BY 1
     ) AS models
     GROUP BY model ORDER BY calls DESC, cost DESC, model LIMIT ${params.add(scope.topModels, 'integer')}`,
    params.values,
  );
  return rows.map((row) => ({ model: toText(row['model']) ?? '', calls: toNumber(row['calls']), cost_usd: toNumber(row['cost']) }));
};

/** Where an overview's figures come from. */
export interface OverviewPlan {
  readonly sources: OverviewSources;
  /** Figures (API names) read from histograms in this answer. */
  readonly approximate: readonly string[];
}

/** How an overview is computed: `exact` from raw rows; `rollups` wherever the filters allow. */
export type OverviewPrecision = 'exact' | 'rollups';

/** The sources of an overview: raw rows, or rollups for the groups whose filters they can answer. */
export function planOverview(scope: OverviewScope, precision: OverviewPrecision): OverviewPlan {
  if (precision === 'exact') return { sources: RAW_OVERVIEW_SOURCES, approximate: [] };
  const isTurnServed = isServedBy(TURN_HOURLY_DIMENSIONS, scope.filters);
  const isCallServed = isServedBy(LLM_HOURLY_DIMENSIONS, scope.filters);
  return {
    sources: {
      ...RAW_OVERVIEW_SOURCES,
      ...(isTurnServed ? { turns, turnLatency } : {}),
      ...(isCallServed ? { llmCalls, topModels } : {}),
    },
    approximate: isTurnServed ? ['turn_latency_ms', 'perceived_latency_ms', 'sla.violations'] : [],
  };
}
