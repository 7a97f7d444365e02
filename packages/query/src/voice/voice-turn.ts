// A turn's voice breakdown and a conversation's telephony, as the conversation detail shows
// them; their columns are selected here only.
import { isoText } from '../sql.js';
import { toNumberOrNull, toText } from '../values.js';
import { CONVERSATION, MARKER_COLUMNS, STAGE_COLUMNS, TURN, usToMs, VOICE_STAGES, type VoiceStage } from './voice-columns.js';

export interface VoiceContribution {
  readonly stage: VoiceStage;
  readonly us: number;
  readonly ms: number;
}

export interface VoiceMarkers {
  readonly user_speech_started_at: string | null;
  readonly user_speech_ended_at: string | null;
  readonly agent_audio_started_at: string | null;
  readonly agent_audio_ended_at: string | null;
}

/** A turn's voice facts. */
export interface TurnVoice {
  /** End of the user's speech to the agent's first audio, µs; null when not measured. */
  readonly voice_to_voice_us: number | null;
  readonly voice_to_voice_ms: number | null;
  /** What measured it: markers, spans or reported. */
  readonly source: string | null;
  readonly dominant_stage: string | null;
  /** The LLM on the critical path and its provider. */
  readonly model: string | null;
  readonly provider: string | null;
  /** The stages the turn has a contribution for, in pipeline order; they sum to voice_to_voice_us exactly. */
  readonly contributions: VoiceContribution[];
  readonly markers: VoiceMarkers;
  /** user: the user barged in; agent: the agent talked over the user (user when both). */
  readonly interrupted_by: 'user' | 'agent' | null;
}

/** The conversation's telephony. */
export interface Telephony {
  readonly provider: string | null;
  readonly direction: string | null;
  /** Billed minutes. */
  readonly minutes: number | null;
  readonly cost_usd: number | null;
}

const markerAlias = (i: number): string => `voice_marker_${i}`;
const stageAlias = (i: number): string => `voice_stage_${i}`;

/** The voice columns of turns aliased `t`, for a select list. */
export const TURN_VOICE_COLUMNS = [
  ...MARKER_COLUMNS.map((column, i) => `${isoText(`t.${column}`)} AS ${markerAlias(i)}`),
  ...VOICE_STAGES.map((stage, i) => `t.${STAGE_COLUMNS[stage]} AS ${stageAlias(i)}`),
  `t.${TURN.voiceToVoiceUs} AS voice_to_voice_us`,
  `t.${TURN.v2vSource} AS voice_source`,
  `t.${TURN.v2vDominantStage} AS voice_dominant_stage`,
  `t.${TURN.v2vModel} AS voice_model`,
  `t.${TURN.v2vProvider} AS voice_provider`,
  `t.${TURN.agentInterrupted} AS agent_interrupted`,
].join(', ');

/** The voice facts of a turn row selected with {@link TURN_VOICE_COLUMNS}; null when it has none. */
export function toTurnVoice(row: Record<string, unknown>): TurnVoice | null {
  const [userSpeechStartedAt, userSpeechEndedAt, agentAudioStartedAt, agentAudioEndedAt] = MARKER_COLUMNS.map((_, i) => toText(row[markerAlias(i)]));
  const voiceToVoiceUs = toNumberOrNull(row['voice_to_voice_us']);
  const markers: VoiceMarkers = {
    user_speech_started_at: userSpeechStartedAt ?? null,
    user_speech_ended_at: userSpeechEndedAt ?? null,
    agent_audio_started_at: agentAudioStartedAt ?? null,
    agent_audio_ended_at: agentAudioEndedAt ?? null,
  };
  const byAgent = row['agent_interrupted'] === true;
  if (voiceToVoiceUs === null && !byAgent && Object.values(markers).every((m) => m === null)) return null;
  const contributions: VoiceContribution[] = [];
  VOICE_STAGES.forEach((stage, i) => {
    const us = toNumberOrNull(row[stageAlias(i)]);
    if (us !== null) contributions.push({ stage, us, ms: us / 1000 });
  });
  return {
    voice_to_voice_us: voiceToVoiceUs,
    voice_to_voice_ms: usToMs(voiceToVoiceUs),
    source: toText(row['voice_source']),
    dominant_stage: toText(row['voice_dominant_stage']),
    model: toText(row['voice_model']),
    provider: toText(row['voice_provider']),
    contributions,
    markers,
    interrupted_by: row['interrupted'] === true ? 'user' : byAgent ? 'agent' : null,
  };
}

/** The telephony columns of conversations aliased `c`, for a select list. */
export const TELEPHONY_COLUMNS = [
  `c.${CONVERSATION.telephonyProvider} AS telephony_provider`,
  `c.${CONVERSATION.telephonyDirection} AS telephony_direction`,
  `c.${CONVERSATION.telephonyMinutes} AS telephony_minutes`,
  `c.${CONVERSATION.telephonyCostUsd} AS telephony_cost_usd`,
  `c.${CONVERSATION.callCostUsd} AS call_cost_usd`,
].join(', ');

/** The telephony of a conversation row selected with {@link TELEPHONY_COLUMNS}; null without any. */
export function toTelephony(row: Record<string, unknown>): Telephony | null {
  const telephony = {
    provider: toText(row['telephony_provider']),
    direction: toText(row['telephony_direction']),
    minutes: toNumberOrNull(row['telephony_minutes']),
    cost_usd: toNumberOrNull(row['telephony_cost_usd']),
  };
  return Object.values(telephony).every((v) => v === null) ? null : telephony;
}
