import { describe, expect, it } from 'vitest';
import { readUsage } from '../../../src/normalize/concepts/usage.js';

describe('readUsage', () => {
  it('reads every spelling of each count and records the key', () => {
    const usage = readUsage(
      {
        'ai.usage.inputTokens': 120,
        'ai.usage.outputTokens': 30,
        'ai.usage.inputTokenDetails.cacheReadTokens': 100,
        'ai.usage.inputTokenDetails.cacheWriteTokens': 4,
        'ai.usage.outputTokenDetails.reasoningTokens': 12,
        'gen_ai.usage.input_audio_tokens': 7,
        'llm.token_count.completion_details.audio': 3,
      },
      'vercel-ai',
      'openai',
    );
    expect(usage).toMatchObject({
      inputTokens: 120,
      outputTokens: 30,
      cacheReadTokens: 100,
      cacheWriteTokens: 4,
      reasoningTokens: 12,
      audioInputTokens: 7,
      audioOutputTokens: 3,
      totalTokens: 150,
      isInputCacheAdjusted: false,
    });
    expect(usage.sourceKeys).toMatchObject({ input_tokens: 'ai.usage.inputTokens', audio_input_tokens: 'gen_ai.usage.input_audio_tokens' });
  });

  it('accepts counts sent as strings and nested kvlists', () => {
    const usage = readUsage({ 'gen_ai.usage.prompt_tokens': '42', 'gen_ai.usage.prompt_tokens_details': { cache_read: 40 } }, 'openlit', 'openai');
    expect(usage.inputTokens).toBe(42);
    expect(usage.cacheReadTokens).toBe(40);
    expect(usage.sourceKeys['cache_read_tokens']).toBe('gen_ai.usage.prompt_tokens_details.cache_read');
  });

  it('adds cache back to Langfuse usage_details input and to Anthropic input below its cache reads', () => {
    const langfuse = readUsage({ 'langfuse.observation.usage_details': '{"input":10,"output":5,"input_cached_tokens":90}' }, 'langfuse', 'openai');
    expect(langfuse).toMatchObject({ inputTokens: 100, outputTokens: 5, cacheReadTokens: 90, isInputCacheAdjusted: true });
    const anthropic = readUsage({ 'gen_ai.usage.input_tokens': 3, 'gen_ai.usage.output_tokens': 1, 'gen_ai.usage.cache_read.input_tokens': 2000 }, 'other', 'anthropic');
    expect(anthropic.inputTokens).toBe(2003);
  });

  it('adds cache back to OpenLLMetry and OpenLIT Anthropic input, which leaves it out, even above the cache reads', () => {
    const raw = {
      'gen_ai.usage.input_tokens': 500,
      'gen_ai.usage.output_tokens': 12,
      'gen_ai.usage.total_tokens': 512,
      'gen_ai.usage.cache_read.input_tokens': 100,
      'gen_ai.usage.cache_creation.input_tokens': 20,
    };
    for (const flavour of ['openllmetry', 'openlit'] as const) {
      expect(readUsage(raw, flavour, 'anthropic')).toMatchObject({ inputTokens: 620, totalTokens: 632, isInputCacheAdjusted: true });
      // Their OpenAI counts follow OpenAI's own usage, which includes cache.
      expect(readUsage(raw, flavour, 'openai')).toMatchObject({ inputTokens: 500, totalTokens: 512, isInputCacheAdjusted: false });
    }
  });

  it('leaves OpenInference Anthropic prompt counts alone: 0.2.8 already includes cache', () => {
    const usage = readUsage(
      {
        'llm.token_count.prompt': 150,
        'llm.token_count.completion': 12,
        'llm.token_count.prompt_details.cache_read': 100,
        'llm.token_count.prompt_details.cache_write': 20,
      },
      'openinference',
      'anthropic',
    );
    expect(usage).toMatchObject({ inputTokens: 150, cacheReadTokens: 100, cacheWriteTokens: 20, isInputCacheAdjusted: false });
  });

  it('leaves OTel input counts that already include cache alone', () => {
    const usage = readUsage({ 'gen_ai.usage.input_tokens': 2100, 'gen_ai.usage.cache_read.input_tokens': 2000 }, 'convotel', 'anthropic');
    expect(usage.inputTokens).toBe(2100);
  });

  it('ignores negative and non-numeric counts', () => {
    const usage = readUsage({ 'gen_ai.usage.input_tokens': -5, 'gen_ai.usage.prompt_tokens': 'many', 'llm.token_count.prompt': 8 }, 'other', undefined);
    expect(usage.inputTokens).toBe(8);
  });
});
