// The overview's figures over long windows, from rollups: whole days and hours from the daily and
// hourly rollups, the partial hours at the window's ends from raw rows (rollups/rollup-window.ts).
// Counts and sums are exact; percentiles and SLA violations are read from fine histograms
// (@convotel/store fine-histogram.ts): percentiles within 1% of percentile_cont's, violations off
// only by turns within 2% of the threshold.
import { CONVERSATION_HOURLY, fineHistogramCountAbove, fineHistogramPercentile, LLM_CALLS, LLM_HOURLY, TURN_HOURLY, TURNS, type FineHistogram } from '@convotel/store';
import type { SqlClient } from '../db.js';
import { CONVERSATION_ROLLUPS, LLM_ROLLUPS, plannedRollupRows, TURN_ROLLUPS, type RollupFamily } from '../rollups/rollup-tables.js';
import { edgeConditions, isServedBy, splitWindow, type SplitWindow } from '../rollups/rollup-window.js';
import { SqlParams } from '../sql.js';
import { toNumber, toText } from '../values.js';
import { RAW_OVERVIEW_SOURCES } from './raw-sources.js';
import type { CostBreakdown, OverviewScope, OverviewSources, Percentiles } from './types.js';

const TH = TURN_HOURLY.columns;
const LH = LLM_HOURLY.columns;
const CH = CONVERSATION_HOURLY.columns;
const T = TURNS.columns;
const L = LLM_CALLS.columns;

/** The rollup rows of the scope's whole days and hours (a subquery); the planner only picks these sources when the filters allow. */
function rowsOf(family: RollupFamily, columns: readonly string[], split: SplitWindow, scope: OverviewScope, params: SqlParams): string {
  return plannedRollupRows(family, columns, split, scope.filters, params);
}

const conversations: OverviewSources['conversations'] = async (sql, scope) => {
  const split = splitWindow(scope.window);
  const params = new SqlParams();
  const { rows } = await sql.query(
    `SELECT sum(h.${CH.conversations}) AS conversations, sum(h.${CH.conversations}) FILTER (WHERE h.${CH.status} = 'active') AS active
       FROM ${rowsOf(CONVERSATION_ROLLUPS, [CH.conversations.name, CH.status.name], split, scope, params)} h`,
    params.values,
  );
  const figures = { conversations: toNumber(rows[0]?.['conversations']), active_conversations: toNumber(rows[0]?.['active']) };
  for (const window of split.edges) {
    const edge = await RAW_OVERVIEW_SOURCES.conversations(sql, { ...scope, window });
    figures.conversations += edge.conversations;
    figures.active_conversations += edge.active_conversations;
  }
  return figures;
};

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

