// Token usage with OTel semantics (input includes cache; output includes reasoning), read
// through the ordered key lists of reference §3. Pure.
import type { AttributeMap } from '../../otlp/types.js';
import { asObject, getValue, readNumber, toNumber } from '../read/attributes.js';
import { SILENT_CHECK, type SpanValueCheck } from '../read/dropped-values.js';
import {
  AUDIO_INPUT_TOKEN_KEYS,
  AUDIO_OUTPUT_TOKEN_KEYS,
  CACHE_READ_TOKEN_KEYS,
  CACHE_WRITE_TOKEN_KEYS,
  INPUT_TOKEN_KEYS,
  OUTPUT_TOKEN_KEYS,
  REASONING_TOKEN_KEYS,
  TOTAL_TOKEN_KEYS,
} from '../read/keys.js';
import { LANGFUSE_USAGE_DETAILS_KEY, LANGFUSE_USAGE_FIELDS } from '../flavours/langfuse.js';
import type { TokenCounts } from '../rows.js';
import { SPAN_LIMITS } from '../units/column-range.js';
import { flavourSpec, type Flavour } from '../flavours/registry.js';

/** Token counts of one span with the keys they came from. */
export interface TokenUsage extends TokenCounts {
  /** Concept → attribute key it was read from (`input_tokens` → `gen_ai.usage.prompt_tokens`). */
  readonly sourceKeys: Readonly<Record<string, string>>;
  /** True when the source counted input without cache and cache tokens were added back. */
  readonly isInputCacheAdjusted: boolean;
}

/** Whether any token count at all was found. */
export function hasUsage(usage: TokenUsage): boolean {
  return usage.inputTokens !== undefined || usage.outputTokens !== undefined || usage.totalTokens !== undefined;
}

// Flavours whose input count leaves cache out declare it (`inputExcludesCacheFor`). Absent on
// purpose: OpenInference Anthropic, whose `llm.token_count.prompt` already includes cache (0.2.8
// sends 150 = 30 + 100 read + 20 write, test/fixtures/openinference) although reference §3 says
// otherwise, and `@anthropic-ai/sdk`'s own spans (150, test/fixtures/anthropic-sdk-native).
function isInputExcludingCache(flavour: Flavour, provider: string | undefined): boolean {
  return provider !== undefined && (flavourSpec(flavour)?.inputExcludesCacheFor?.includes(provider) ?? false);
}

/**
 * Reads usage. Sources that count input without cache (the flavours above, Langfuse
 * usage_details, any Anthropic span whose input is below its cache reads) get cache read and
 * write added back, so `inputTokens` always includes cache. A count over the per-span limit is
 * dropped (noted by `check`), and the next key of the list is tried.
 */
export function readUsage(attributes: AttributeMap, flavour: Flavour, provider: string | undefined, check: SpanValueCheck = SILENT_CHECK): TokenUsage {
  const sourceKeys: Record<string, string> = {};
  const pick = (concept: string, keys: readonly string[]): number | undefined => {
    for (const key of keys) {
      const value = checkedCount(check, key, readTokenCount(attributes, key));
      if (value === undefined) continue;
      sourceKeys[concept] = key;
      return value;
    }
    return undefined;
  };
  let inputTokens = pick('input_tokens', INPUT_TOKEN_KEYS);
  let outputTokens = pick('output_tokens', OUTPUT_TOKEN_KEYS);
  let cacheReadTokens = pick('cache_read_tokens', CACHE_READ_TOKEN_KEYS);
  let cacheWriteTokens = pick('cache_write_tokens', CACHE_WRITE_TOKEN_KEYS);
  let isExcludingCache = isInputExcludingCache(flavour, provider) && inputTokens !== undefined;

  const langfuse = readLangfuseUsage(attributes, check);
  if (langfuse !== undefined) {
    const fill = (concept: string, current: number | undefined, value: number | undefined): number | undefined => {
      if (current !== undefined || value === undefined) return current;
      sourceKeys[concept] = `${LANGFUSE_USAGE_DETAILS_KEY}.${concept}`;
      return value;
    };
    if (inputTokens === undefined && langfuse.input !== undefined) isExcludingCache = true;
    inputTokens = fill('input_tokens', inputTokens, langfuse.input);
    outputTokens = fill('output_tokens', outputTokens, langfuse.output);
    cacheReadTokens = fill('cache_read_tokens', cacheReadTokens, langfuse.cacheRead);
    cacheWriteTokens = fill('cache_write_tokens', cacheWriteTokens, langfuse.cacheWrite);
  }
  // Rough check from the reference: Anthropic input below its cache reads cannot include them.
  if (!isExcludingCache && provider === 'anthropic' && inputTokens !== undefined && cacheReadTokens !== undefined) {
    isExcludingCache = inputTokens < cacheReadTokens;
  }
  let totalTokens = pick('total_tokens', TOTAL_TOKEN_KEYS);
  if (isExcludingCache && inputTokens !== undefined) {
    const cacheTokens = (cacheReadTokens ?? 0) + (cacheWriteTokens ?? 0);
    // A total made of the same raw input (OpenLLMetry: 42 = 30 + 12) leaves cache out too.
    if (totalTokens !== undefined && totalTokens === inputTokens + (outputTokens ?? 0)) totalTokens += cacheTokens;
    inputTokens += cacheTokens;
  }
  return {
    inputTokens,
    outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    reasoningTokens: pick('reasoning_tokens', REASONING_TOKEN_KEYS),
    audioInputTokens: pick('audio_input_tokens', AUDIO_INPUT_TOKEN_KEYS),
    audioOutputTokens: pick('audio_output_tokens', AUDIO_OUTPUT_TOKEN_KEYS),
    totalTokens: totalTokens ?? sumIfAny(inputTokens, outputTokens),
    sourceKeys,
    isInputCacheAdjusted: isExcludingCache,
  };
}

/** A token count: a non-negative number, rounded to an integer. */
export function readTokenCount(attributes: AttributeMap, key: string): number | undefined {
  return toTokenCount(readNumber(attributes, key));
}

function toTokenCount(value: number | undefined): number | undefined {
  return value === undefined || value < 0 ? undefined : Math.round(value);
}

function checkedCount(check: SpanValueCheck, key: string, count: number | undefined): number | undefined {
  return check.atMost(key, count, SPAN_LIMITS.tokens, 'tokens');
}

interface LangfuseUsage {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
}

function readLangfuseUsage(attributes: AttributeMap, check: SpanValueCheck): LangfuseUsage | undefined {
  const details = asObject(getValue(attributes, LANGFUSE_USAGE_DETAILS_KEY));
  if (details === undefined) return undefined;
  const read = (field: string): number | undefined =>
    checkedCount(check, `${LANGFUSE_USAGE_DETAILS_KEY}.${field}`, toTokenCount(toNumber(details[field])));
  return {
    ...optional('input', read(LANGFUSE_USAGE_FIELDS.input)),
    ...optional('output', read(LANGFUSE_USAGE_FIELDS.output)),
    ...optional('cacheRead', read(LANGFUSE_USAGE_FIELDS.cacheRead)),
    ...optional('cacheWrite', read(LANGFUSE_USAGE_FIELDS.cacheWrite)),
  };
}

function optional<K extends string>(key: K, value: number | undefined): { [P in K]?: number } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: number };
}

function sumIfAny(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
}

