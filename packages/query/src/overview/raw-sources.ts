// The overview's figures computed over raw rows: exact, and fine for short windows. Each
// function is one figure group and can be replaced by a rollup source (see OverviewSources).
import { SqlParams, whereClause } from '../sql.js';
import { scopeConditions } from '../scope.js';
import { toNumber, toNumberOrNull, toText } from '../values.js';
import type { FigureSource, OverviewSources, Percentiles } from './types.js';

const countConversations: FigureSource<{ conversations: number; active_conversations: number }> = async (sql, scope) => {
  const params = new SqlParams();
  const { rows } = await sql.query(
    `SELECT count(*) AS conversations, count(*) FILTER (WHERE c.status = 'active') AS active
       FROM conversations c ${whereClause(scopeConditions('conversations', 'c', scope, params))}`,
    params.values,
  );
  const row = rows[0] ?? {};
  return { conversations: toNumber(row['conversations']), active_conversations: toNumber(row['active']) };
};

const sumTurns: OverviewSources['turns'] = async (sql, scope) => {
  const params = new SqlParams();
  const sla = params.add(scope.slaMs, 'double precision');
  const { rows } = await sql.query(
    `SELECT count(*) AS turns,
            count(*) FILTER (WHERE t.status = 'error') AS failed,
            count(*) FILTER (WHERE t.interrupted) AS interruptions,
            count(*) FILTER (WHERE t.duration_ms > ${sla}) AS sla_violations,
            sum(t.cost_usd) AS cost, sum(t.llm_cost_usd) AS llm, sum(t.stt_cost_usd) AS stt,
            sum(t.tts_cost_usd) AS tts, sum(t.other_cost_usd) AS other
       FROM turns t ${whereClause(scopeConditions('turns', 't', scope, params))}`,
    params.values,
  );
  const row = rows[0] ?? {};
  return {
    turns: toNumber(row['turns']),
    failed_turns: toNumber(row['failed']),
    interruptions: toNumber(row['interruptions']),
    sla_violations: toNumber(row['sla_violations']),
    cost_usd: {
      total: toNumber(row['cost']),
      llm: toNumber(row['llm']),
      stt: toNumber(row['stt']),
      tts: toNumber(row['tts']),
      other: toNumber(row['other']),
    },
  };
};

/** p50/p95/p99 of a float8[] of `percentile_cont(ARRAY[.5,.95,.99])`. */
function toPercentiles(value: unknown): Percentiles {
  const values = Array.isArray(value) ? value.map(toNumberOrNull) : [null, null, null];
  return { p50: values[0] ?? null, p95: values[1] ?? null, p99: values[2] ?? null };
}

/** Exact percentiles (linear interpolation between closest ranks) over the window's turns. */
const exactTurnLatency: OverviewSources['turnLatency'] = async (sql, scope) => {
  const params = new SqlParams();
  const { rows } = await sql.query(
    `SELECT percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY t.duration_ms) AS turn,
            percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY t.perceived_latency_ms) AS perceived
       FROM turns t ${whereClause(scopeConditions('turns', 't', scope, params))}`,
    params.values,
  );
  const row = rows[0] ?? {};
  return { turn_latency_ms: toPercentiles(row['turn']), perceived_latency_ms: toPercentiles(row['perceived']) };
};

const sumLlmCalls: OverviewSources['llmCalls'] = async (sql, scope) => {
  const params = new SqlParams();
  const { rows } = await sql.query(
    `SELECT count(*) AS calls, count(*) FILTER (WHERE l.status = 'error') AS failed,
            sum(l.input_tokens) AS input_tokens, sum(l.output_tokens) AS output_tokens
       FROM llm_calls l ${whereClause(scopeConditions('llm_calls', 'l', scope, params))}`,
    params.values,
  );
  const row = rows[0] ?? {};
  return {
    llm_calls: toNumber(row['calls']),
    failed_llm_calls: toNumber(row['failed']),
    input_tokens: toNumber(row['input_tokens']),
    output_tokens: toNumber(row['output_tokens']),
  };
};

/** Models by calls (then cost, then name); the model is the response model, else the requested one. */
const rankModels: OverviewSources['topModels'] = async (sql, scope) => {
  const params = new SqlParams();
  const where = whereClause(scopeConditions('llm_calls', 'l', scope, params));
  const { rows } = await sql.query(
    `SELECT coalesce(l.response_model, l.request_model, '') AS model, count(*) AS calls, coalesce(sum(l.cost_usd), 0) AS cost
       FROM llm_calls l ${where}
      GROUP BY 1 ORDER BY calls DESC, cost DESC, model LIMIT ${params.add(scope.topModels, 'integer')}`,
    params.values,
  );
  return rows.map((row) => ({ model: toText(row['model']) ?? '', calls: toNumber(row['calls']), cost_usd: toNumber(row['cost']) }));
};

/** Every overview figure from raw rows. */
export const RAW_OVERVIEW_SOURCES: OverviewSources = {
  conversations: countConversations,
  turns: sumTurns,
  turnLatency: exactTurnLatency,
  llmCalls: sumLlmCalls,
  topModels: rankModels,
};
