import { describe, expect, it } from 'vitest';
import { createPriceTable, estimateCost, getDefaultPriceTable } from '../src/index.js';
import type { LlmPriceEntry, LlmUsage } from '../src/index.js';

const table = getDefaultPriceTable();

function llmPrices(model: string): LlmPriceEntry {
  const entry = table.find('llm', model);
  if (!entry) throw new Error(`no built-in price for ${model}`);
  return entry;
}

function llm(model: string, counts: Omit<LlmUsage, 'kind' | 'model'>): LlmUsage {
  return { kind: 'llm', model, ...counts };
}

describe('estimateCost for LLM calls', () => {
  it('charges uncached input and output at the model prices', () => {
    const estimate = estimateCost(llm('gpt-4o', { inputTokens: 1_000_000, outputTokens: 1_000_000 }));
    expect(estimate?.usd).toBeCloseTo(2.5 + 10, 10);
    expect(estimate?.model).toBe('gpt-4o');
    expect(estimate?.provider).toBe('openai');
  });

  it('charges cached input at the cache-read price', () => {
    const rates = llmPrices('gpt-4o').usdPerMillionTokens;
    const estimate = estimateCost(llm('gpt-4o', { inputTokens: 1000, cacheReadInputTokens: 400, outputTokens: 0 }));
    expect(estimate?.breakdown.input).toBeCloseTo((600 * rates.input) / 1e6, 12);
    expect(estimate?.breakdown.cacheRead).toBeCloseTo((400 * rates.cacheRead!) / 1e6, 12);
    expect(estimate?.breakdown.cacheRead).toBeCloseTo(0.0005, 12); // 400 × $1.25/1M
    expect(estimate?.usd).toBeCloseTo(0.0015 + 0.0005, 12);
  });

  it('charges cache writes at the cache-write price', () => {
    const rates = llmPrices('claude-sonnet-4-5').usdPerMillionTokens;
    const usage = llm('claude-sonnet-4-5-20250929', {
      inputTokens: 10_000,
      cacheReadInputTokens: 6000,
      cacheWriteInputTokens: 3000,
      outputTokens: 200,
    });
    const estimate = estimateCost(usage);
    const expected = (1000 * rates.input + 6000 * rates.cacheRead! + 3000 * rates.cacheWrite! + 200 * rates.output) / 1e6;
    expect(estimate?.usd).toBeCloseTo(expected, 12);
    expect(estimate?.breakdown.cacheWrite).toBeCloseTo(0.01125, 12); // 3000 × $3.75/1M
  });

  it('charges cached tokens at the input price when a model has no cache prices', () => {
    const rates = llmPrices('gpt-4-turbo').usdPerMillionTokens;
    expect(rates.cacheRead).toBeUndefined();
    const estimate = estimateCost(llm('gpt-4-turbo', { inputTokens: 1000, cacheReadInputTokens: 1000, outputTokens: 0 }));
    expect(estimate?.breakdown.cacheRead).toBeCloseTo((1000 * rates.input) / 1e6, 12);
    expect(estimate?.breakdown.input).toBe(0);
  });

  it('charges reasoning tokens at the reasoning price where the model has one', () => {
    const rates = llmPrices('gemini-2.5-flash-preview-04-17').usdPerMillionTokens;
    const estimate = estimateCost(
      llm('gemini-2.5-flash-preview-04-17', { inputTokens: 0, outputTokens: 1000, reasoningOutputTokens: 600 }),
    );
    expect(estimate?.breakdown.output).toBeCloseTo((400 * rates.output) / 1e6, 12);
    expect(estimate?.breakdown.reasoning).toBeCloseTo((600 * rates.reasoning!) / 1e6, 12);
    expect(estimate?.usd).toBeCloseTo((400 * 0.6 + 600 * 3.5) / 1e6, 12);
  });

  it('charges reasoning tokens as output where the model has no reasoning price', () => {
    const rates = llmPrices('o3').usdPerMillionTokens;
    const estimate = estimateCost(llm('o3', { inputTokens: 0, outputTokens: 1000, reasoningOutputTokens: 600 }));
    expect(estimate?.breakdown.reasoning).toBeCloseTo((600 * rates.output) / 1e6, 12);
    expect(estimate?.usd).toBeCloseTo((1000 * rates.output) / 1e6, 12);
  });

  it('charges audio tokens at the audio prices', () => {
    const rates = llmPrices('gpt-4o-realtime-preview').usdPerMillionTokens;
    const usage = llm('gpt-4o-realtime-preview-2024-12-17', {
      inputTokens: 1000,
      audioInputTokens: 800,
      outputTokens: 500,
      audioOutputTokens: 400,
    });
    const estimate = estimateCost(usage);
    expect(estimate?.breakdown).toEqual({
      input: (200 * rates.input) / 1e6,
      cacheRead: 0,
      cacheWrite: 0,
      audioInput: (800 * rates.audioInput!) / 1e6,
      output: (100 * rates.output) / 1e6,
      reasoning: 0,
      audioOutput: (400 * rates.audioOutput!) / 1e6,
    });
    expect(estimate?.breakdown.audioOutput).toBeCloseTo(0.032, 12); // 400 × $80/1M
  });

  it('applies long-context prices to the whole request above the threshold', () => {
    const entry = llmPrices('gemini-2.5-pro');
    const longRates = { ...entry.usdPerMillionTokens, ...entry.longContext!.usdPerMillionTokens };
    const short = estimateCost(llm('gemini-2.5-pro', { inputTokens: 200_000, outputTokens: 1000 }));
    const long = estimateCost(llm('gemini-2.5-pro', { inputTokens: 200_001, outputTokens: 1000 }));
    expect(short?.usd).toBeCloseTo((200_000 * 1.25 + 1000 * 10) / 1e6, 12);
    expect(long?.usd).toBeCloseTo((200_001 * longRates.input + 1000 * longRates.output) / 1e6, 12);
  });

  it('charges embedding models for input only', () => {
    const estimate = estimateCost(llm('text-embedding-3-small', { inputTokens: 1_000_000, outputTokens: 0 }));
    expect(estimate?.usd).toBeCloseTo(0.02, 12);
  });

  it('never returns a negative cost', () => {
    const inconsistent = [
      { inputTokens: 100, cacheReadInputTokens: 500, cacheWriteInputTokens: 50, outputTokens: 10, reasoningOutputTokens: 90 },
      { inputTokens: -1000, outputTokens: -5, cacheReadInputTokens: -3, audioInputTokens: -7, audioOutputTokens: -2 },
    ];
    for (const counts of inconsistent) {
      const estimate = estimateCost(llm('claude-3-5-sonnet', counts));
      expect(estimate).toBeDefined();
      expect(estimate!.usd).toBeGreaterThanOrEqual(0);
      for (const component of Object.values(estimate!.breakdown)) expect(component).toBeGreaterThanOrEqual(0);
    }
    const rates = llmPrices('claude-3-5-sonnet').usdPerMillionTokens;
    const first = estimateCost(llm('claude-3-5-sonnet', inconsistent[0]));
    expect(first?.breakdown.input).toBe(0);
    expect(first?.usd).toBeCloseTo((500 * rates.cacheRead! + 50 * rates.cacheWrite! + 90 * rates.output) / 1e6, 12);
    expect(estimateCost(llm('claude-3-5-sonnet', inconsistent[1]))?.usd).toBe(0);
    expect(estimateCost({ kind: 'stt', model: 'whisper-1', audioSeconds: -30 })?.usd).toBe(0);
  });

  it('returns undefined for an unknown model', () => {
    expect(estimateCost(llm('my-finetune-7b', { inputTokens: 10, outputTokens: 10 }))).toBeUndefined();
  });

  it('returns undefined when a count is not a finite number', () => {
    expect(estimateCost(llm('gpt-4o', { inputTokens: Number.NaN, outputTokens: 10 }))).toBeUndefined();
    expect(estimateCost(llm('gpt-4o', { inputTokens: 10, outputTokens: Infinity }))).toBeUndefined();
    expect(estimateCost(llm('gpt-4o', { inputTokens: 10, outputTokens: 10, cacheReadInputTokens: Number.NaN }))).toBeUndefined();
    const fromJavaScript = { kind: 'llm', model: 'gpt-4o', inputTokens: '10', outputTokens: 1 } as unknown as LlmUsage;
    expect(estimateCost(fromJavaScript)).toBeUndefined();
    expect(estimateCost({ kind: 'tts', model: 'tts-1', characters: Number.NaN })).toBeUndefined();
  });
});

