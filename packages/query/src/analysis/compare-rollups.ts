// GET /compare over long windows: each window's turn durations from turn_daily / turn_hourly and
// its step durations from the step rollups, plus the raw rows of the window's partial hours at its
// ends. Counts and averages are exact (the rollups keep duration sums); p50 and p95 come from the
// fine histograms. Each window and each of the two groups is planned on its own: a short window, or
// a filter that is not a dimension of the group's rollups, keeps that part on raw rows.
import { fineHistogramPercentile, fineHistogramTotal, TURN_HOURLY, TURNS, type FineHistogram } from '@convotel/store';
import { mayReadRollups, type ReadMode } from '../rollups/read-mode.js';
import { plannedRollupRows, TURN_ROLLUPS } from '../rollups/rollup-tables.js';
import { edgeConditions, isServedBy, splitWindow } from '../rollups/rollup-window.js';
import { SqlParams } from '../sql.js';
import { toNumber, toNumberOrNull } from '../values.js';
import type { CompareScope, CompareSources, DurationFigures } from './compare.js';
import { isStepRollupScope, readStepHistograms, stepTotalsSql } from './step-rollups.js';

const TH = TURN_HOURLY.columns;
const T = TURNS.columns;

function durationFigures(count: number, sumMs: number, histogram: FineHistogram | undefined): DurationFigures {
  // The histograms count turns with a duration; the average is over those, as avg() is.
  const withDuration = histogram === undefined ? 0 : fineHistogramTotal(histogram);
  return {
    count,
    avg_ms: withDuration === 0 ? null : sumMs / withDuration,
    p50_ms: histogram === undefined ? null : fineHistogramPercentile(histogram, 0.5),
    p95_ms: histogram === undefined ? null : fineHistogramPercentile(histogram, 0.95),
  };
}

/** Turn count, duration sum and duration histogram of the window: rollup days and hours, and the edges' rows. */
const rollupTurnDurations: CompareSources['turnDurations'] = async (sql, scope) => {
  const split = splitWindow(scope.window);
  const params = new SqlParams();
  const columns = [TH.turns, TH.durationSumMs, TH.durationBucketIndex, TH.durationBucketCount].map((c) => c.name);
  const rows = plannedRollupRows(TURN_ROLLUPS, columns, split, scope.filters, params);
  const inEdges = edgeConditions('turns', 't', split.edges, scope.filters, params);
  // Row m = 0 carries the count and sum, the others one bucket each.
  const { rows: result } = await sql.query(
    `WITH r AS ${rows}
     SELECT 0 AS m, NULL::integer AS i, sum(turns) AS n, sum(sum_ms) AS sum_ms FROM (
       SELECT sum(r.${TH.turns}) AS turns, sum(r.${TH.durationSumMs})::float8 AS sum_ms FROM r
       UNION ALL
       SELECT count(*), sum(t.${T.durationMs}) FROM ${TURNS} t WHERE ${inEdges}
     ) AS totals
     UNION ALL
     SELECT 1, i, sum(n), NULL FROM (
       SELECT unnest(r.${TH.durationBucketIndex}) AS i, unnest(r.${TH.durationBucketCount}) AS n FROM r
       UNION ALL
       SELECT convotel_fine_bucket(t.${T.durationMs}), 1 FROM ${TURNS} t WHERE (${inEdges}) AND t.${T.durationMs} IS NOT NULL
     ) AS buckets GROUP BY i
     ORDER BY m, i`,
    params.values,
  );
  const totals = result[0] ?? {};
  const buckets = result.slice(1);
  const histogram = { indexes: buckets.map((row) => toNumber(row['i'])), counts: buckets.map((row) => toNumber(row['n'])) };
  return durationFigures(toNumber(totals['n']), toNumber(totals['sum_ms']), histogram);
};

/** Step counts and averages from the step rollups' sums, p50 and p95 from their histograms; by name, at most `bound` + 1. */
const rollupStepDurations: CompareSources['stepDurations'] = async (sql, scope, bound) => {
  const params = new SqlParams();
  const { rows } = await sql.query(`SELECT * FROM (${stepTotalsSql(scope, params)}) AS g ORDER BY step LIMIT ${params.add(bound + 1, 'integer')}`, params.values);
  const histograms = await readStepHistograms(sql, scope, rows.map((row) => String(row['step'])));
  // The average from the sums (exact), the percentiles from the histogram.
  return new Map(rows.map((row) => [String(row['step']), { ...durationFigures(toNumber(row['count']), 0, histograms.get(String(row['step']))), avg_ms: toNumberOrNull(row['avg_ms']) }]));
};

/** The sources of one window of a comparison, and which of its groups read histograms. */
export interface CompareWindowPlan {
  readonly sources: Partial<CompareSources>;
  readonly turnsFromRollups: boolean;
  readonly stepsFromRollups: boolean;
}

/** Rollups for the turns and steps of a window wherever its length, `mode` and the filters allow. */
export function planCompareWindow(scope: CompareScope, mode: ReadMode | undefined): CompareWindowPlan {
  const split = splitWindow(scope.window);
  const mayRead = mayReadRollups(scope.window, mode) && (split.days !== undefined || split.hours.length > 0);
  const turnsFromRollups = mayRead && isServedBy(TURN_ROLLUPS.dimensions, scope.filters);
  const stepsFromRollups = mayRead && isStepRollupScope(scope);
  return {
    sources: { ...(turnsFromRollups ? { turnDurations: rollupTurnDurations } : {}), ...(stepsFromRollups ? { stepDurations: rollupStepDurations } : {}) },
    turnsFromRollups,
    stepsFromRollups,
  };
}
