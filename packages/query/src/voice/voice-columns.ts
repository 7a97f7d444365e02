// The voice turn model as the read side sees it: which column of the `turns` view holds each
// stage's contribution and each marker (names from the store's table spec), and the unit
// change from the store's integer µs to the API's ms.
import { VOICE_STAGES, type VoiceStage } from '@convotel/semconv';
import { CONVERSATIONS, TURNS, type Column } from '@convotel/store';
import { QueryParameterError } from '../errors.js';

const T = TURNS.columns;
/** Columns of `turns` (the view over trace turns and turns inside traces). */
export const TURN = T;
/** Columns of `conversations`. */
export const CONVERSATION = CONVERSATIONS.columns;

/** The contribution column of each stage, µs. */
export const STAGE_COLUMNS: Readonly<Record<VoiceStage, Column>> = {
  endpointing: T.v2vEndpointingUs,
  transcription: T.v2vTranscriptionUs,
  llm_ttft: T.v2vLlmTtftUs,
  tools: T.v2vToolsUs,
  tts_ttfb: T.v2vTtsTtfbUs,
  pipeline_gaps: T.v2vPipelineGapsUs,
  unattributed: T.v2vUnattributedUs,
};

/** The four turn markers. */
export const MARKER_COLUMNS = [T.userSpeechStartedAt, T.userSpeechEndedAt, T.agentAudioStartedAt, T.agentAudioEndedAt] as const;

/** SQL condition on turn rows aliased `alias`: a voice turn has a marker or a voice-to-voice latency. */
export function isVoiceTurnSql(alias: string): string {
  return `(${[...MARKER_COLUMNS, T.voiceToVoiceUs].map((c) => `${alias}.${c} IS NOT NULL`).join(' OR ')})`;
}

/** µs (the store's unit) → ms (the API's), null kept. */
export function usToMs(us: number | null): number | null {
  return us === null ? null : us / 1000;
}

/** Checks a stage name; throws {@link QueryParameterError} naming `parameter`. */
export function toVoiceStage(parameter: string, value: string): VoiceStage {
  if (!(VOICE_STAGES as readonly string[]).includes(value)) {
    throw new QueryParameterError(parameter, `must be one of ${VOICE_STAGES.join(', ')}`);
  }
  return value as VoiceStage;
}

export { VOICE_STAGES, type VoiceStage };