describe('estimateCost for speech', () => {
  it('charges speech-to-text per second of audio', () => {
    const entry = table.find('stt', 'whisper-1')!;
    const estimate = estimateCost({ kind: 'stt', model: 'whisper-1', audioSeconds: 90 });
    expect(estimate?.usd).toBeCloseTo(90 * entry.usdPerSecond, 12);
    expect(estimate?.usd).toBeCloseTo(0.009, 12); // 1.5 min × $0.006/min
    expect(estimate?.breakdown.audio).toBe(estimate?.usd);
  });

  it('charges streaming recognition at the streaming rate where there is one', () => {
    const batch = estimateCost({ kind: 'stt', model: 'nova-3', audioSeconds: 60 });
    const streaming = estimateCost({ kind: 'stt', model: 'nova-3', audioSeconds: 60, isStreaming: true });
    const whisper = estimateCost({ kind: 'stt', model: 'whisper-1', audioSeconds: 60, isStreaming: true });
    expect(batch?.usd).toBeCloseTo(0.0043, 12);
    expect(streaming?.usd).toBeCloseTo(0.0077, 12);
    expect(whisper?.usd).toBeCloseTo(0.006, 12);
  });

  it('charges text-to-speech per character', () => {
    const entry = table.find('tts', 'eleven_flash_v2_5')!;
    const estimate = estimateCost({ kind: 'tts', model: 'eleven_flash_v2_5', characters: 1200 });
    expect(estimate?.usd).toBeCloseTo((1200 * entry.usdPerMillionCharacters) / 1e6, 12);
    expect(estimateCost({ kind: 'tts', model: 'tts-1', characters: 1000 })?.usd).toBeCloseTo(0.015, 12);
  });

  it('does not price a speech model from the table of another kind', () => {
    expect(estimateCost({ kind: 'stt', model: 'tts-1', audioSeconds: 10 })).toBeUndefined();
    expect(estimateCost({ kind: 'tts', model: 'nova-3', characters: 10 })).toBeUndefined();
  });
});

describe('estimateCost with a custom table', () => {
  it('uses the prices of the table it is given', () => {
    const custom = createPriceTable({
      extend: false,
      entries: [{ kind: 'llm', model: 'house-model', usdPerMillionTokens: { input: 1, output: 2 } }],
    });
    expect(estimateCost(llm('house-model', { inputTokens: 1e6, outputTokens: 1e6 }), custom)?.usd).toBe(3);
    expect(estimateCost(llm('gpt-4o', { inputTokens: 1, outputTokens: 1 }), custom)).toBeUndefined();
  });
});
