// The overview's voice figure: voice-to-voice latency of the window's turns, so a voice agent's
// overview can lead with it. Exact (percentile_cont over the turn rows) for any window.
import type { SqlClient } from '../db.js';
import { percentileContSql, toPercentileValues } from '../percentiles.js';
import { scopeConditions, type Scope } from '../scope.js';
import { SqlParams, whereClause } from '../sql.js';
import { toNumber } from '../values.js';
import { TURN } from './voice-columns.js';

export interface VoiceOverview {
  /** Turns with a voice-to-voice latency. */
  readonly turns: number;
  readonly voice_to_voice: { readonly p50_ms: number; readonly p95_ms: number; readonly p99_ms: number };
}

/** Voice-to-voice percentiles of the turns in scope; null when none has one. */
export async function readVoiceOverview(sql: SqlClient, scope: Scope): Promise<VoiceOverview | null> {
  const params = new SqlParams();
  const v2v = `t.${TURN.voiceToVoiceUs}`;
  const conditions = [`${v2v} IS NOT NULL`, ...scopeConditions('turns', 't', scope, params)];
  const { rows } = await sql.query(
    `SELECT count(*) AS turns, ${percentileContSql(params, [0.5, 0.95, 0.99], v2v)} AS v2v FROM turns t ${whereClause(conditions)}`,
    params.values,
  );
  const row = rows[0] ?? {};
  const turns = toNumber(row['turns']);
  if (turns === 0) return null;
  const [p50, p95, p99] = toPercentileValues(row['v2v'], 3).map((us) => (us ?? 0) / 1000);
  return { turns, voice_to_voice: { p50_ms: p50 ?? 0, p95_ms: p95 ?? 0, p99_ms: p99 ?? 0 } };
}
