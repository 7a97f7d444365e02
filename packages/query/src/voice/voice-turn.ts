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
  readonly userSpeechStartedAt: string | null;
  readonly userSpeechEndedAt: string | null;
  readonly agentAudioStartedAt: string | null;
  readonly agentAudioEndedAt: string | null;
}

/** A turn's voice facts. */
export interface TurnVoice {
  /** End of the user's speech to the agent's first audio, µs; null when not measured. */
  readonly voiceToVoiceUs: number | null;
  readonly voiceToVoiceMs: number | null;
  /** What measured it: markers, spans or reported. */
  readonly source: string | null;
  readonly dominantStage: string | null;
  /** The LLM on the critical path and its provider. */
  readonly model: string | null;
  readonly provider: string | null;
  /** The stages the turn has a contribution for, in pipeline order; they sum to voiceToVoiceUs exactly. */
  readonly contributions: VoiceContribution[];
  readonly markers: VoiceMarkers;
  /** user: the user barged in; agent: the agent talked over the user (user when both). */
  readonly interruptedBy: 'user' | 'agent' | null;
}

/** The conversation's telephony. */
export interface Telephony {
  readonly provider: string | null;
  readonly direction: string | null;
  /** Billed minutes. */
  readonly minutes: number | null;
  readonly costUsd: number | null;
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
  const markers = { userSpeechStartedAt: userSpeechStartedAt ?? null, userSpeechEndedAt: userSpeechEndedAt ?? null, agentAudioStartedAt: agentAudioStartedAt ?? null, agentAudioEndedAt: agentAudioEndedAt ?? null };
  const byAgent = row['agent_interrupted'] === true;
  if (voiceToVoiceUs === null && !byAgent && Object.values(markers).every((m) => m === null)) return null;
  const contributions: VoiceContribution[] = [];
  VOICE_STAGES.forEach((stage, i) => {
    const us = toNumberOrNull(row[stageAlias(i)]);
    if (us !== null) contributions.push({ stage, us, ms: us / 1000 });
  });
  return {
    voiceToVoiceUs,
    voiceToVoiceMs: usToMs(voiceToVoiceUs),
    source: toText(row['voice_source']),
    dominantStage: toText(row['voice_dominant_stage']),
    model: toText(row['voice_model']),
    provider: toText(row['voice_provider']),
    contributions,
    markers,
    interruptedBy: row['interrupted'] === true ? 'user' : byAgent ? 'agent' : null,
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
    costUsd: toNumberOrNull(row['telephony_cost_usd']),
  };
  return Object.values(telephony).every((v) => v === null) ? null : telephony;
}
