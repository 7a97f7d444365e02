// A voice turn on the waterfall's time axis: the voice-to-voice bar (end of the user's speech →
// the agent's first audio) cut into the API's contributions in their order, and the user's speech
// and the agent's audio as the markers bound them. Pure: no DOM.
import type { TurnVoiceAnswer } from '@convotel/api';
import { instantMs } from './instant.js';
import type { VoiceStage } from './voice-stages.js';

type TurnVoice = NonNullable<TurnVoiceAnswer>;

export interface VoiceSegment {
  readonly stage: VoiceStage;
  /** The API's contribution, µs (the page's figures come from it, unrounded). */
  readonly us: number;
  readonly ms: number;
  /** From the bar's start. */
  readonly offsetMs: number;
}

export interface VoiceBar {
  /** From the axis start; null when no marker places it (a latency measured from spans or reported): drawn from 0 then. */
  readonly offsetMs: number | null;
  readonly durationMs: number;
  readonly voiceToVoiceUs: number;
  readonly segments: readonly VoiceSegment[];
}

export interface MarkedInterval {
  readonly offsetMs: number;
  readonly durationMs: number;
}

export interface VoiceLane {
  readonly bar: VoiceBar | null;
  readonly userSpeech: MarkedInterval | null;
  readonly agentAudio: MarkedInterval | null;
}

const at = (iso: string | null): number | null => (iso === null ? null : instantMs(iso));

/** Every marker instant of the turn (epoch ms), for the axis to cover them. */
export function voiceInstants(voice: TurnVoice | null): number[] {
  if (voice === null) return [];
  const markers = voice.markers;
  return [markers.user_speech_started_at, markers.user_speech_ended_at, markers.agent_audio_started_at, markers.agent_audio_ended_at].flatMap((iso) => (iso === null ? [] : [instantMs(iso)]));
}

function interval(fromMs: number | null, toMs: number | null, axisStartMs: number): MarkedInterval | null {
  return fromMs === null || toMs === null || toMs < fromMs ? null : { offsetMs: fromMs - axisStartMs, durationMs: toMs - fromMs };
}

/** The voice lane of a turn whose axis starts at `axisStartMs` (epoch ms); null for a turn without voice facts. */
export function toVoiceLane(voice: TurnVoice | null, axisStartMs: number): VoiceLane | null {
  if (voice === null) return null;
  const speechEnded = at(voice.markers.user_speech_ended_at);
  const audioStarted = at(voice.markers.agent_audio_started_at);
  let bar: VoiceBar | null = null;
  if (voice.voice_to_voice_us !== null) {
    const durationMs = voice.voice_to_voice_us / 1000;
    // The bar starts at the end of speech; with only the first audio marked, it ends there.
    const startMs = speechEnded ?? (audioStarted === null ? null : audioStarted - durationMs);
    let sumUs = 0;
    const segments = voice.contributions.map((contribution) => {
      const segment = { stage: contribution.stage, us: contribution.us, ms: contribution.ms, offsetMs: sumUs / 1000 };
      sumUs += contribution.us;
      return segment;
    });
    bar = { offsetMs: startMs === null ? null : startMs - axisStartMs, durationMs, voiceToVoiceUs: voice.voice_to_voice_us, segments };
  }
  return {
    bar,
    userSpeech: interval(at(voice.markers.user_speech_started_at), speechEnded, axisStartMs),
    agentAudio: interval(audioStarted, at(voice.markers.agent_audio_ended_at), axisStartMs),
  };
}

/** Where the lane ends on the axis (ms from its start), 0 without one. */
export function voiceLaneEndMs(lane: VoiceLane | null): number {
  if (lane === null) return 0;
  const ends = [lane.userSpeech, lane.agentAudio].map((marked) => (marked === null ? 0 : marked.offsetMs + marked.durationMs));
  if (lane.bar !== null) ends.push((lane.bar.offsetMs ?? 0) + lane.bar.durationMs);
  return Math.max(0, ...ends);
}
