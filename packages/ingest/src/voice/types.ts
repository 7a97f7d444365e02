// The voice breakdown's input and answer, and the measured stages' order. No logic.
import type { VoiceStage } from '@convotel/semconv';
import type { Micros } from '../normalize/units/time.js';

/** The stages a span, marker or framework figure can measure (the other two contributions are derived). */
export type MeasuredStage = 'endpointing' | 'transcription' | 'llm_ttft' | 'tools' | 'tts_ttfb';

/** Pipeline order of the measured stages (the order of VOICE_STAGES). */
export const MEASURED_STAGES: readonly MeasuredStage[] = ['endpointing', 'transcription', 'llm_ttft', 'tools', 'tts_ttfb'];

/** A stage measured by a span: absolute bounds in µs; `model`/`provider` on LLM intervals. */
export interface StageInterval {
  readonly stage: MeasuredStage;
  readonly startUs: Micros;
  readonly endUs: Micros;
  readonly model?: string;
  readonly provider?: string;
}

/** What is known of one voice turn. Every field is optional but `intervals` and `durations` (which may be empty). */
export interface VoiceTurnInput {
  /** End of the user's speech: voice-to-voice latency starts here (absolute µs). */
  readonly speechEndedAt?: Micros;
  /** The agent's first audio: voice-to-voice latency ends here (absolute µs). */
  readonly firstAudioAt?: Micros;
  /** Endpointing decided the turn is over: the endpointing interval is [start, committedAt]. */
  readonly committedAt?: Micros;
  /** The final transcript: the transcription interval is [start, transcriptFinalAt]. */
  readonly transcriptFinalAt?: Micros;
  /** Stage intervals measured by spans (absolute). */
  readonly intervals: readonly StageInterval[];
  /**
   * Durations a framework reports without times, µs (LiveKit `lk.end_of_turn_delay`,
   * `lk.transcription_delay`, `lk.response.ttft`, `lk.response.ttfb`; Pipecat `metrics.ttfb`).
   */
  readonly durations: Readonly<Partial<Record<MeasuredStage, bigint>>>;
  /**
   * A framework's own end-to-end figure, µs (`lk.e2e_latency`, `turn.user_bot_latency_seconds`,
   * `convotel.turn.perceived_latency_ms`). Used only when there is no usable timeline.
   */
  readonly reportedVoiceToVoiceUs?: bigint;
}

/** Where one turn's voice-to-voice latency went. */
export interface VoiceBreakdown {
  readonly voiceToVoiceUs: bigint;
  /** Every stage present, each ≥ 0, summing exactly to `voiceToVoiceUs`. */
  readonly contributions: Readonly<Record<VoiceStage, bigint>>;
  /** The largest contribution (ties: the earlier in VOICE_STAGES). */
  readonly dominantStage: VoiceStage;
  /** `markers`: both end-of-speech and first-audio markers; `spans`: a timeline partly from spans; `reported`: a framework's figures. */
  readonly source: 'markers' | 'spans' | 'reported';
  /** Model of the LLM that contributed most to `llm_ttft` on the critical path; undefined when none did. */
  readonly model: string | undefined;
  readonly provider: string | undefined;
}
