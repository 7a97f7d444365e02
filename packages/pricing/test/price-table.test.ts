import { describe, expect, it } from 'vitest';
import {
  createPriceTable,
  estimateCost,
  getDefaultPriceTable,
  normalizeModelName,
  parsePriceEntries,
  PriceTableError,
} from '../src/index.js';
import type { PriceEntryInput } from '../src/index.js';

const cheapGpt4o: PriceEntryInput = {
  kind: 'llm',
  model: 'gpt-4o',
  provider: 'openai',
  usdPerMillionTokens: { input: 1, output: 4 },
};

describe('createPriceTable', () => {
  it('lets an entry given in code override a built-in price', () => {
    const table = createPriceTable({ entries: [cheapGpt4o], extend: true });
    expect(table.find('llm', 'gpt-4o')?.usdPerMillionTokens.input).toBe(1);
    expect(estimateCost({ kind: 'llm', model: 'gpt-4o', inputTokens: 1e6, outputTokens: 1e6 }, table)?.usd).toBe(5);
  });

  it('applies an override to the snapshots and provider paths of its model', () => {
    const table = createPriceTable({ entries: [cheapGpt4o] });
    expect(table.find('llm', 'gpt-4o-2024-08-06')?.usdPerMillionTokens.input).toBe(1);
    expect(table.find('llm', 'openai/gpt-4o-2024-05-13')?.usdPerMillionTokens.input).toBe(1);
    expect(table.find('llm', 'gpt-4o', 'openai')?.usdPerMillionTokens.input).toBe(1);
  });

  it('matches an override by its aliases', () => {
    const table = createPriceTable({
      entries: [{ kind: 'llm', model: 'claude-3-5-sonnet', aliases: ['prod-sonnet'], usdPerMillionTokens: { input: 2, output: 10 } }],
    });
    expect(table.find('llm', 'prod-sonnet')?.usdPerMillionTokens.input).toBe(2);
    expect(table.find('llm', 'claude-3-5-sonnet-20241022', 'anthropic')?.usdPerMillionTokens.input).toBe(2);
  });

  it('keeps built-in prices for models the overrides do not name', () => {
    const table = createPriceTable({ entries: [cheapGpt4o] });
    const builtIn = getDefaultPriceTable().find('llm', 'gpt-4o-mini');
    expect(table.find('llm', 'gpt-4o-mini-2024-07-18')).toEqual(builtIn);
    expect(table.entries.length).toBe(getDefaultPriceTable().entries.length + 1);
  });

  it('builds a table from the given entries alone when extend is false', () => {
    const table = createPriceTable({ entries: [cheapGpt4o], extend: false });
    expect(table.entries).toHaveLength(1);
    expect(table.find('llm', 'gpt-4o-mini')).toBeUndefined();
  });

  it('lets a later entry replace an earlier one for the same model and provider', () => {
    const later: PriceEntryInput = { ...cheapGpt4o, usdPerMillionTokens: { input: 3, output: 4 } };
    const table = createPriceTable({ entries: [cheapGpt4o, later], extend: false });
    expect(table.entries).toHaveLength(1);
    expect(table.find('llm', 'gpt-4o')?.usdPerMillionTokens.input).toBe(3);
  });

  it('converts per-minute speech-to-text prices to per second', () => {
    const table = createPriceTable({
      extend: false,
      entries: [{ kind: 'stt', model: 'house-asr', usdPerMinute: 0.012, streamingUsdPerMinute: 0.018 }],
    });
    const entry = table.find('stt', 'house-asr');
    expect(entry?.usdPerSecond).toBeCloseTo(0.0002, 12);
    expect(entry?.streamingUsdPerSecond).toBeCloseTo(0.0003, 12);
    expect(entry).not.toHaveProperty('usdPerMinute');
  });

  it('rejects a malformed entry given in code', () => {
    const bad = { kind: 'llm', model: 'gpt-4o', usdPerMillionTokens: { input: -1, output: 1 } } as PriceEntryInput;
    expect(() => createPriceTable({ entries: [bad] })).toThrow(PriceTableError);
    expect(() => createPriceTable({ entries: [bad] })).toThrow(/entries\[0\] \(model "gpt-4o"\): "usdPerMillionTokens.input"/);
  });
});

describe('the built-in price table', () => {
  const entries = getDefaultPriceTable().entries;

  it('records a provider, a source URL and an asOf date for every price', () => {
    for (const entry of entries) {
      const label = entry.kind === 'telephony' ? `${entry.provider} ${entry.direction}` : entry.model;
      expect(entry.provider, label).toMatch(/^[a-z0-9._-]+$/);
      expect(entry.source, label).toMatch(/^https:\/\/[^\s]+$/);
      expect(entry.asOf, label).toMatch(/^20(25|26)-\d{2}-\d{2}$/);
    }
  });

  it('passes the validation applied to price files', () => {
    expect(parsePriceEntries(structuredClone([...entries]))).toHaveLength(entries.length);
  });

  it('gives each name one price per kind and provider', () => {
    const seen = new Map<string, string>();
    for (const entry of entries) {
      if (entry.kind === 'telephony') continue; // keyed by provider and direction, not by name
      for (const name of [entry.model, ...(entry.aliases ?? [])]) {
        const key = `${entry.kind}:${normalizeModelName(name)}:${entry.provider}`;
        expect(seen.get(key), `${key} is claimed twice`).toBeUndefined();
        seen.set(key, entry.model);
      }
    }
  });

  it('covers the models the instrumentation prices', () => {
    const llm = [
      'gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'o1', 'o1-mini', 'o3', 'o3-mini', 'o4-mini',
      'gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'gpt-4-turbo', 'gpt-3.5-turbo', 'text-embedding-3-small',
      'text-embedding-3-large', 'text-embedding-ada-002', 'gpt-4o-audio-preview', 'gpt-4o-realtime-preview',
      'gpt-4o-mini-realtime-preview', 'claude-opus-4-1', 'claude-opus-4', 'claude-sonnet-4-5', 'claude-sonnet-4',
      'claude-3-7-sonnet', 'claude-3-5-sonnet', 'claude-3-5-haiku', 'claude-haiku-4-5', 'claude-3-haiku', 'claude-3-opus',
      'gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-2.0-flash', 'gemini-1.5-pro',
      'gemini-1.5-flash', 'mistral-large', 'mistral-medium', 'mistral-small', 'codestral', 'open-mistral-nemo',
      'ministral-8b', 'llama-3.3-70b', 'llama-3.1-8b', 'llama-3.1-70b', 'llama-3.1-405b', 'mixtral-8x7b',
      'deepseek-chat', 'deepseek-v3', 'deepseek-reasoner', 'deepseek-r1', 'qwen-2.5-72b',
    ];
    const stt = [
      'whisper-1', 'gpt-4o-transcribe', 'gpt-4o-mini-transcribe', 'nova-3', 'nova-2', 'whisper', 'best', 'nano',
      'chirp', 'google-stt-standard',
    ];
    const tts = [
      'tts-1', 'tts-1-hd', 'gpt-4o-mini-tts', 'eleven_multilingual_v2', 'eleven_turbo_v2_5', 'eleven_flash_v2_5',
      'google-tts-standard', 'wavenet', 'neural2', 'google-tts-studio', 'chirp3-hd', 'azure-neural-tts',
    ];
    const table = getDefaultPriceTable();
    const missing = [
      ...llm.filter((model) => !table.find('llm', model)),
      ...stt.filter((model) => !table.find('stt', model)),
      ...tts.filter((model) => !table.find('tts', model)),
    ];
    expect(missing).toEqual([]);
  });
});
