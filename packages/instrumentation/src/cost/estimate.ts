import { diag } from '@opentelemetry/api';
import { createPriceTable, estimateCost, loadPriceFile, type PriceTable } from '@convotel/pricing';
import { getActiveConfig, type ResolvedConfig } from '../config.js';
import type { LlmUsage } from '../types.js';

let table: PriceTable | undefined;
let tableConfig: ResolvedConfig | undefined;

/** The built-in prices merged with the configured ones; rebuilt only when the configuration changes. */
function getPriceTable(): PriceTable | undefined {
  const config = getActiveConfig();
  if (tableConfig === config) return table;
  tableConfig = config;
  table = undefined;
  if (config.prices === undefined && config.priceFile === undefined) return undefined;
  try {
    const entries = [...(config.priceFile ? loadPriceFile(config.priceFile) : []), ...(config.prices ?? [])];
    table = createPriceTable({ entries, extend: true });
  } catch (err) {
    diag.warn('convotel: custom prices ignored', err);
  }
  return table;
}

/** Cost in USD of an LLM call's usage, or undefined when the model has no price. */
export function estimateLlmCost(
  provider: string,
  model: string,
  usage: LlmUsage,
  fallbackModel?: string,
): number | undefined {
  const priceTable = getPriceTable();
  const input = { kind: 'llm' as const, provider, ...usage };
  const estimate =
    estimateCost({ ...input, model }, priceTable) ??
    (fallbackModel !== undefined && fallbackModel !== model
      ? estimateCost({ ...input, model: fallbackModel }, priceTable)
      : undefined);
  return estimate?.usd;
}

/** Cost in USD of a speech step: STT per audio second, TTS per character. */
export function estimateSpeechCost(
  kind: 'stt' | 'tts',
  provider: string | undefined,
  model: string,
  amount: number,
): number | undefined {
  const priceTable = getPriceTable();
  const estimate =
    kind === 'stt'
      ? estimateCost({ kind, provider, model, audioSeconds: amount }, priceTable)
      : estimateCost({ kind, provider, model, characters: amount }, priceTable);
  return estimate?.usd;
}
