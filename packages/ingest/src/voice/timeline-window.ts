// The voice-to-voice window [T0, T1] of a turn and the stage intervals placed on it, from
// markers, spans and the endpointing/transcription durations that can be anchored at T0. Pure.
import type { Micros } from '../normalize/units/time.js';
import { unionOf } from './runs.js';
import type { MeasuredStage, StageInterval, VoiceTurnInput } from './types.js';

/** A usable timeline: T1 > T0, and every stage interval known for the turn (not yet clipped). */
export interface TimelineWindow {
  readonly startUs: Micros;
  readonly endUs: Micros;
  readonly source: 'markers' | 'spans';
  readonly intervals: readonly StageInterval[];
}

/** The turn's timeline, or undefined when it has no usable start or end (then only reported figures can help). */
export function toTimelineWindow(input: VoiceTurnInput): TimelineWindow | undefined {
  const measured = input.intervals.filter((interval) => interval.endUs > interval.startUs);
  const startUs = input.speechEndedAt ?? earliestStart(measured.filter((i) => i.stage === 'endpointing' || i.stage === 'transcription'));
  if (startUs === undefined) return undefined;
  const intervals = [
    ...measured,
    ...anchoredAt(startUs, 'endpointing', input.committedAt, input.durations.endpointing, measured),
    ...anchoredAt(startUs, 'transcription', input.transcriptFinalAt, input.durations.transcription, measured),
  ];
  const endUs = input.firstAudioAt ?? firstTtsEndAfter(startUs, measured);
  if (endUs === undefined || endUs <= startUs) return undefined;
  const source = input.speechEndedAt !== undefined && input.firstAudioAt !== undefined ? 'markers' : 'spans';
  return { startUs, endUs, source, intervals };
}

function earliestStart(intervals: readonly StageInterval[]): Micros | undefined {
  let earliest: Micros | undefined;
  for (const { startUs } of intervals) if (earliest === undefined || startUs < earliest) earliest = startUs;
  return earliest;
}

// A stage no span measured still gets an interval from its marker, else from its duration,
// both counted from T0 (they are defined as "after the end of speech").
function anchoredAt(
  startUs: Micros,
  stage: MeasuredStage,
  markerUs: Micros | undefined,
  durationUs: bigint | undefined,
  measured: readonly StageInterval[],
): StageInterval[] {
  if (measured.some((interval) => interval.stage === stage)) return [];
  const endUs = markerUs ?? (durationUs !== undefined ? startUs + durationUs : undefined);
  return endUs !== undefined && endUs > startUs ? [{ stage, startUs, endUs }] : [];
}

// First audio ≈ the first TTS byte: the end of the earliest-ending TTS run that ends after T0.
// Runs (unions), not raw spans, so a TTS span split in two or repeated does not move T1.
function firstTtsEndAfter(startUs: Micros, measured: readonly StageInterval[]): Micros | undefined {
  const runs = unionOf(measured.filter((interval) => interval.stage === 'tts_ttfb'));
  return runs.find((run) => run.endUs > startUs)?.endUs;
}
