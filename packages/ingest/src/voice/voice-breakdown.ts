// Where a caller's waiting time goes: one voice turn's voice-to-voice latency split into
// contributions that sum to it exactly. Pure: no I/O, bigint µs throughout.
//
// Rules (docs/voice.md repeats them):
//
// Timeline mode, used whenever the turn has a usable window:
// - Start T0 = `speechEndedAt`; if absent, the earliest start of an endpointing or transcription
//   interval; if still absent there is no timeline.
// - End T1 = `firstAudioAt`; if absent, the end of the earliest-ending `tts_ttfb` run (TTS
//   intervals merged where they overlap or touch) that ends after T0; if absent there is no
//   timeline. When T1 <= T0 there is no timeline either.
// - `source` is `markers` when both `speechEndedAt` and `firstAudioAt` were given, else `spans`.
// - Intervals of zero or negative length are ignored. An endpointing or transcription stage that
//   no span measured gets the interval [T0, marker] from `committedAt` / `transcriptFinalAt`,
//   else [T0, T0 + duration] from `durations`; spans win over markers, markers over durations.
//   Durations of `llm_ttft`, `tools` and `tts_ttfb` cannot be placed on a timeline and are not used.
// - Every interval is clipped to [T0, T1], and the intervals of one stage are merged where they
//   overlap or touch (a stage measured in pieces was busy over their union: splitting or
//   repeating a span changes nothing).
// - [T0, T1] is cut at every boundary. An elementary segment covered by one or more stages goes
//   to the stage on the critical path: the covering one that ends latest (ties: the later stage
//   in pipeline order, then the earlier start). A stage that ran in parallel with another
//   therefore counts once. An uncovered segment is `pipeline_gaps` when it lies after the first
//   measured start and before the last measured end (both within [T0, T1]), else `unattributed`.
// - A `reportedVoiceToVoiceUs` given alongside a usable timeline is ignored: the timeline wins.
//
// Reported mode, when there is no usable timeline but a positive `reportedVoiceToVoiceUs` or
// positive durations:
// - Total R = `reportedVoiceToVoiceUs`, else the sum of the contributions below untrimmed.
// - In pipeline order: max(endpointing, transcription) once, under the larger (tie: endpointing);
//   then `llm_ttft`, `tools`, `tts_ttfb`; each taken only up to what remains of R.
//   `unattributed` = the rest, `pipeline_gaps` = 0, `source` = `reported`. With R alone,
//   everything is `unattributed`. Zero or negative figures count as not measured.
//
// Otherwise the turn has no breakdown (undefined).
//
// Both modes:
// - `dominantStage` is the largest contribution (tie: the earlier in VOICE_STAGES).
// - `model`/`provider` are those of the LLM (`llm_ttft` intervals grouped by model and provider,
//   each group merged like a stage) with the most `llm_ttft` time on the critical path (tie: the
//   one on the path first); undefined when no LLM interval contributed (always so when reported).
// - The contributions are checked to be ≥ 0 and to sum to `voiceToVoiceUs`; a mismatch throws,
//   as it can only be a bug here.
import { attributeCriticalPath } from './critical-path.js';
import { toBreakdown } from './contributions.js';
import { reportedContributions } from './reported-breakdown.js';
import { toTimelineWindow } from './timeline-window.js';
import type { VoiceBreakdown, VoiceTurnInput } from './types.js';

export type { MeasuredStage, StageInterval, VoiceBreakdown, VoiceTurnInput } from './types.js';

/** One turn's voice-to-voice latency and its contributions, or undefined when nothing measures it. */
export function voiceBreakdown(input: VoiceTurnInput): VoiceBreakdown | undefined {
  const window = toTimelineWindow(input);
  if (window !== undefined) {
    const { contributions, model, provider } = attributeCriticalPath(window);
    return toBreakdown({ voiceToVoiceUs: window.endUs - window.startUs, contributions, source: window.source, model, provider });
  }
  const reported = reportedContributions(input);
  if (reported === undefined) return undefined;
  return toBreakdown({ voiceToVoiceUs: reported.totalUs, contributions: reported.contributions, source: 'reported', model: undefined, provider: undefined });
}
