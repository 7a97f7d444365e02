// /errors' rates over long windows, from rollups: steps by name from step_daily and step_hourly, LLM calls by
// model from llm_daily and llm_hourly, for whole days and hours, plus the raw rows of the
// partial hours at the window's ends (rollups/rollup-window.ts). Counts only, so exact.
import { LLM_HOURLY, STEP_HOURLY } from '@convotel/store';
import { LLM_ROLLUPS, plannedRollupRows, STEP_ROLLUPS, type RollupFamily } from '../rollups/rollup-tables.js';
import { edgeConditions, isServedBy, splitWindow } from '../rollups/rollup-window.js';
import type { Scope } from '../scope.js';
import { SqlParams } from '../sql.js';
import { CALL_MODEL_KEY, toModelRate, toRates, toStepRate, type ErrorAnalysisSources } from './error-rates.js';

const SH = STEP_HOURLY.columns;
const LH = LLM_HOURLY.columns;

function rowsOf(family: RollupFamily, columns: readonly string[], scope: Scope, params: SqlParams): string {
  return plannedRollupRows(family, columns, splitWindow(scope.window), scope.filters, params);
}

/** Rollup rows summed by key with the edges' rows, most failures first (then total, then key), `bound + 1` rows. */
function ratesSql(rollup: string, edges: string, params: SqlParams, bound: number): string {
  return `SELECT key, sum(total) AS total, sum(failures) AS failures FROM (${rollup} UNION ALL ${edges}) AS rates
           GROUP BY key ORDER BY failures DESC, total DESC, key COLLATE "C" LIMIT ${params.add(bound + 1, 'integer')}`;
}

const stepRates: ErrorAnalysisSources['stepRates'] = async (sql, scope, bound) => {
  const params = new SqlParams();
  const rows = rowsOf(STEP_ROLLUPS, [SH.name, SH.count, SH.errors].map((c) => c.name), scope, params);
  const edges = edgeConditions('steps', 's', splitWindow(scope.window).edges, scope.filters, params);
  const { rows: found } = await sql.query(
    ratesSql(
      `SELECT r.${SH.name} AS key, sum(r.${SH.count}) AS total, sum(r.${SH.errors}) AS failures FROM ${rows} r GROUP BY 1`,
      `SELECT s.name, count(*), count(*) FILTER (WHERE s.status = 'error') FROM steps s WHERE ${edges} GROUP BY 1`,
      params,
      bound,
    ),
    params.values,
  );
  return toRates(found, bound, toStepRate);
};

const modelRates: ErrorAnalysisSources['modelRates'] = async (sql, scope, bound) => {
  const params = new SqlParams();
  const rows = rowsOf(LLM_ROLLUPS, [LH.model, LH.count, LH.errors].map((c) => c.name), scope, params);
  const edges = edgeConditions('llm_calls', 'l', splitWindow(scope.window).edges, scope.filters, params);
  const { rows: found } = await sql.query(
    ratesSql(
      `SELECT r.${LH.model} AS key, sum(r.${LH.count}) AS total, sum(r.${LH.errors}) AS failures FROM ${rows} r GROUP BY 1`,
      `SELECT ${CALL_MODEL_KEY}, count(*), count(*) FILTER (WHERE l.status = 'error') FROM llm_calls l WHERE ${edges} GROUP BY 1`,
      params,
      bound,
    ),
    params.values,
  );
  return toRates(found, bound, toModelRate);
};

/** The rate sources rollups can answer for `scope` (none for a window without a whole hour, or filters that are no dimension of theirs). */
export function planErrorRollups(scope: Scope): Partial<ErrorAnalysisSources> {
  const split = splitWindow(scope.window);
  if (split.days === undefined && split.hours.length === 0) return {};
  return {
    ...(isServedBy(STEP_ROLLUPS.dimensions, scope.filters) ? { stepRates } : {}),
    ...(isServedBy(LLM_ROLLUPS.dimensions, scope.filters) ? { modelRates } : {}),
  };
}
