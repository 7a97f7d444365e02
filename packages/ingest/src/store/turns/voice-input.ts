// A turn's stored spans → the input of the voice-to-voice breakdown (voice/): the markers and
// reported delays of its voice facts, and the stage each measured span stands for. Pure.
import { CONVOTEL_STEP_NAME_VALUE_STT, CONVOTEL_STEP_NAME_VALUE_TOOL, CONVOTEL_STEP_NAME_VALUE_TTS } from '@convotel/semconv';
import type { VoiceFacts } from '../../normalize/concepts/voice-facts.js';
import type { StageInterval, VoiceTurnInput } from '../../voice/voice-breakdown.js';
import { isCountedCall } from '../summary/sums.js';
import type { StoredCall, StoredStep } from './stored-spans.js';

/**
 * What a turn's spans measure: an STT step is transcription; a tool step or tool span is a
 * tool; a TTS step up to its first byte (its whole span without one) is TTS; each counted LLM
 * call up to its first token (whole, when it streamed none: a call that chose a tool).
 */
export function toVoiceTurnInput(
  voice: VoiceFacts | undefined,
  perceivedLatencyMs: number | undefined,
  calls: readonly StoredCall[],
  steps: readonly StoredStep[],
): VoiceTurnInput {
  const intervals: StageInterval[] = [];
  for (const step of steps) {
    if (step.kind === 'tool' || step.name === CONVOTEL_STEP_NAME_VALUE_TOOL) {
      intervals.push({ stage: 'tools', startUs: step.startedAt, endUs: step.endedAt });
    } else if (step.name === CONVOTEL_STEP_NAME_VALUE_STT) {
      intervals.push({ stage: 'transcription', startUs: step.startedAt, endUs: step.endedAt });
    } else if (step.name === CONVOTEL_STEP_NAME_VALUE_TTS) {
      intervals.push({ stage: 'tts_ttfb', startUs: step.startedAt, endUs: upTo(step.startedAt, step.endedAt, step.ttsTtfbMs) });
    }
  }
  for (const call of calls) {
    if (!isCountedCall(call)) continue;
    intervals.push({
      stage: 'llm_ttft',
      startUs: call.startedAt,
      endUs: upTo(call.startedAt, call.endedAt, call.ttftMs),
      model: call.model,
      provider: call.provider,
    });
  }
  const m = voice?.markers;
  return {
    speechEndedAt: m?.userSpeechEndedAt,
    firstAudioAt: m?.agentAudioStartedAt,
    committedAt: m?.committedAt,
    transcriptFinalAt: m?.transcriptFinalAt,
    intervals,
    durations: voice?.delaysUs ?? {},
    reportedVoiceToVoiceUs:
      perceivedLatencyMs !== undefined && Number.isFinite(perceivedLatencyMs) && perceivedLatencyMs >= 0 ? BigInt(Math.round(perceivedLatencyMs * 1000)) : undefined,
  };
}

/** The start plus `ms` (not past the end), or the end without it. */
function upTo(startUs: bigint, endUs: bigint, ms: number | undefined): bigint {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return endUs;
  const first = startUs + BigInt(Math.round(ms * 1000));
  return first < endUs ? first : endUs;
}
