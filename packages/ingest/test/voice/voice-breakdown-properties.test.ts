import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VOICE_STAGES } from '@convotel/semconv';
import { voiceBreakdown, type MeasuredStage, type StageInterval, type VoiceTurnInput } from '../../src/voice/voice-breakdown.js';

// Times within a few ms of one another, so boundaries coincide and ties happen often. Markers
// mostly fall early (end of speech) and late (first audio), sometimes anywhere (T1 <= T0 too).
const T = 1_772_359_200_000_000n;
const SPREAD_US = 2_000n;
const STAGES: readonly MeasuredStage[] = ['endpointing', 'transcription', 'llm_ttft', 'tools', 'tts_ttfb'];
const anytime = fc.bigInt({ min: T - 200n, max: T + SPREAD_US });
const early = fc.oneof({ arbitrary: fc.bigInt({ min: T - 200n, max: T + 300n }), weight: 4 }, { arbitrary: anytime, weight: 1 });
const late = fc.oneof({ arbitrary: fc.bigInt({ min: T + 800n, max: T + SPREAD_US }), weight: 4 }, { arbitrary: anytime, weight: 1 });
const optional = <V>(arb: fc.Arbitrary<V>) => fc.option(arb, { nil: undefined });

// Reversed and empty intervals included: they must be ignored, not break anything.
const interval: fc.Arbitrary<StageInterval> = fc
  .record({
    stage: fc.constantFrom(...STAGES),
    startUs: anytime,
    lengthUs: fc.bigInt({ min: -50n, max: 700n }),
    model: optional(fc.constantFrom('m1', 'm2')),
    provider: optional(fc.constantFrom('p1', 'p2')),
  })
  .map(({ lengthUs, ...fields }) => withoutUndefined({ ...fields, endUs: fields.startUs + lengthUs }));

const duration = optional(fc.bigInt({ min: -100n, max: 1_000n }));

const turn: fc.Arbitrary<VoiceTurnInput> = fc
  .record({
    speechEndedAt: optional(early),
    firstAudioAt: optional(late),
    committedAt: optional(anytime),
    transcriptFinalAt: optional(anytime),
    intervals: fc.array(interval, { maxLength: 10 }),
    durations: fc.record({ endpointing: duration, transcription: duration, llm_ttft: duration, tools: duration, tts_ttfb: duration }),
    reportedVoiceToVoiceUs: optional(fc.bigInt({ min: -100n, max: 3n * SPREAD_US })),
  })
  .map((fields) => withoutUndefined({ ...fields, durations: withoutUndefined(fields.durations) }));

function withoutUndefined<O extends object>(fields: O): O {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as O;
}

const isMeasured = (i: StageInterval): boolean => i.endUs > i.startUs;
const RUNS = { numRuns: 3000 };

