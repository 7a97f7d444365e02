// Facts of planned voice calls, computed from the plan alone: each turn's markers, its
// voice-to-voice latency and contributions, silences, and each call's minutes and cost.
import type { VoiceStage } from '@convotel/semconv';
import { sttCostOf, ttsCostOf, type PlannedVoiceCall, type PlannedVoiceTurn } from './voice-traffic.js';

export interface VoiceTurnFact {
  readonly call: PlannedVoiceCall;
  readonly turn: PlannedVoiceTurn;
  readonly index: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly isVoice: boolean;
  readonly userSpeechStartedMs: number | null;
  readonly userSpeechEndedMs: number | null;
  readonly agentAudioStartedMs: number | null;
  readonly agentAudioEndedMs: number | null;
  /** µs; null when the agent never spoke. */
  readonly voiceToVoiceUs: number | null;
  /**
   * Markers only (no stage span inside the window): endpointing and transcription both run from
   * the end of speech, the one that ends later is on the critical path, and the rest up to the
   * first audio is measured by nothing (unattributed).
   */
  readonly contributions: Partial<Record<VoiceStage, number>>;
  readonly dominantStage: VoiceStage | null;
  /** Silence from the previous turn's audio end to this turn's speech, ms; null without both markers. */
  readonly silenceBeforeMs: number | null;
}

export interface VoiceCallFact {
  readonly call: PlannedVoiceCall;
  readonly durationMs: number;
  readonly turns: readonly VoiceTurnFact[];
  readonly llmCostUsd: number;
  readonly sttCostUsd: number;
  readonly ttsCostUsd: number;
  /** Billed telephony minutes when the call has telephony, else its duration in minutes. */
  readonly callMinutes: number;
}

export function voiceCallFacts(call: PlannedVoiceCall): VoiceCallFact {
  let atMs = call.startMs;
  const turns: VoiceTurnFact[] = [];
  call.turns.forEach((turn, index) => {
    atMs += turn.gapBeforeMs;
    const startMs = atMs;
    const voice = turn.voice;
    let endMs: number;
    let fact: Omit<VoiceTurnFact, 'endMs' | 'silenceBeforeMs'>;
    if (voice === undefined) {
      endMs = startMs + turn.llmMs;
      fact = { call, turn, index, startMs, isVoice: false, userSpeechStartedMs: null, userSpeechEndedMs: null, agentAudioStartedMs: null, agentAudioEndedMs: null, voiceToVoiceUs: null, contributions: {}, dominantStage: null };
    } else {
      const endedMs = startMs + voice.userSpeechMs;
      const front = Math.max(voice.endpointingMs, voice.transcriptionMs, voice.voiceToVoiceMs ?? 0);
      const workEndMs = endedMs + front + turn.llmMs + (voice.voiceToVoiceMs === undefined ? 0 : 10);
      const v2v = voice.voiceToVoiceMs;
      const audioEndMs = v2v === undefined ? null : Math.max(workEndMs, workEndMs + voice.agentAudioMs - turn.llmMs - 20);
      endMs = audioEndMs ?? workEndMs;
      const frontStage: VoiceStage = voice.endpointingMs > voice.transcriptionMs ? 'endpointing' : 'transcription';
      const frontMs = Math.max(voice.endpointingMs, voice.transcriptionMs);
      const contributions: Partial<Record<VoiceStage, number>> = v2v === undefined ? {} : { [frontStage]: frontMs * 1000, unattributed: (v2v - frontMs) * 1000 };
      fact = {
        call,
        turn,
        index,
        startMs,
        isVoice: true,
        userSpeechStartedMs: startMs,
        userSpeechEndedMs: endedMs,
        agentAudioStartedMs: v2v === undefined ? null : endedMs + v2v,
        agentAudioEndedMs: audioEndMs,
        voiceToVoiceUs: v2v === undefined ? null : v2v * 1000,
        contributions,
        dominantStage: v2v === undefined ? null : v2v - frontMs > frontMs ? 'unattributed' : frontStage,
      };
    }
    const previous = turns.at(-1);
    const silenceBeforeMs = previous?.agentAudioEndedMs != null && fact.userSpeechStartedMs !== null ? fact.userSpeechStartedMs - previous.agentAudioEndedMs : null;
    turns.push({ ...fact, endMs, silenceBeforeMs });
    atMs = endMs;
  });
  const endMs = atMs + call.tailMs;
  const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
  const durationMs = endMs - call.startMs;
  return {
    call,
    durationMs,
    turns,
    llmCostUsd: sum(call.turns.map((t) => t.llmCostUsd)),
    sttCostUsd: sum(call.turns.filter((t) => t.voice !== undefined).map((t) => sttCostOf(t.sttAudioSeconds))),
    ttsCostUsd: sum(call.turns.filter((t) => t.voice?.voiceToVoiceMs !== undefined).map((t) => ttsCostOf(t.ttsCharacters))),
    callMinutes: call.telephonyMinutes ?? durationMs / 60_000,
  };
}

/** percentile_cont: linear interpolation between the closest ranks. */
export function percentileCont(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}
