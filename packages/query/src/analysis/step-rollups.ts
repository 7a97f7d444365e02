// Step figures over long windows from step_daily and step_hourly, plus the raw rows of the
// window's partial hours at its ends (rollups/rollup-window.ts). The rollups are keyed by kind and
// name and count every step row; step questions group by name, so kinds are summed. Counts,
// failures, sums and extremes are exact; duration percentiles come from the fine histograms
// merged with the edges' rows, bucketed as the ingest buckets them.
import { STEP_HOURLY, STEPS, type FineHistogram } from '@convotel/store';
import type { SqlClient } from '../db.js';
import type { Scope } from '../scope.js';
import { plannedRollupRows, STEP_ROLLUPS } from '../rollups/rollup-tables.js';
import { edgeConditions, isServedBy, splitWindow } from '../rollups/rollup-window.js';
import { SqlParams } from '../sql.js';
import { toNumber } from '../values.js';

const SH = STEP_HOURLY.columns;
const S = STEPS.columns;

/** The window, filters and (optionally) the one step name a step question covers. */
export interface StepRollupScope extends Scope {
  readonly step?: string | undefined;
}

/** Whether step rollups can answer for `scope`: no filter (none is a dimension of theirs) and a whole hour in the window. */
export function isStepRollupScope(scope: StepRollupScope): boolean {
  const split = splitWindow(scope.window);
  return isServedBy(STEP_ROLLUPS.dimensions, scope.filters) && (split.days !== undefined || split.hours.length > 0);
}

function rollupRowsOf(scope: StepRollupScope, columns: readonly string[], params: SqlParams): { rows: string; inEdges: string } {
  const split = splitWindow(scope.window);
  const rows = plannedRollupRows(STEP_ROLLUPS, columns, split, scope.filters, params);
  return { rows, inEdges: edgeConditions('steps', 's', split.edges, scope.filters, params) };
}

/**
 * A SELECT with one row per step name of the scope: `step`, `count`, `failures`, `total_ms`,
 * `avg_ms`, `min_ms`, `max_ms` (ms as float8, as the raw computation gives them).
 */
export function stepTotalsSql(scope: StepRollupScope, params: SqlParams): string {
  const columns = [SH.name, SH.count, SH.errors, SH.latencySumMs, SH.latencyMinMs, SH.latencyMaxMs].map((c) => c.name);
  const { rows, inEdges } = rollupRowsOf(scope, columns, params);
  const step = scope.step === undefined ? undefined : params.add(scope.step, 'text');
  return `SELECT step, sum(count) AS count, sum(failures) AS failures, sum(total_ms) AS total_ms,
                 sum(total_ms) / sum(count)::float8 AS avg_ms, min(min_ms) AS min_ms, max(max_ms) AS max_ms
            FROM (
              SELECT h.${SH.name} AS step, sum(h.${SH.count}) AS count, sum(h.${SH.errors}) AS failures, sum(h.${SH.latencySumMs})::float8 AS total_ms,
                     min(h.${SH.latencyMinMs})::float8 AS min_ms, max(h.${SH.latencyMaxMs})::float8 AS max_ms
                FROM ${rows} h ${step === undefined ? '' : `WHERE h.${SH.name} = ${step}`} GROUP BY 1
              UNION ALL
              SELECT s.${S.name}, count(*), count(*) FILTER (WHERE s.${S.status} = 'error'), sum(s.${S.durationMs}), min(s.${S.durationMs}), max(s.${S.durationMs})
                FROM ${STEPS} s WHERE (${inEdges}) ${step === undefined ? '' : `AND s.${S.name} = ${step}`} GROUP BY 1
            ) AS parts
           GROUP BY step`;
}

/** The duration histogram of each of `steps` over the scope: rollup days and hours merged with the edges' rows. */
export async function readStepHistograms(sql: SqlClient, scope: StepRollupScope, steps: readonly string[]): Promise<Map<string, FineHistogram>> {
  const histograms = new Map<string, { indexes: number[]; counts: number[] }>();
  if (steps.length === 0) return histograms;
  const params = new SqlParams();
  const { rows, inEdges } = rollupRowsOf(scope, [SH.name, SH.latencyBucketIndex, SH.latencyBucketCount].map((c) => c.name), params);
  const names = params.add([...steps], 'text[]');
  // unnest in the select list zips the two arrays (rollup-sources.ts: about twice as fast as in FROM).
  const { rows: buckets } = await sql.query(
    `SELECT step, i, sum(n) AS n FROM (
       SELECT h.${SH.name} AS step, unnest(h.${SH.latencyBucketIndex}) AS i, unnest(h.${SH.latencyBucketCount}) AS n FROM ${rows} h WHERE h.${SH.name} = ANY(${names})
       UNION ALL
       SELECT s.${S.name}, convotel_fine_bucket(s.${S.durationMs}), 1 FROM ${STEPS} s WHERE (${inEdges}) AND s.${S.name} = ANY(${names})
     ) AS buckets
     GROUP BY step, i ORDER BY step, i`,
    params.values,
  );
  for (const row of buckets) {
    const step = String(row['step']);
    let histogram = histograms.get(step);
    if (histogram === undefined) histograms.set(step, (histogram = { indexes: [], counts: [] }));
    histogram.indexes.push(toNumber(row['i']));
    histogram.counts.push(toNumber(row['n']));
  }
  return histograms;
}
