import { describe, expect, it } from 'vitest';
import { voiceBreakdown, type StageInterval, type VoiceTurnInput } from '../../src/voice/voice-breakdown.js';

// A turn's end of speech, and times as offsets from it in ms (as µs).
const T = 1_772_359_200_000_000n;
const ms = (n: number): bigint => BigInt(n) * 1000n;
const at = (n: number): bigint => T + ms(n);
const span = (stage: StageInterval['stage'], fromMs: number, toMs: number, extra: Partial<StageInterval> = {}): StageInterval => ({
  stage,
  startUs: at(fromMs),
  endUs: at(toMs),
  ...extra,
});
const turn = (fields: Partial<VoiceTurnInput>): VoiceTurnInput => ({ intervals: [], durations: {}, ...fields });
const stages = (c: Partial<Record<string, number>>) => ({
  endpointing: ms(c.endpointing ?? 0),
  transcription: ms(c.transcription ?? 0),
  llm_ttft: ms(c.llm_ttft ?? 0),
  tools: ms(c.tools ?? 0),
  tts_ttfb: ms(c.tts_ttfb ?? 0),
  pipeline_gaps: ms(c.pipeline_gaps ?? 0),
  unattributed: ms(c.unattributed ?? 0),
});

describe('voiceBreakdown on a timeline', () => {
  it('splits a full marker timeline along the critical path, counting parallel endpointing and transcription once', () => {
    const breakdown = voiceBreakdown(
      turn({
        speechEndedAt: at(0),
        committedAt: at(300), // endpointing 300 ms
        transcriptFinalAt: at(250), // transcription 250 ms, in parallel
        intervals: [
          span('llm_ttft', 350, 750, { model: 'gpt-4o-mini', provider: 'openai' }), // after a 50 ms gap
          span('tools', 750, 950),
          span('tts_ttfb', 950, 1100),
        ],
        firstAudioAt: at(1180), // 80 ms of playout after the first TTS byte
      }),
    );
    expect(breakdown).toEqual({
      voiceToVoiceUs: ms(1180),
      contributions: stages({ endpointing: 300, transcription: 0, pipeline_gaps: 50, llm_ttft: 400, tools: 200, tts_ttfb: 150, unattributed: 80 }),
      dominantStage: 'llm_ttft',
      source: 'markers',
      model: 'gpt-4o-mini',
      provider: 'openai',
    });
  });

  it('names the time before the first measured stage unattributed and ends at the first TTS byte without a first-audio marker', () => {
    const breakdown = voiceBreakdown(
      turn({ speechEndedAt: at(0), intervals: [span('llm_ttft', 500, 900, { model: 'claude-haiku-4-5', provider: 'anthropic' }), span('tts_ttfb', 950, 1100)] }),
    );
    expect(breakdown).toEqual({
      voiceToVoiceUs: ms(1100),
      contributions: stages({ unattributed: 500, llm_ttft: 400, pipeline_gaps: 50, tts_ttfb: 150 }),
      dominantStage: 'unattributed',
      source: 'spans',
      model: 'claude-haiku-4-5',
      provider: 'anthropic',
    });
  });

  it('gives overlapping stages to the one that ends later', () => {
    // A tool started while the LLM was still streaming its first token; TTS overlapped the tool.
    const breakdown = voiceBreakdown(
      turn({ speechEndedAt: at(0), firstAudioAt: at(1000), intervals: [span('llm_ttft', 0, 600), span('tools', 400, 800), span('tts_ttfb', 700, 1000)] }),
    );
    expect(breakdown?.contributions).toEqual(stages({ llm_ttft: 400, tools: 300, tts_ttfb: 300 }));
  });

  it('gives a tie on the end to the later stage in pipeline order', () => {
    const breakdown = voiceBreakdown(turn({ speechEndedAt: at(0), firstAudioAt: at(500), intervals: [span('transcription', 0, 200), span('endpointing', 0, 200), span('llm_ttft', 200, 500)] }));
    expect(breakdown?.contributions).toEqual(stages({ transcription: 200, llm_ttft: 300 }));
  });

  it('names the LLM with the most time on the critical path', () => {
    const breakdown = voiceBreakdown(
      turn({
        speechEndedAt: at(0),
        firstAudioAt: at(1000),
        intervals: [
          span('llm_ttft', 0, 300, { model: 'small', provider: 'p1' }),
          // A fallback started early and answered last: its whole span is on the path but for the overlap.
          span('llm_ttft', 100, 900, { model: 'large', provider: 'p2' }),
        ],
      }),
    );
    expect(breakdown).toMatchObject({ model: 'large', provider: 'p2', contributions: stages({ llm_ttft: 900, unattributed: 100 }) });
  });

  it('names the same LLM whatever order tied spans arrive in', () => {
    // Identical bounds: the smaller model name wins. Equal time on the path: the LLM on it first wins.
    const identical = [span('llm_ttft', 0, 500, { model: 'm2', provider: 'p' }), span('llm_ttft', 0, 500, { model: 'm1', provider: 'p' })];
    const successive = [span('llm_ttft', 300, 600, { model: 'm2' }), span('llm_ttft', 0, 300, { model: 'm3' })];
    for (const [intervals, model] of [
      [identical, 'm1'],
      [successive, 'm3'],
    ] as const) {
      expect(voiceBreakdown(turn({ speechEndedAt: at(0), firstAudioAt: at(600), intervals: [...intervals] }))?.model).toBe(model);
      expect(voiceBreakdown(turn({ speechEndedAt: at(0), firstAudioAt: at(600), intervals: [...intervals].reverse() }))?.model).toBe(model);
    }
  });

  it('anchors endpointing and transcription durations at the end of speech when nothing else measured them', () => {
    const breakdown = voiceBreakdown(
      turn({
        speechEndedAt: at(0),
        firstAudioAt: at(1000),
        durations: { endpointing: ms(200), transcription: ms(350), llm_ttft: ms(999) }, // an LLM duration has no place on a timeline
        intervals: [span('llm_ttft', 400, 800)],
      }),
    );
    expect(breakdown?.contributions).toEqual(stages({ transcription: 350, pipeline_gaps: 50, llm_ttft: 400, unattributed: 200 }));
  });

  it('prefers an endpointing span to the marker and the marker to the duration', () => {
    const withSpan = voiceBreakdown(
      turn({ speechEndedAt: at(0), firstAudioAt: at(1000), committedAt: at(500), durations: { endpointing: ms(700) }, intervals: [span('endpointing', 0, 100)] }),
    );
    expect(withSpan?.contributions).toEqual(stages({ endpointing: 100, unattributed: 900 }));
    const withMarker = voiceBreakdown(turn({ speechEndedAt: at(0), firstAudioAt: at(1000), committedAt: at(500), durations: { endpointing: ms(700) } }));
    expect(withMarker?.contributions).toEqual(stages({ endpointing: 500, unattributed: 500 }));
  });

  it('starts at the earliest endpointing or transcription span when the end of speech is not marked', () => {
    const breakdown = voiceBreakdown(turn({ intervals: [span('transcription', 100, 400), span('llm_ttft', 450, 850), span('tts_ttfb', 850, 1000)], committedAt: at(300) }));
    expect(breakdown).toMatchObject({ voiceToVoiceUs: ms(900), source: 'spans', contributions: stages({ transcription: 300, pipeline_gaps: 50, llm_ttft: 400, tts_ttfb: 150 }) });
  });

  it('ignores a reported end-to-end figure when the timeline is usable', () => {
    const breakdown = voiceBreakdown(turn({ speechEndedAt: at(0), firstAudioAt: at(800), reportedVoiceToVoiceUs: ms(5000), durations: { tts_ttfb: ms(100) } }));
    expect(breakdown).toMatchObject({ voiceToVoiceUs: ms(800), source: 'markers', contributions: stages({ unattributed: 800 }) });
  });

  it('clips stages to the window and ignores empty and reversed spans', () => {
    const breakdown = voiceBreakdown(
      turn({
        speechEndedAt: at(0),
        firstAudioAt: at(1000),
        intervals: [span('endpointing', -500, 200), span('llm_ttft', 300, 300), span('tools', 600, 400), span('tts_ttfb', 900, 1500)],
      }),
    );
    expect(breakdown?.contributions).toEqual(stages({ endpointing: 200, pipeline_gaps: 700, tts_ttfb: 100 }));
  });

  it('has no timeline when first audio is not after the end of speech', () => {
    expect(voiceBreakdown(turn({ speechEndedAt: at(1000), firstAudioAt: at(1000), intervals: [span('llm_ttft', 1000, 1400)] }))).toBeUndefined();
    expect(voiceBreakdown(turn({ speechEndedAt: at(1000), firstAudioAt: at(900) }))).toBeUndefined();
    // …and falls back to what the framework reported.
    expect(voiceBreakdown(turn({ speechEndedAt: at(1000), firstAudioAt: at(900), reportedVoiceToVoiceUs: ms(700), durations: { llm_ttft: ms(300) } }))).toEqual({
      voiceToVoiceUs: ms(700),
      contributions: stages({ llm_ttft: 300, unattributed: 400 }),
      dominantStage: 'unattributed',
      source: 'reported',
      model: undefined,
      provider: undefined,
    });
  });

  it('has no breakdown when nothing measures the turn', () => {
    expect(voiceBreakdown(turn({}))).toBeUndefined();
    expect(voiceBreakdown(turn({ intervals: [span('llm_ttft', 0, 400)], durations: { tools: 0n, tts_ttfb: -5n }, reportedVoiceToVoiceUs: 0n }))).toBeUndefined();
  });
});

