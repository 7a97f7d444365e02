// GET /voice/interruptions: who interrupted whom, and dead air: silences longer than a threshold
// where neither side speaks, counted only where the markers say so: inside a turn from the end
// of the user's speech to the agent's first audio, and between consecutive turns of a
// conversation (by start) from the end of the agent's audio to the user's next speech.
import type { ReadDb } from '../db.js';
import { SqlParams, whereClause } from '../sql.js';
import { ratio, toNumber, toNumberOrNull } from '../values.js';
import { resolveWindow, windowToJson, type WindowJson, type WindowParams } from '../window.js';
import { isVoiceTurnSql, TURN } from './voice-columns.js';
import { TURNS_WITH_CONVERSATION, voiceTurnConditions, type VoiceFilters } from './voice-scope.js';

/** Default dead-air threshold, ms. */
export const DEFAULT_DEAD_AIR_MS = 2000;
/** Longest dead-air threshold, ms (an hour). */
export const MAX_DEAD_AIR_MS = 3_600_000;

export interface VoiceInterruptionsParams extends WindowParams {
  readonly filters?: Pick<VoiceFilters, 'agent'>;
  /** Silences longer than this (ms) are dead air. Default 2000. */
  readonly deadAirMs?: number | undefined;
}

export interface DeadAir {
  readonly threshold_ms: number;
  /** Silences longer than the threshold. */
  readonly silences: number;
  /** Turns with at least one (a silence between turns belongs to the turn it ends in). */
  readonly turns_with_dead_air: number;
  /** turns_with_dead_air / voice_turns (0 without voice turns). */
  readonly rate: number;
  /** The longest of those silences, ms; null without any. */
  readonly longest_ms: number | null;
}

export interface VoiceInterruptions {
  readonly window: WindowJson;
  /** Turns started in the window. */
  readonly turns: number;
  /** Of those, turns with a marker or a voice-to-voice latency. */
  readonly voice_turns: number;
  /** Turns the user barged in on. */
  readonly interrupted_by_user: number;
  /** Turns where the agent talked over the user. */
  readonly interrupted_by_agent: number;
  /** interrupted_by_user / turns (0 without turns). */
  readonly user_interruption_rate: number;
  /** interrupted_by_agent / turns. */
  readonly agent_interruption_rate: number;
  readonly dead_air: DeadAir;
}

/** Interruptions and dead air of the turns started in the window. */
export async function getVoiceInterruptions(db: ReadDb, params: VoiceInterruptionsParams, options: { now?: Date } = {}): Promise<VoiceInterruptions> {
  const window = resolveWindow(params, options.now);
  const thresholdMs = params.deadAirMs ?? DEFAULT_DEAD_AIR_MS;
  const sqlParams = new SqlParams();
  const conditions = voiceTurnConditions(window, params.filters ?? {}, sqlParams);
  const threshold = sqlParams.add(thresholdMs, 'double precision');
  const ms = (from: string, to: string): string => `extract(epoch FROM (${to} - ${from})) * 1000`;
  // A turn is its trace, or a turn span inside it: (trace_id, turn_span_id) names it.
  const sameTurn = `p.${TURN.traceId} = w.${TURN.traceId} AND p.${TURN.turnSpanId} IS NOT DISTINCT FROM w.${TURN.turnSpanId}`;
  const { rows } = await db.read((sql) =>
    sql.query(
      `WITH w AS (
         SELECT t.* FROM ${TURNS_WITH_CONVERSATION} ${whereClause(conditions)}
       ), previous AS (
         -- The agent's audio end of the turn before, over all the conversation's turns (the one before may be outside the window).
         SELECT t.${TURN.traceId}, t.${TURN.turnSpanId},
                lag(t.${TURN.agentAudioEndedAt}) OVER (PARTITION BY t.${TURN.conversationId} ORDER BY t.${TURN.startedAt}, t.${TURN.traceId}, t.${TURN.turnSpanId}) AS previous_audio_ended_at
           FROM turns t WHERE t.${TURN.conversationId} IN (SELECT ${TURN.conversationId} FROM w)
       ), gaps AS (
         SELECT w.*, ${ms(`w.${TURN.userSpeechEndedAt}`, `w.${TURN.agentAudioStartedAt}`)} AS within_ms,
                ${ms('p.previous_audio_ended_at', `w.${TURN.userSpeechStartedAt}`)} AS between_ms
           FROM w JOIN previous p ON ${sameTurn}
       )
       SELECT count(*) AS turns,
              count(*) FILTER (WHERE ${isVoiceTurnSql('gaps')}) AS voice_turns,
              count(*) FILTER (WHERE gaps.${TURN.interrupted}) AS by_user,
              count(*) FILTER (WHERE gaps.${TURN.agentInterrupted}) AS by_agent,
              count(*) FILTER (WHERE within_ms > ${threshold}) + count(*) FILTER (WHERE between_ms > ${threshold}) AS silences,
              count(*) FILTER (WHERE within_ms > ${threshold} OR between_ms > ${threshold}) AS turns_with_dead_air,
              greatest(max(within_ms) FILTER (WHERE within_ms > ${threshold}), max(between_ms) FILTER (WHERE between_ms > ${threshold})) AS longest_ms
         FROM gaps`,
      sqlParams.values,
    ),
  );
  const row = rows[0] ?? {};
  const turns = toNumber(row['turns']);
  const voiceTurns = toNumber(row['voice_turns']);
  const byUser = toNumber(row['by_user']);
  const byAgent = toNumber(row['by_agent']);
  const turnsWithDeadAir = toNumber(row['turns_with_dead_air']);
  return {
    window: windowToJson(window),
    turns,
    voice_turns: voiceTurns,
    interrupted_by_user: byUser,
    interrupted_by_agent: byAgent,
    user_interruption_rate: ratio(byUser, turns),
    agent_interruption_rate: ratio(byAgent, turns),
    dead_air: {
      threshold_ms: thresholdMs,
      silences: toNumber(row['silences']),
      turns_with_dead_air: turnsWithDeadAir,
      rate: ratio(turnsWithDeadAir, voiceTurns),
      longest_ms: toNumberOrNull(row['longest_ms']),
    },
  };
}
