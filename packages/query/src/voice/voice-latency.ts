// GET /voice/latency: voice-to-voice latency and each stage's contribution, per group (agent,
// model, provider, UTC hour, or all turns). Exact: percentile_cont over the turn rows (one row per
// turn, a summary table, not raw spans), for any window.
import type { ReadDb } from '../db.js';
import { percentileContSql, toPercentileValues } from '../percentiles.js';
import { SqlParams, whereClause } from '../sql.js';
import { ratio, toNumber, toText } from '../values.js';
import { resolveWindow, windowToJson, type WindowJson, type WindowParams } from '../window.js';
import { CONVERSATION, STAGE_COLUMNS, TURN, VOICE_STAGES, type VoiceStage } from './voice-columns.js';
import { TURNS_WITH_CONVERSATION, voiceTurnConditions, type VoiceFilters } from './voice-scope.js';

/** How turns are grouped. */
export const VOICE_GROUP_BYS = ['none', 'agent', 'model', 'provider', 'hour'] as const;
export type VoiceGroupBy = (typeof VOICE_GROUP_BYS)[number];

/** The group key of each grouping (turns `t`, conversation `c`); NULL for none. */
const GROUP_KEY: Readonly<Record<VoiceGroupBy, string>> = {
  none: 'NULL::text',
  agent: `c.${CONVERSATION.agentName}`,
  model: `t.${TURN.v2vModel}`,
  provider: `t.${TURN.v2vProvider}`,
  hour: `to_char(date_trunc('hour', t.${TURN.startedAt} AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:00:00"Z"')`,
};

export interface VoiceLatencyParams extends WindowParams {
  readonly filters?: VoiceFilters;
  /** Default none: one group of every turn. */
  readonly by?: VoiceGroupBy | undefined;
}

/** Voice-to-voice latency of a group's turns, ms. */
export interface VoiceToVoiceFigures {
  readonly p50_ms: number;
  readonly p95_ms: number;
  readonly p99_ms: number;
  readonly avg_ms: number;
}

/** One stage's contribution over a group's turns (a turn without the stage counts 0), ms. */
export interface VoiceStageFigures {
  readonly stage: VoiceStage;
  readonly p50_ms: number;
  readonly p95_ms: number;
  readonly avg_ms: number;
  /** The stage's sum over the group's voice-to-voice sum (a group's shares sum to 1). */
  readonly share: number;
}

export interface VoiceLatencyGroup {
  /** The agent, model, provider or hour (ISO, UTC) of the group; null for by=none or rows that name none. */
  readonly key: string | null;
  readonly turns: number;
  readonly voice_to_voice: VoiceToVoiceFigures;
  /** Every stage, in pipeline order. */
  readonly stages: VoiceStageFigures[];
}

export interface VoiceLatency {
  readonly window: WindowJson;
  /** Length of the window, hours. */
  readonly hours: number;
  readonly by: VoiceGroupBy;
  /** Hours in time order; other groups most turns first. Empty without voice turns. */
  readonly groups: VoiceLatencyGroup[];
}

const HOUR_MS = 3_600_000;

/** Voice-to-voice latency and its contributions over the turns started in the window that have one. */
export async function getVoiceLatency(db: ReadDb, params: VoiceLatencyParams, options: { now?: Date } = {}): Promise<VoiceLatency> {
  const window = resolveWindow(params, options.now);
  const by = params.by ?? 'none';
  const sqlParams = new SqlParams();
  const v2v = `t.${TURN.voiceToVoiceUs}`;
  const stageSelects = VOICE_STAGES.map((stage, i) => {
    const us = `coalesce(t.${STAGE_COLUMNS[stage]}, 0)`;
    return `${percentileContSql(sqlParams, [0.5, 0.95], us)} AS s${i}_p, avg(${us}) AS s${i}_avg, sum(${us}) AS s${i}_sum`;
  });
  const conditions = [`${v2v} IS NOT NULL`, ...voiceTurnConditions(window, params.filters ?? {}, sqlParams)];
  const order = by === 'hour' ? 'key ASC' : 'turns DESC, key ASC NULLS LAST';
  const { rows } = await db.read((sql) =>
    sql.query(
      `SELECT ${GROUP_KEY[by]} AS key, count(*) AS turns,
              ${percentileContSql(sqlParams, [0.5, 0.95, 0.99], v2v)} AS v2v_p, avg(${v2v}) AS v2v_avg, sum(${v2v}) AS v2v_sum,
              ${stageSelects.join(',\n              ')}
         FROM ${TURNS_WITH_CONVERSATION} ${whereClause(conditions)}
        GROUP BY 1 ORDER BY ${order} LIMIT ${sqlParams.add(db.maxRows, 'integer')}`,
      sqlParams.values,
    ),
  );
  return {
    window: windowToJson(window),
    hours: (window.to.getTime() - window.from.getTime()) / HOUR_MS,
    by,
    groups: rows.map(toGroup),
  };
}

const msOf = (us: number | null): number => (us ?? 0) / 1000;

function toGroup(row: Record<string, unknown>): VoiceLatencyGroup {
  const [p50, p95, p99] = toPercentileValues(row['v2v_p'], 3);
  const v2vSum = toNumber(row['v2v_sum']);
  return {
    key: toText(row['key']),
    turns: toNumber(row['turns']),
    voice_to_voice: { p50_ms: msOf(p50 ?? null), p95_ms: msOf(p95 ?? null), p99_ms: msOf(p99 ?? null), avg_ms: msOf(toNumber(row['v2v_avg'])) },
    stages: VOICE_STAGES.map((stage, i) => {
      const [s50, s95] = toPercentileValues(row[`s${i}_p`], 2);
      return {
        stage,
        p50_ms: msOf(s50 ?? null),
        p95_ms: msOf(s95 ?? null),
        avg_ms: msOf(toNumber(row[`s${i}_avg`])),
        share: ratio(toNumber(row[`s${i}_sum`]), v2vSum),
      };
    }),
  };
}
