// Built-in LLM and embedding prices, USD per 1M tokens, standard (non-batch) tier.
// Data only. Compiled by hand from each provider's public pricing page; `asOf` is the date the
// figures were that page's list price. Approximate: check the source before billing anyone.
import type { LlmPriceEntry, LlmTokenPrices } from '../types.js';

type Extra = Pick<LlmPriceEntry, 'aliases' | 'note' | 'longContext'>;
interface Origin {
  provider: string;
  source: string;
  asOf: string;
}

function pricedBy(origin: Origin) {
  return (model: string, usdPerMillionTokens: LlmTokenPrices, extra: Extra = {}): LlmPriceEntry => ({
    kind: 'llm',
    model,
    ...origin,
    usdPerMillionTokens,
    ...extra,
  });
}

const openai = pricedBy({ provider: 'openai', source: 'https://platform.openai.com/docs/pricing', asOf: '2025-09-01' });
const anthropic = pricedBy({
  provider: 'anthropic',
  source: 'https://docs.anthropic.com/en/docs/about-claude/pricing',
  asOf: '2025-10-15',
});
const gemini = pricedBy({ provider: 'gcp.gemini', source: 'https://ai.google.dev/gemini-api/docs/pricing', asOf: '2025-10-01' });
const mistral = pricedBy({ provider: 'mistral_ai', source: 'https://mistral.ai/pricing#api-pricing', asOf: '2025-09-01' });
const deepseek = pricedBy({
  provider: 'deepseek',
  source: 'https://api-docs.deepseek.com/quick_start/pricing',
  asOf: '2025-09-29',
});
// Open-weight models: the price depends on the host, named by `provider` and `source`.
const together = pricedBy({ provider: 'together', source: 'https://www.together.ai/pricing', asOf: '2025-09-01' });
const groq = pricedBy({ provider: 'groq', source: 'https://groq.com/pricing', asOf: '2025-09-01' });
const fireworks = pricedBy({ provider: 'fireworks', source: 'https://fireworks.ai/pricing', asOf: '2025-09-01' });

// Claude Sonnet 4 / 4.5 with the 1M-token context: the whole request costs more above 200k input.
const SONNET_4_LONG_CONTEXT = {
  aboveInputTokens: 200_000,
  usdPerMillionTokens: { input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 7.5 },
};

