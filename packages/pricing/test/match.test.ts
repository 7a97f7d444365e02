import { describe, expect, it } from 'vitest';
import { getDefaultPriceTable, normalizeModelName } from '../src/index.js';
import type { PriceKind } from '../src/index.js';

const table = getDefaultPriceTable();

function matchedModel(model: string, kind: PriceKind = 'llm', provider?: string): string | undefined {
  return table.find(kind, model, provider)?.model;
}

describe('model matching', () => {
  it('matches model names case-insensitively', () => {
    expect(matchedModel('GPT-4o')).toBe('gpt-4o');
    expect(matchedModel('  Claude-3-5-Sonnet-20241022 ')).toBe('claude-3-5-sonnet');
  });

  it('matches dated snapshots to their base model', () => {
    expect(matchedModel('gpt-4o-2024-08-06')).toBe('gpt-4o');
    expect(matchedModel('claude-3-5-sonnet-20241022')).toBe('claude-3-5-sonnet');
    expect(matchedModel('claude-sonnet-4-5-20250929')).toBe('claude-sonnet-4-5');
    expect(matchedModel('claude-3-5-sonnet-latest')).toBe('claude-3-5-sonnet');
    expect(matchedModel('o3-mini-2025-01-31')).toBe('o3-mini');
    expect(matchedModel('gpt-3.5-turbo-0125')).toBe('gpt-3.5-turbo');
    expect(matchedModel('gemini-2.0-flash-001')).toBe('gemini-2.0-flash');
    expect(matchedModel('gemini-2.5-pro-preview-06-05')).toBe('gemini-2.5-pro');
    expect(matchedModel('mistral-large-2411')).toBe('mistral-large');
    expect(matchedModel('deepseek-r1-0528')).toBe('deepseek-reasoner');
  });

  it('prefers the longest matching model name', () => {
    expect(matchedModel('gpt-4o-mini-2024-07-18')).toBe('gpt-4o-mini');
    expect(matchedModel('gpt-4o-2024-05-13')).toBe('gpt-4o-2024-05-13');
    expect(matchedModel('gpt-4-turbo-2024-04-09')).toBe('gpt-4-turbo');
    expect(matchedModel('claude-opus-4-1-20250805')).toBe('claude-opus-4-1');
    expect(matchedModel('gpt-4o-audio-preview-2024-12-17')).toBe('gpt-4o-audio-preview');
  });

  it('ignores provider paths and Bedrock and Vertex decorations', () => {
    expect(matchedModel('openai/gpt-4o')).toBe('gpt-4o');
    expect(matchedModel('models/gemini-1.5-pro-002')).toBe('gemini-1.5-pro');
    expect(matchedModel('anthropic.claude-3-5-sonnet-20241022-v2:0')).toBe('claude-3-5-sonnet');
    expect(matchedModel('us.anthropic.claude-sonnet-4-20250514-v1:0')).toBe('claude-sonnet-4');
    expect(matchedModel('claude-3-5-sonnet-v2@20241022')).toBe('claude-3-5-sonnet');
    expect(matchedModel('mistralai/Mixtral-8x7B-Instruct-v0.1')).toBe('mixtral-8x7b');
  });

  it('matches aliases, including host-specific model ids', () => {
    expect(matchedModel('claude-3.5-sonnet')).toBe('claude-3-5-sonnet');
    expect(matchedModel('deepseek-r1')).toBe('deepseek-reasoner');
    expect(table.find('llm', 'accounts/fireworks/models/llama-v3p1-70b-instruct')?.provider).toBe('fireworks');
    expect(table.find('llm', 'llama-3.3-70b-versatile')?.provider).toBe('groq');
    expect(matchedModel('eleven_turbo_v2', 'tts')).toBe('eleven_turbo_v2_5');
    expect(matchedModel('nova-2-phonecall', 'stt')).toBe('nova-2');
  });

  it('does not price another variant or a newer version as its base model', () => {
    expect(matchedModel('gpt-4o-super')).toBeUndefined();
    expect(matchedModel('gpt-4-32k')).toBeUndefined();
    expect(matchedModel('claude-opus-4-9')).toBeUndefined();
    expect(matchedModel('gemini-2.5-flash-image-preview')).toBeUndefined();
    expect(matchedModel('deepseek-r1-distill-llama-70b')).toBeUndefined();
  });

  it('returns undefined for an unknown model', () => {
    expect(table.find('llm', 'totally-unknown-model')).toBeUndefined();
    expect(table.find('llm', '')).toBeUndefined();
    expect(table.find('stt', 'gpt-4o')).toBeUndefined();
  });

  it('uses the provider hint to choose between hosts of the same model', () => {
    expect(table.find('llm', 'llama-3.3-70b')?.provider).toBe('together');
    expect(table.find('llm', 'llama-3.3-70b', 'groq')?.provider).toBe('groq');
    expect(table.find('llm', 'Llama-3.3-70B', 'Fireworks')?.provider).toBe('fireworks');
    expect(table.find('llm', 'deepseek-v3', 'together')?.usdPerMillionTokens.input).toBe(1.25);
  });

  it('still matches when the provider hint names no host of the model', () => {
    expect(matchedModel('gpt-4o', 'llm', 'azure.ai.openai')).toBe('gpt-4o');
    expect(matchedModel('claude-3-haiku-20240307', 'llm', 'aws.bedrock')).toBe('claude-3-haiku');
  });
});

describe('normalizeModelName', () => {
  it('lower-cases and strips paths, Bedrock prefixes and separators', () => {
    expect(normalizeModelName('OpenAI/GPT-4o')).toBe('gpt-4o');
    expect(normalizeModelName('eu.anthropic.claude-3-haiku-20240307-v1:0')).toBe('claude-3-haiku-20240307-v1:0');
    expect(normalizeModelName('claude-sonnet-4@20250514')).toBe('claude-sonnet-4-20250514');
    expect(normalizeModelName('eleven_flash_v2_5')).toBe('eleven-flash-v2-5');
  });
});
