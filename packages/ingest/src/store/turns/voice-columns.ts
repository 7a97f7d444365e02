// A turn's voice columns (VOICE_TURN_COLUMNS, on `traces` and `trace_turns`) as SQL values:
// its markers, who interrupted, and its voice-to-voice breakdown. Pure.
import { TRACE_TURNS, type Column, type SqlValue } from '@convotel/store';
import type { VoiceStage } from '@convotel/semconv';
import type { VoiceFacts } from '../../normalize/concepts/voice-facts.js';
import type { VoiceBreakdown } from '../../voice/voice-breakdown.js';
import { bool, int, text, timestamp } from '../columns/to-sql.js';

// The same columns on `traces` and `trace_turns` (the store's VOICE_TURN_COLUMNS).
const V = TRACE_TURNS.columns;

/** The column of each stage's contribution. */
const STAGE_COLUMNS: Readonly<Record<VoiceStage, Column>> = {
  endpointing: V.v2vEndpointingUs,
  transcription: V.v2vTranscriptionUs,
  llm_ttft: V.v2vLlmTtftUs,
  tools: V.v2vToolsUs,
  tts_ttfb: V.v2vTtsTtfbUs,
  pipeline_gaps: V.v2vPipelineGapsUs,
  unattributed: V.v2vUnattributedUs,
};

/** Column name → value, for every voice column. */
export function voiceColumnValues(voice: VoiceFacts | undefined, breakdown: VoiceBreakdown | undefined): [string, SqlValue][] {
  const m = voice?.markers;
  const values: [string, SqlValue][] = [
    [V.userSpeechStartedAt.name, timestamp(m?.userSpeechStartedAt)],
    [V.userSpeechEndedAt.name, timestamp(m?.userSpeechEndedAt)],
    [V.agentAudioStartedAt.name, timestamp(m?.agentAudioStartedAt)],
    [V.agentAudioEndedAt.name, timestamp(m?.agentAudioEndedAt)],
    [V.agentInterrupted.name, bool(voice === undefined ? undefined : voice.interruptedByAgent)],
    [V.voiceToVoiceUs.name, int(breakdown?.voiceToVoiceUs)],
  ];
  for (const [stage, column] of Object.entries(STAGE_COLUMNS) as [VoiceStage, Column][]) {
    values.push([column.name, int(breakdown?.contributions[stage])]);
  }
  values.push(
    [V.v2vDominantStage.name, text(breakdown?.dominantStage)],
    [V.v2vSource.name, text(breakdown?.source)],
    [V.v2vModel.name, text(breakdown?.model)],
    [V.v2vProvider.name, text(breakdown?.provider)],
  );
  return values;
}
