// How the voice-to-voice stages read on the page: one label per stage of the API's VOICE_STAGES,
// and a colour class (voice.css) of the same name. pipeline_gaps and unattributed are named like
// the others: the wait they stand for is shown, never hidden.
import type { TurnVoiceAnswer } from '@convotel/api';
import './voice.css';

export type VoiceStage = NonNullable<TurnVoiceAnswer>['contributions'][number]['stage'];

const STAGE_LABELS: Readonly<Record<VoiceStage, string>> = {
  endpointing: 'endpointing',
  transcription: 'transcription',
  llm_ttft: 'LLM first token',
  tools: 'tools',
  tts_ttfb: 'TTS first byte',
  pipeline_gaps: 'pipeline gaps',
  unattributed: 'unattributed',
};

/** The stage's name on the page; a stage the app does not know yet reads as the API spells it. */
export function stageLabel(stage: string): string {
  return (STAGE_LABELS as Readonly<Record<string, string>>)[stage] ?? stage;
}

/** CSS class of the stage's colour. */
export const stageClass = (stage: string): string => `stage-${stage.replace(/[^a-z0-9_-]/gi, '')}`;

/** Who interrupted, as the card says it. */
export function interruptionLabel(by: 'user' | 'agent' | null, isInterrupted: boolean): string | null {
  if (by === 'user') return 'user barged in';
  if (by === 'agent') return 'agent talked over the user';
  return isInterrupted ? 'interrupted' : null;
}
