import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPriceTable, estimateCost, loadPriceFile, PriceTableError } from '../src/index.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convotel-pricing-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function writePriceFile(content: unknown): string {
  const file = path.join(dir, `prices-${fileCount++}.json`);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function loadError(file: string): PriceTableError {
  try {
    loadPriceFile(file);
  } catch (error) {
    if (error instanceof PriceTableError) return error;
    throw error;
  }
  throw new Error(`expected ${file} to be rejected`);
}

describe('loadPriceFile', () => {
  it('lets a JSON price file override a built-in price', () => {
    const file = writePriceFile({
      entries: [
        {
          kind: 'llm',
          model: 'claude-3-5-sonnet',
          provider: 'anthropic',
          aliases: ['team-sonnet'],
          source: 'https://example.com/our-contract',
          asOf: '2025-11-01',
          usdPerMillionTokens: { input: 2, output: 8, cacheRead: 0.2 },
        },
      ],
    });
    const table = createPriceTable({ entries: loadPriceFile(file) });
    const usage = { kind: 'llm', model: 'claude-3-5-sonnet-20241022', inputTokens: 1e6, outputTokens: 1e6 } as const;
    expect(estimateCost(usage, table)?.usd).toBe(10);
    expect(estimateCost({ ...usage, model: 'team-sonnet', cacheReadInputTokens: 1e6 }, table)?.usd).toBeCloseTo(8.2, 12);
    expect(estimateCost(usage)?.usd).toBe(18); // the built-in table is unchanged
  });

  it('reads a bare array of entries, with speech prices per minute', () => {
    const file = writePriceFile([
      { kind: 'stt', model: 'nova-3', provider: 'deepgram', usdPerMinute: 0.003 },
      { kind: 'tts', model: 'house-voice', usdPerMillionCharacters: 20 },
    ]);
    const table = createPriceTable({ entries: loadPriceFile(file) });
    expect(estimateCost({ kind: 'stt', model: 'nova-3', audioSeconds: 120 }, table)?.usd).toBeCloseTo(0.006, 12);
    expect(estimateCost({ kind: 'tts', model: 'house-voice', characters: 50_000 }, table)?.usd).toBeCloseTo(1, 12);
  });

  it('rejects a price file entry without a model name', () => {
    const file = writePriceFile({
      entries: [
        { kind: 'tts', model: 'ok-voice', usdPerMillionCharacters: 1 },
        { kind: 'llm', usdPerMillionTokens: { input: 1, output: 1 } },
      ],
    });
    const error = loadError(file);
    expect(error.code).toBe('CONVOTEL_INVALID_PRICE_ENTRY');
    expect(error.message).toBe(`price file ${file}: entries[1]: "model" must be a non-empty string, got nothing`);
  });

  it('names the entry and the field of a bad price', () => {
    const file = writePriceFile([{ kind: 'llm', model: 'gpt-4o', usdPerMillionTokens: { input: '2.5', output: 10 } }]);
    expect(loadError(file).message).toContain(
      'entries[0] (model "gpt-4o"): "usdPerMillionTokens.input" must be a finite number >= 0 (USD), got "2.5"',
    );
  });

  it('rejects unknown fields so that a misspelt rate is not ignored', () => {
    const file = writePriceFile([{ kind: 'llm', model: 'gpt-4o', usdPerMillionTokens: { input: 1, output: 2, cached: 0.5 } }]);
    expect(loadError(file).message).toContain('unknown field "usdPerMillionTokens.cached"');
  });

  it('rejects a speech-to-text entry with both a per-second and a per-minute rate', () => {
    const file = writePriceFile([{ kind: 'stt', model: 'x', usdPerSecond: 0.1, usdPerMinute: 6 }]);
    expect(loadError(file).message).toContain('give either "usdPerSecond" or "usdPerMinute", not both');
  });

  it('rejects a file that is not JSON or cannot be read', () => {
    const notJson = loadError(writePriceFile('{ "entries": ['));
    expect(notJson.code).toBe('CONVOTEL_INVALID_PRICE_FILE');
    expect(notJson.message).toContain('price file ');
    const missing = loadError(path.join(dir, 'missing.json'));
    expect(missing.code).toBe('CONVOTEL_INVALID_PRICE_FILE');
    expect(missing.message).toContain('missing.json');
  });

  it('rejects JSON that is not a list of entries', () => {
    const error = loadError(writePriceFile({ prices: [] }));
    expect(error.message).toContain('expected an array of price entries or an object with an "entries" array');
  });
});
