// GET /voice/cost: whole-call cost (LLM, STT, TTS, telephony, other) of the calls started in
// the window, and its price per call minute. A call is a conversation with telephony or on the
// voice channel; its minutes are the billed telephony minutes, else its duration.
import type { ReadDb } from '../db.js';
import { SqlParams, whereClause } from '../sql.js';
import { toNumber } from '../values.js';
import { resolveWindow, windowToJson, type WindowJson, type WindowParams } from '../window.js';
import { CONVERSATION } from './voice-columns.js';
import { voiceConversationConditions, type VoiceFilters } from './voice-scope.js';

/** The channel of a voice conversation (ATTR_CONVOTEL_CHANNEL's value). */
export const VOICE_CHANNEL = 'voice';

export interface VoiceCostParams extends WindowParams {
  readonly filters?: Pick<VoiceFilters, 'agent'>;
}

export interface CallCostBreakdown {
  readonly llm: number;
  readonly stt: number;
  readonly tts: number;
  readonly telephony: number;
  readonly other: number;
  /** The sum of the others. */
  readonly total: number;
}

export interface VoiceCost {
  readonly window: WindowJson;
  readonly calls: number;
  readonly call_minutes: number;
  readonly cost_usd: CallCostBreakdown;
  /** total / call_minutes; null without minutes. */
  readonly cost_per_call_minute_usd: number | null;
}

/** Whole-call cost of the voice and telephony conversations started in the window. */
export async function getVoiceCost(db: ReadDb, params: VoiceCostParams, options: { now?: Date } = {}): Promise<VoiceCost> {
  const window = resolveWindow(params, options.now);
  const sqlParams = new SqlParams();
  const c = CONVERSATION;
  const conditions = [
    `(c.${c.telephonyProvider} IS NOT NULL OR c.${c.telephonyMinutes} IS NOT NULL OR c.${c.channel} = ${sqlParams.add(VOICE_CHANNEL, 'text')})`,
    ...voiceConversationConditions(window, params.filters ?? {}, sqlParams),
  ];
  const { rows } = await db.read((sql) =>
    sql.query(
      `SELECT count(*) AS calls,
              sum(coalesce(c.${c.telephonyMinutes}, c.${c.durationMs} / 60000.0, 0)) AS minutes,
              sum(c.${c.llmCostUsd}) AS llm, sum(c.${c.sttCostUsd}) AS stt, sum(c.${c.ttsCostUsd}) AS tts,
              sum(c.${c.otherCostUsd}) AS other, sum(coalesce(c.${c.telephonyCostUsd}, 0)) AS telephony
         FROM conversations c ${whereClause(conditions)}`,
      sqlParams.values,
    ),
  );
  const row = rows[0] ?? {};
  const parts = {
    llm: toNumber(row['llm']),
    stt: toNumber(row['stt']),
    tts: toNumber(row['tts']),
    telephony: toNumber(row['telephony']),
    other: toNumber(row['other']),
  };
  const total = parts.llm + parts.stt + parts.tts + parts.telephony + parts.other;
  const callMinutes = toNumber(row['minutes']);
  return {
    window: windowToJson(window),
    calls: toNumber(row['calls']),
    call_minutes: callMinutes,
    cost_usd: { ...parts, total },
    cost_per_call_minute_usd: callMinutes > 0 ? total / callMinutes : null,
  };
}
