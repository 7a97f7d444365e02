// Cost arithmetic: usage × price. Pure; bad numbers give `undefined` or 0, never a throw.
import { getDefaultPriceTable } from './price-table.js';
import type { PriceTable } from './price-table.js';
import type {
  CostEstimate,
  LlmCostEstimate,
  LlmPriceEntry,
  LlmTokenPrices,
  LlmUsage,
  SttCostEstimate,
  SttUsage,
  TtsCostEstimate,
  TtsUsage,
  Usage,
} from './types.js';

const PER_MILLION = 1_000_000;

/**
 * Estimates the USD cost of one LLM, STT or TTS call from `table` (default: the built-in
 * prices). Returns `undefined` when no price matches the model or a count is not a finite
 * number. Negative counts (and cache or reasoning counts larger than their totals) are
 * clamped so that no component is ever negative.
 */
export function estimateCost(usage: LlmUsage, table?: PriceTable): LlmCostEstimate | undefined;
export function estimateCost(usage: SttUsage, table?: PriceTable): SttCostEstimate | undefined;
export function estimateCost(usage: TtsUsage, table?: PriceTable): TtsCostEstimate | undefined;
export function estimateCost(usage: Usage, table?: PriceTable): CostEstimate | undefined;
export function estimateCost(usage: Usage, table: PriceTable = getDefaultPriceTable()): CostEstimate | undefined {
  switch (usage.kind) {
    case 'llm':
      return estimateLlmCost(usage, table);
    case 'stt':
      return estimateSttCost(usage, table);
    case 'tts':
      return estimateTtsCost(usage, table);
    default:
      return undefined; // JavaScript callers may pass any kind
  }
}

function estimateLlmCost(usage: LlmUsage, table: PriceTable): LlmCostEstimate | undefined {
  const counts = [
    usage.inputTokens,
    usage.outputTokens,
    usage.cacheReadInputTokens ?? 0,
    usage.cacheWriteInputTokens ?? 0,
    usage.reasoningOutputTokens ?? 0,
    usage.audioInputTokens ?? 0,
    usage.audioOutputTokens ?? 0,
  ];
  if (!counts.every(isFiniteNumber)) return undefined;
  const [input, output, cacheRead, cacheWrite, reasoning, audioInput, audioOutput] = counts.map(clampNegative);
  const entry = table.find('llm', usage.model, usage.provider);
  if (!entry) return undefined;

  const rates = ratesFor(entry, input);
  // OTel counts: input includes cached and audio input; output includes reasoning and audio output.
  const breakdown = {
    input: (Math.max(0, input - cacheRead - cacheWrite - audioInput) * rates.input) / PER_MILLION,
    cacheRead: (cacheRead * (rates.cacheRead ?? rates.input)) / PER_MILLION,
    cacheWrite: (cacheWrite * (rates.cacheWrite ?? rates.input)) / PER_MILLION,
    audioInput: (audioInput * (rates.audioInput ?? rates.input)) / PER_MILLION,
    output: (Math.max(0, output - reasoning - audioOutput) * rates.output) / PER_MILLION,
    reasoning: (reasoning * (rates.reasoning ?? rates.output)) / PER_MILLION,
    audioOutput: (audioOutput * (rates.audioOutput ?? rates.output)) / PER_MILLION,
  };
  return { kind: 'llm', usd: sum(Object.values(breakdown)), model: entry.model, provider: entry.provider, breakdown };
}

function estimateSttCost(usage: SttUsage, table: PriceTable): SttCostEstimate | undefined {
  if (!isFiniteNumber(usage.audioSeconds)) return undefined;
  const seconds = clampNegative(usage.audioSeconds);
  const entry = table.find('stt', usage.model, usage.provider);
  if (!entry) return undefined;
  const usdPerSecond = usage.isStreaming === true ? (entry.streamingUsdPerSecond ?? entry.usdPerSecond) : entry.usdPerSecond;
  const audio = seconds * usdPerSecond;
  return { kind: 'stt', usd: audio, model: entry.model, provider: entry.provider, breakdown: { audio } };
}

function estimateTtsCost(usage: TtsUsage, table: PriceTable): TtsCostEstimate | undefined {
  if (!isFiniteNumber(usage.characters)) return undefined;
  const characters = clampNegative(usage.characters);
  const entry = table.find('tts', usage.model, usage.provider);
  if (!entry) return undefined;
  const usd = (characters * entry.usdPerMillionCharacters) / PER_MILLION;
  return { kind: 'tts', usd, model: entry.model, provider: entry.provider, breakdown: { characters: usd } };
}

/** Base rates, replaced by the long-context rates when the prompt is past the threshold. */
function ratesFor(entry: LlmPriceEntry, inputTokens: number): LlmTokenPrices {
  const tier = entry.longContext;
  if (!tier || inputTokens <= tier.aboveInputTokens) return entry.usdPerMillionTokens;
  return { ...entry.usdPerMillionTokens, ...tier.usdPerMillionTokens };
}

// Counts come from telemetry and JavaScript callers: check the type, not just the value.
function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function clampNegative(count: number): number {
  return Math.max(0, count);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