/** Built-in LLM prices. The first entry under a name is the default when no provider is given. */
export const LLM_PRICES: readonly LlmPriceEntry[] = [
  // OpenAI
  openai('gpt-5', { input: 1.25, cacheRead: 0.125, output: 10 }, { aliases: ['gpt-5-codex'] }),
  openai('gpt-5-mini', { input: 0.25, cacheRead: 0.025, output: 2 }),
  openai('gpt-5-nano', { input: 0.05, cacheRead: 0.005, output: 0.4 }),
  openai('gpt-4.1', { input: 2, cacheRead: 0.5, output: 8 }),
  openai('gpt-4.1-mini', { input: 0.4, cacheRead: 0.1, output: 1.6 }),
  openai('gpt-4.1-nano', { input: 0.1, cacheRead: 0.025, output: 0.4 }),
  openai('gpt-4o', { input: 2.5, cacheRead: 1.25, output: 10 }),
  openai('gpt-4o-2024-05-13', { input: 5, output: 15 }, { note: 'First gpt-4o snapshot, priced above later ones.' }),
  openai('gpt-4o-mini', { input: 0.15, cacheRead: 0.075, output: 0.6 }),
  openai('gpt-4o-audio-preview', { input: 2.5, output: 10, audioInput: 40, audioOutput: 80 }),
  openai('gpt-4o-audio-preview-2024-10-01', { input: 2.5, output: 10, audioInput: 100, audioOutput: 200 }),
  openai('gpt-4o-mini-audio-preview', { input: 0.15, output: 0.6, audioInput: 10, audioOutput: 20 }),
  openai(
    'gpt-4o-realtime-preview',
    { input: 5, cacheRead: 2.5, output: 20, audioInput: 40, audioOutput: 80 },
    { note: 'Cached audio input is also $2.50/1M, so cache reads use one rate.' },
  ),
  openai('gpt-4o-realtime-preview-2024-10-01', { input: 5, cacheRead: 2.5, output: 20, audioInput: 100, audioOutput: 200 }),
  openai('gpt-4o-mini-realtime-preview', { input: 0.6, cacheRead: 0.3, output: 2.4, audioInput: 10, audioOutput: 20 }),
  openai('gpt-realtime', { input: 4, cacheRead: 0.4, output: 16, audioInput: 32, audioOutput: 64 }),
  // Token prices of the speech models, for callers that report tokens (see table/speech.ts for per-unit prices).
  openai('gpt-4o-transcribe', { input: 2.5, audioInput: 6, output: 10 }),
  openai('gpt-4o-mini-transcribe', { input: 1.25, audioInput: 3, output: 5 }),
  openai('gpt-4o-mini-tts', { input: 0.6, output: 12, audioOutput: 12 }),
  openai('o1', { input: 15, cacheRead: 7.5, output: 60 }),
  openai('o1-mini', { input: 1.1, cacheRead: 0.55, output: 4.4 }),
  openai('o3', { input: 2, cacheRead: 0.5, output: 8 }, { note: 'Price after the June 2025 reduction.' }),
  openai('o3-mini', { input: 1.1, cacheRead: 0.55, output: 4.4 }),
  openai('o4-mini', { input: 1.1, cacheRead: 0.275, output: 4.4 }),
  openai('gpt-4-turbo', { input: 10, output: 30 }, { aliases: ['gpt-4-1106-preview', 'gpt-4-0125-preview'] }),
  openai('gpt-4', { input: 30, output: 60 }),
  openai('gpt-3.5-turbo', { input: 0.5, output: 1.5 }, { note: 'Price of the 0125 snapshot; older snapshots cost more.' }),
  openai('gpt-3.5-turbo-instruct', { input: 1.5, output: 2 }),
  openai('text-embedding-3-small', { input: 0.02, output: 0 }),
  openai('text-embedding-3-large', { input: 0.13, output: 0 }),
  openai('text-embedding-ada-002', { input: 0.1, output: 0 }),

  // Anthropic: cacheWrite is the 5-minute cache write (1.25x input); 1-hour writes cost 2x input.
  anthropic('claude-opus-4-1', { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 }, {
    aliases: ['claude-opus-4.1', 'claude-4.1-opus'],
  }),
  anthropic('claude-opus-4', { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 }, {
    aliases: ['claude-opus-4-0', 'claude-4-opus'],
  }),
  anthropic('claude-sonnet-4-5', { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 }, {
    aliases: ['claude-sonnet-4.5', 'claude-4.5-sonnet'],
    longContext: SONNET_4_LONG_CONTEXT,
  }),
  anthropic('claude-sonnet-4', { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 }, {
    aliases: ['claude-sonnet-4-0', 'claude-4-sonnet'],
    longContext: SONNET_4_LONG_CONTEXT,
  }),
  anthropic('claude-3-7-sonnet', { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 }, { aliases: ['claude-3.7-sonnet'] }),
  anthropic('claude-3-5-sonnet', { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 }, { aliases: ['claude-3.5-sonnet'] }),
  anthropic('claude-3-sonnet', { input: 3, output: 15 }),
  anthropic('claude-haiku-4-5', { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 }, {
    aliases: ['claude-haiku-4.5', 'claude-4.5-haiku'],
  }),
  anthropic('claude-3-5-haiku', { input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1 }, { aliases: ['claude-3.5-haiku'] }),
  anthropic('claude-3-haiku', { input: 0.25, output: 1.25, cacheRead: 0.03, cacheWrite: 0.3 }),
  anthropic('claude-3-opus', { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 }),

  // Google Gemini API (Vertex AI lists the same token prices). Context-cache storage per hour is not included.
  gemini('gemini-2.5-pro', { input: 1.25, cacheRead: 0.125, output: 10 }, {
    longContext: { aboveInputTokens: 200_000, usdPerMillionTokens: { input: 2.5, cacheRead: 0.25, output: 15 } },
  }),
  gemini('gemini-2.5-flash', { input: 0.3, cacheRead: 0.03, output: 2.5, audioInput: 1 }),
  gemini(
    'gemini-2.5-flash-preview-04-17',
    { input: 0.15, output: 0.6, reasoning: 3.5, audioInput: 1 },
    { aliases: ['gemini-2.5-flash-preview-05-20'], note: 'Preview priced thinking output apart from non-thinking output.' },
  ),
  gemini('gemini-2.5-flash-lite', { input: 0.1, cacheRead: 0.01, output: 0.4, audioInput: 0.3 }),
  gemini('gemini-2.0-flash', { input: 0.1, cacheRead: 0.025, output: 0.4, audioInput: 0.7 }),
  gemini('gemini-2.0-flash-lite', { input: 0.075, output: 0.3 }),
  gemini('gemini-1.5-pro', { input: 1.25, cacheRead: 0.3125, output: 5 }, {
    longContext: { aboveInputTokens: 128_000, usdPerMillionTokens: { input: 2.5, cacheRead: 0.625, output: 10 } },
  }),
  gemini('gemini-1.5-flash', { input: 0.075, cacheRead: 0.01875, output: 0.3 }, {
    longContext: { aboveInputTokens: 128_000, usdPerMillionTokens: { input: 0.15, cacheRead: 0.0375, output: 0.6 } },
  }),
  gemini('gemini-1.5-flash-8b', { input: 0.0375, cacheRead: 0.01, output: 0.15 }, {
    longContext: { aboveInputTokens: 128_000, usdPerMillionTokens: { input: 0.075, cacheRead: 0.02, output: 0.3 } },
  }),
  gemini('gemini-embedding-001', { input: 0.15, output: 0 }),

  // Mistral (La Plateforme); `-latest` and dated ids (`mistral-large-2411`) match their family.
  mistral('mistral-large', { input: 2, output: 6 }),
  mistral('mistral-medium', { input: 0.4, output: 2 }, { note: 'Mistral Medium 3; the 2023 mistral-medium cost more.' }),
  mistral('mistral-small', { input: 0.1, output: 0.3 }),
  mistral('codestral', { input: 0.3, output: 0.9 }),
  mistral('open-mistral-nemo', { input: 0.15, output: 0.15 }, { aliases: ['mistral-nemo'] }),
  mistral('ministral-8b', { input: 0.1, output: 0.1 }),
  mistral('ministral-3b', { input: 0.04, output: 0.04 }),
  mistral('mistral-embed', { input: 0.1, output: 0 }),

  // DeepSeek API: cacheRead is the cache-hit price; both ids serve DeepSeek-V3.2-Exp since 2025-09-29.
  deepseek('deepseek-chat', { input: 0.28, cacheRead: 0.028, output: 0.42 }, { aliases: ['deepseek-v3'] }),
  deepseek('deepseek-reasoner', { input: 0.28, cacheRead: 0.028, output: 0.42 }, { aliases: ['deepseek-r1'] }),

  // Open-weight models on hosted APIs. Together is the default host; pass a provider to choose.
  together('llama-3.3-70b', { input: 0.88, output: 0.88 }, { aliases: ['llama-3.3-70b-instruct-turbo'] }),
  together('llama-3.1-8b', { input: 0.18, output: 0.18 }, {
    aliases: ['meta-llama-3.1-8b', 'meta-llama-3.1-8b-instruct-turbo'],
  }),
  together('llama-3.1-70b', { input: 0.88, output: 0.88 }, {
    aliases: ['meta-llama-3.1-70b', 'meta-llama-3.1-70b-instruct-turbo'],
  }),
  together('llama-3.1-405b', { input: 3.5, output: 3.5 }, {
    aliases: ['meta-llama-3.1-405b', 'meta-llama-3.1-405b-instruct-turbo'],
  }),
  together('mixtral-8x7b', { input: 0.6, output: 0.6 }),
  together('deepseek-v3', { input: 1.25, output: 1.25 }),
  together('deepseek-r1', { input: 3, output: 7 }),
  together('qwen-2.5-72b', { input: 1.2, output: 1.2 }, { aliases: ['qwen2.5-72b', 'qwen2.5-72b-instruct-turbo'] }),
  groq('llama-3.3-70b', { input: 0.59, output: 0.79 }, { aliases: ['llama-3.3-70b-versatile'] }),
  groq('llama-3.1-8b', { input: 0.05, output: 0.08 }, { aliases: ['llama-3.1-8b-instant'] }),
  fireworks('llama-3.3-70b', { input: 0.9, output: 0.9 }, { aliases: ['llama-v3p3-70b'] }),
  fireworks('llama-3.1-70b', { input: 0.9, output: 0.9 }, { aliases: ['llama-v3p1-70b'] }),
  fireworks('llama-3.1-8b', { input: 0.2, output: 0.2 }, { aliases: ['llama-v3p1-8b'] }),
  fireworks('llama-3.1-405b', { input: 3, output: 3 }, { aliases: ['llama-v3p1-405b'] }),
];
