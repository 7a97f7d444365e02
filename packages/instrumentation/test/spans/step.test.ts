import { estimateCost } from '@convotel/pricing';
import { beforeEach, describe, expect, it } from 'vitest';
import { step, turn } from '../../src/index.js';
import { installTestTracing, onlySpan } from '../helpers/otel.js';

const tracing = installTestTracing();

beforeEach(() => tracing.reset());

describe('steps', () => {
  it('names a step span after its step and nests it under the turn', async () => {
    await turn({}, () => step('retrieval', { attributes: { 'app.top_k': 5 } }, () => {}));
    const spans = await tracing.spans();
    const s = onlySpan(spans, 'step retrieval');
    expect(s.attributes['convotel.span.kind']).toBe('step');
    expect(s.attributes['convotel.step.name']).toBe('retrieval');
    expect(s.attributes['app.top_k']).toBe(5);
    expect(s.parentSpanContext?.spanId).toBe(onlySpan(spans, 'turn').spanContext().spanId);
  });

  it('prices a speech-to-text step per audio second from the price table', async () => {
    await step('stt', { provider: 'deepgram', model: 'nova-3', language: 'en-US' }, (s) => {
      s.set({ audioSeconds: 42, confidence: 0.93 });
    });
    const span = onlySpan(await tracing.spans(), 'step stt');
    const expected = estimateCost({ kind: 'stt', provider: 'deepgram', model: 'nova-3', audioSeconds: 42 });
    expect(expected?.usd).toBeGreaterThan(0);
    expect(span.attributes['convotel.cost.usd']).toBeCloseTo(expected!.usd, 12);
    expect(span.attributes['convotel.cost.source']).toBe('computed');
    expect(span.attributes['convotel.stt.audio_seconds']).toBe(42);
    expect(span.attributes['convotel.stt.confidence']).toBe(0.93);
    expect(span.attributes['convotel.stt.language']).toBe('en-US');
    expect(span.attributes['gen_ai.operation.name']).toBe('speech_to_text');
    expect(span.attributes['gen_ai.provider.name']).toBe('deepgram');
    expect(span.attributes['gen_ai.request.model']).toBe('nova-3');
  });

  it('prices a text-to-speech step per character and records voice and time to first byte', async () => {
    await step('tts', { provider: 'elevenlabs', model: 'eleven_flash_v2_5', voice: 'rachel', characters: 1200, ttfbMs: 180 }, () => {});
    const span = onlySpan(await tracing.spans(), 'step tts');
    const expected = estimateCost({ kind: 'tts', provider: 'elevenlabs', model: 'eleven_flash_v2_5', characters: 1200 });
    expect(span.attributes['convotel.cost.usd']).toBeCloseTo(expected!.usd, 12);
    expect(span.attributes['convotel.tts.characters']).toBe(1200);
    expect(span.attributes['convotel.tts.voice']).toBe('rachel');
    expect(span.attributes['convotel.tts.ttfb_ms']).toBe(180);
    expect(span.attributes['gen_ai.operation.name']).toBe('text_to_speech');
  });

  it('leaves cost unset for a speech model without a price', async () => {
    await step('stt', { model: 'in-house-asr', audioSeconds: 10 }, () => {});
    const span = onlySpan(await tracing.spans(), 'step stt');
    expect(span.attributes['convotel.cost.usd']).toBeUndefined();
  });

  it('keeps transcripts out of spans unless content capture is on', async () => {
    await step('stt', { transcript: 'my email is jane@example.com' }, () => {});
    const span = onlySpan(await tracing.spans(), 'step stt');
    expect(span.attributes['convotel.stt.transcript']).toBeUndefined();
  });
});
