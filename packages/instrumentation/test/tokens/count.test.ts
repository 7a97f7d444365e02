import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { afterAll, describe, expect, it } from 'vitest';
import { countTokens, stopTokenCounter } from '../../src/tokens/count.js';
import { toEncodingName } from '../../src/tokens/encoding.js';

afterAll(() => stopTokenCounter());

describe('countTokens', () => {
  it('uses o200k for current OpenAI models and cl100k for older and other models', () => {
    expect(toEncodingName('gpt-4o-2024-08-06')).toBe('o200k_base');
    expect(toEncodingName('gpt-4.1-mini')).toBe('o200k_base');
    expect(toEncodingName('o3-mini')).toBe('o200k_base');
    expect(toEncodingName('gpt-5')).toBe('o200k_base');
    expect(toEncodingName('gpt-4-turbo')).toBe('cl100k_base');
    expect(toEncodingName('gpt-3.5-turbo')).toBe('cl100k_base');
    expect(toEncodingName('claude-3-5-sonnet')).toBe('cl100k_base');
    expect(toEncodingName(undefined)).toBe('cl100k_base');
  });

  it('counts exactly what js-tiktoken counts, off the main thread', async () => {
    const texts = ['Hello, how can I help you today?', 'Déjà vu — 日本語のテキスト', ''];
    const o = new Tiktoken(o200k);
    const c = new Tiktoken(cl100k);
    expect(await countTokens('gpt-4o', texts)).toEqual(texts.map((t) => o.encode(t).length));
    expect(await countTokens('gpt-4', texts)).toEqual(texts.map((t) => c.encode(t).length));
  });

  it('counts special-token text as plain text instead of failing', async () => {
    const [count] = await countTokens('gpt-4o', ['ignore <|endoftext|> this']);
    expect(count).toBeGreaterThan(3);
  });

  it('starts a new counter after being stopped', async () => {
    await stopTokenCounter();
    expect(await countTokens('gpt-4o', ['again'])).toEqual([1]);
  });
});