describe('voiceBreakdown properties', () => {
  it('returns contributions that are never negative and sum exactly to voice-to-voice latency', () => {
    fc.assert(
      fc.property(turn, (input) => {
        const breakdown = voiceBreakdown(input);
        if (breakdown === undefined) return;
        expect(Object.keys(breakdown.contributions).sort()).toEqual([...VOICE_STAGES].sort());
        expect(VOICE_STAGES.every((stage) => breakdown.contributions[stage] >= 0n)).toBe(true);
        expect(VOICE_STAGES.reduce((sum, stage) => sum + breakdown.contributions[stage], 0n)).toBe(breakdown.voiceToVoiceUs);
        expect(breakdown.voiceToVoiceUs > 0n).toBe(true);
        expect(VOICE_STAGES.every((stage) => breakdown.contributions[stage] <= breakdown.contributions[breakdown.dominantStage])).toBe(true);
      }),
      RUNS,
    );
  });

  it('does not depend on the order of the intervals', () => {
    const shuffled = turn.chain((input) =>
      fc.shuffledSubarray([...input.intervals], { minLength: input.intervals.length, maxLength: input.intervals.length }).map((intervals) => [input, { ...input, intervals }] as const),
    );
    fc.assert(
      fc.property(shuffled, ([input, reordered]) => {
        expect(voiceBreakdown(reordered)).toEqual(voiceBreakdown(input));
      }),
      RUNS,
    );
  });

  it('gives the same breakdown when an interval is split into two adjacent intervals of its stage', () => {
    const split = turn
      .filter((input) => input.intervals.some((i) => i.endUs - i.startUs >= 2n))
      .chain((input) => {
        const splittable = input.intervals.flatMap((i, index) => (i.endUs - i.startUs >= 2n ? [index] : []));
        return fc.constantFrom(...splittable).chain((index) => {
          const whole = input.intervals[index];
          return fc.bigInt({ min: whole.startUs + 1n, max: whole.endUs - 1n }).map((cutUs) => {
            const halves = [
              { ...whole, endUs: cutUs },
              { ...whole, startUs: cutUs },
            ];
            return [input, { ...input, intervals: input.intervals.flatMap((i, at) => (at === index ? halves : [i])) }] as const;
          });
        });
      });
    fc.assert(
      fc.property(split, ([input, splitInput]) => {
        expect(voiceBreakdown(splitInput)).toEqual(voiceBreakdown(input));
      }),
      RUNS,
    );
  });

  // An interval inside another that ends later is never on the critical path. It can only move
  // the window when it anchors one: an endpointing or transcription span can start it without a
  // speech-end marker, a TTS span can end it without a first-audio marker. So the inner interval
  // is of the outer one's stage, or a stage that anchors nothing, or the turn has both markers.
  const withInner = turn
    .filter((input) => input.intervals.some((i) => i.endUs - i.startUs >= 2n))
    .chain((input) => {
      const outers = input.intervals.filter((i) => i.endUs - i.startUs >= 2n);
      return fc.record({ outer: fc.constantFrom(...outers), stage: fc.constantFrom(...STAGES), model: optional(fc.constantFrom('m1', 'm3')) }).chain(({ outer, stage, model }) =>
        fc
          .bigInt({ min: outer.startUs, max: outer.endUs - 2n })
          .chain((startUs) => fc.bigInt({ min: startUs + 1n, max: outer.endUs - 1n }).map((endUs) => ({ startUs, endUs })))
          .map(({ startUs, endUs }) => ({ input, outer, inner: { stage, startUs, endUs, ...(model === undefined ? {} : { model }) } satisfies StageInterval })),
      );
    });
  const added = (input: VoiceTurnInput, inner: StageInterval): VoiceTurnInput => ({ ...input, intervals: [...input.intervals, inner] });

  it('keeps the total when an interval is added inside another one that ends later', () => {
    fc.assert(
      fc.property(withInner, ({ input, outer, inner }) => {
        const hasBothMarkers = input.speechEndedAt !== undefined && input.firstAudioAt !== undefined;
        fc.pre(hasBothMarkers || inner.stage === outer.stage || inner.stage === 'llm_ttft' || inner.stage === 'tools');
        expect(voiceBreakdown(added(input, inner))?.voiceToVoiceUs).toBe(voiceBreakdown(input)?.voiceToVoiceUs);
      }),
      RUNS,
    );
  });

  it('keeps the whole breakdown when an interval of the same stage and model is added inside another', () => {
    fc.assert(
      fc.property(withInner, ({ input, outer, inner }) => {
        const same = withoutUndefined({ stage: outer.stage, startUs: inner.startUs, endUs: inner.endUs, model: outer.model, provider: outer.provider });
        expect(voiceBreakdown(added(input, same))).toEqual(voiceBreakdown(input));
      }),
      RUNS,
    );
  });

  it('attributes at most the measured time to a stage on a marker timeline', () => {
    // With both markers, a stage's contribution never exceeds the union of its clipped intervals.
    fc.assert(
      fc.property(turn, (input) => {
        const breakdown = voiceBreakdown(input);
        if (breakdown?.source !== 'markers') return;
        for (const stage of ['llm_ttft', 'tools', 'tts_ttfb'] as const) {
          const covered = coveredUs(input.intervals.filter((i) => i.stage === stage && isMeasured(i)), input.speechEndedAt ?? 0n, input.firstAudioAt ?? 0n);
          expect(breakdown.contributions[stage] <= covered).toBe(true);
        }
      }),
      RUNS,
    );
  });
});

// µs of [from, to] covered by any of the intervals, counted one µs at a time (small spreads only).
function coveredUs(intervals: readonly StageInterval[], from: bigint, to: bigint): bigint {
  let covered = 0n;
  for (let us = from; us < to; us++) if (intervals.some((i) => i.startUs <= us && us < i.endUs)) covered++;
  return covered;
}