/** Duration and perceived-latency buckets of the window: rollup days and hours merged with the edges' rows, bucketed as the ingest does. */
async function readTurnHistograms(sql: SqlClient, scope: OverviewScope): Promise<TurnHistograms> {
  const split = splitWindow(scope.window);
  const params = new SqlParams();
  const histogramColumns = [TH.durationBucketIndex, TH.durationBucketCount, TH.perceivedBucketIndex, TH.perceivedBucketCount].map((c) => c.name);
  const rows = rowsOf(TURN_ROLLUPS, histogramColumns, split, scope, params);
  const inEdges = edgeConditions('turns', 't', split.edges, scope.filters, params);
  // unnest in the select list zips the two arrays, about twice as fast as unnest(a, b) in FROM;
  // one aggregate per measure, on an integer key.
  const measure = (m: number, index: string, count: string, raw: string): string =>
    `SELECT ${m} AS m, i, sum(n) AS n FROM (
       SELECT unnest(r.${index}) AS i, unnest(r.${count}) AS n FROM r
       UNION ALL
       SELECT convotel_fine_bucket(t.${raw}), 1 FROM ${TURNS} t WHERE (${inEdges}) AND t.${raw} IS NOT NULL
     ) AS buckets GROUP BY i`;
  const { rows: buckets } = await sql.query(
    `WITH r AS ${rows}
     ${measure(0, TH.durationBucketIndex.name, TH.durationBucketCount.name, T.durationMs.name)}
     UNION ALL
     ${measure(1, TH.perceivedBucketIndex.name, TH.perceivedBucketCount.name, T.perceivedLatencyMs.name)}
     ORDER BY m, i`,
    params.values,
  );
  const of = (m: number): FineHistogram => {
    const mine = buckets.filter((row) => toNumber(row['m']) === m);
    return { indexes: mine.map((row) => toNumber(row['i'])), counts: mine.map((row) => toNumber(row['n'])) };
  };
  return { duration: of(0), perceived: of(1) };
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

/** Counts and costs of the whole days and hours plus the edges' exact figures; SLA violations from the duration histogram. */
const turns: OverviewSources['turns'] = async (sql, scope) => {
  const split = splitWindow(scope.window);
  const params = new SqlParams();
  const columns = [TH.turns, TH.errors, TH.interruptions, TH.costUsd, TH.llmCostUsd, TH.sttCostUsd, TH.ttsCostUsd, TH.otherCostUsd].map((c) => c.name);
  const { rows } = await sql.query(
    `SELECT sum(h.${TH.turns}) AS turns, sum(h.${TH.errors}) AS failed, sum(h.${TH.interruptions}) AS interruptions,
            sum(h.${TH.costUsd}) AS cost, sum(h.${TH.llmCostUsd}) AS llm, sum(h.${TH.sttCostUsd}) AS stt,
            sum(h.${TH.ttsCostUsd}) AS tts, sum(h.${TH.otherCostUsd}) AS other
       FROM ${rowsOf(TURN_ROLLUPS, columns, split, scope, params)} h`,
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
  for (const window of split.edges) figures = addTurnFigures(figures, { ...(await RAW_OVERVIEW_SOURCES.turns(sql, { ...scope, window })), sla_violations: 0 });
  const { duration } = await turnHistograms(sql, scope);
  return { ...figures, sla_violations: fineHistogramCountAbove(duration, scope.slaMs) };
};

const llmCalls: OverviewSources['llmCalls'] = async (sql, scope) => {
  const split = splitWindow(scope.window);
  const params = new SqlParams();
  const columns = [LH.count, LH.errors, LH.inputTokens, LH.outputTokens].map((c) => c.name);
  const { rows } = await sql.query(
    `SELECT sum(h.${LH.count}) AS calls, sum(h.${LH.errors}) AS failed, sum(h.${LH.inputTokens}) AS input_tokens, sum(h.${LH.outputTokens}) AS output_tokens
       FROM ${rowsOf(LLM_ROLLUPS, columns, split, scope, params)} h`,
    params.values,
  );
  const row = rows[0] ?? {};
  const figures = { llm_calls: toNumber(row['calls']), failed_llm_calls: toNumber(row['failed']), input_tokens: toNumber(row['input_tokens']), output_tokens: toNumber(row['output_tokens']) };
  for (const window of split.edges) {
    const edge = await RAW_OVERVIEW_SOURCES.llmCalls(sql, { ...scope, window });
    figures.llm_calls += edge.llm_calls;
    figures.failed_llm_calls += edge.failed_llm_calls;
    figures.input_tokens += edge.input_tokens;
    figures.output_tokens += edge.output_tokens;
  }
  return figures;
};

/** Models by calls (then cost, then name), the rollup rows and the edges' calls together. */
const topModels: OverviewSources['topModels'] = async (sql, scope) => {
  const split = splitWindow(scope.window);
  const params = new SqlParams();
  const rows = rowsOf(LLM_ROLLUPS, [LH.model, LH.count, LH.costUsd].map((c) => c.name), split, scope, params);
  const inEdges = edgeConditions('llm_calls', 'l', split.edges, scope.filters, params);
  const { rows: models } = await sql.query(
    `SELECT model, sum(calls) AS calls, sum(cost) AS cost FROM (
       SELECT h.${LH.model} AS model, sum(h.${LH.count}) AS calls, sum(h.${LH.costUsd}) AS cost FROM ${rows} h GROUP BY 1
       UNION ALL
       SELECT coalesce(l.${L.responseModel}, l.${L.requestModel}, ''), count(*), coalesce(sum(l.${L.costUsd}), 0) FROM ${LLM_CALLS} l WHERE ${inEdges} GROUP BY 1
     ) AS models
     GROUP BY model ORDER BY calls DESC, cost DESC, model LIMIT ${params.add(scope.topModels, 'integer')}`,
    params.values,
  );
  return models.map((row) => ({ model: toText(row['model']) ?? '', calls: toNumber(row['calls']), cost_usd: toNumber(row['cost']) }));
};

/** Where an overview's figures come from. */
export interface OverviewPlan {
  readonly sources: OverviewSources;
  /** Figures (API names) read from histograms in this answer. */
  readonly approximate: readonly string[];
}

/** How an overview is computed: `exact` from raw rows; `rollups` wherever the filters allow. */
export type OverviewPrecision = 'exact' | 'rollups';

/** The sources of an overview: raw rows, or rollups for each figure group whose filters they can answer. */
export function planOverview(scope: OverviewScope, precision: OverviewPrecision): OverviewPlan {
  const split = splitWindow(scope.window);
  // A window without a whole hour has nothing to read from rollups.
  if (precision === 'exact' || (split.days === undefined && split.hours.length === 0)) return { sources: RAW_OVERVIEW_SOURCES, approximate: [] };
  const isServed = (family: RollupFamily): boolean => isServedBy(family.dimensions, scope.filters);
  return {
    sources: {
      ...RAW_OVERVIEW_SOURCES,
      ...(isServed(CONVERSATION_ROLLUPS) ? { conversations } : {}),
      ...(isServed(TURN_ROLLUPS) ? { turns, turnLatency } : {}),
      ...(isServed(LLM_ROLLUPS) ? { llmCalls, topModels } : {}),
    },
    approximate: isServed(TURN_ROLLUPS) ? ['turn_latency_ms', 'perceived_latency_ms', 'sla.violations'] : [],
  };
}