describe('voiceBreakdown from reported figures', () => {
  // LiveKit: lk.end_of_turn_delay, lk.transcription_delay, lk.response.ttft, lk.response.ttfb, lk.e2e_latency.
  const livekit = { endpointing: ms(400), transcription: ms(300), llm_ttft: ms(500), tts_ttfb: ms(200) };

  it('counts the longer of endpointing and transcription once and leaves the rest of the end-to-end figure unattributed', () => {
    expect(voiceBreakdown(turn({ durations: livekit, reportedVoiceToVoiceUs: ms(1300) }))).toEqual({
      voiceToVoiceUs: ms(1300),
      contributions: stages({ endpointing: 400, llm_ttft: 500, tts_ttfb: 200, unattributed: 200 }),
      dominantStage: 'llm_ttft',
      source: 'reported',
      model: undefined,
      provider: undefined,
    });
    expect(voiceBreakdown(turn({ durations: { ...livekit, transcription: ms(450) }, reportedVoiceToVoiceUs: ms(1300) }))?.contributions).toEqual(
      stages({ transcription: 450, llm_ttft: 500, tts_ttfb: 200, unattributed: 150 }),
    );
  });

  it('trims the stages in pipeline order when they exceed the end-to-end figure', () => {
    expect(voiceBreakdown(turn({ durations: livekit, reportedVoiceToVoiceUs: ms(1000) }))?.contributions).toEqual(stages({ endpointing: 400, llm_ttft: 500, tts_ttfb: 100 }));
    expect(voiceBreakdown(turn({ durations: livekit, reportedVoiceToVoiceUs: ms(300) }))?.contributions).toEqual(stages({ endpointing: 300 }));
  });

  it('breaks ties toward the earlier stage', () => {
    // Endpointing and transcription equal: counted under endpointing. LLM and the rest equal: LLM dominates.
    expect(voiceBreakdown(turn({ durations: { endpointing: ms(300), transcription: ms(300), llm_ttft: ms(500) }, reportedVoiceToVoiceUs: ms(1300) }))).toMatchObject({
      contributions: stages({ endpointing: 300, llm_ttft: 500, unattributed: 500 }),
      dominantStage: 'llm_ttft',
    });
  });

  it('sums the durations when no end-to-end figure is reported', () => {
    expect(voiceBreakdown(turn({ durations: { ...livekit, tools: ms(100) } }))).toMatchObject({
      voiceToVoiceUs: ms(1200),
      contributions: stages({ endpointing: 400, llm_ttft: 500, tools: 100, tts_ttfb: 200 }),
    });
  });

  it('leaves a Pipecat turn with only its user-to-bot latency wholly unattributed', () => {
    expect(voiceBreakdown(turn({ reportedVoiceToVoiceUs: 1_234_567n }))).toEqual({
      voiceToVoiceUs: 1_234_567n,
      contributions: { ...stages({}), unattributed: 1_234_567n },
      dominantStage: 'unattributed',
      source: 'reported',
      model: undefined,
      provider: undefined,
    });
  });
});
