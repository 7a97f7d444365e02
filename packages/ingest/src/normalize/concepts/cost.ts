// Cost in USD: the cost a span reports (ours, Langfuse, OpenLIT, OpenInference), else one
// computed from the shared price table. Which of the two, and from which key, is recorded.
// Pure: the price table is in memory.
import { estimateCost, type Usage } from '@convotel/pricing';
import { ATTR_CONVOTEL_COST_SOURCE } from '@convotel/semconv';
import type { AttributeMap } from '../../otlp/types.js';
import { asObject, getValue, readNumber, readString, toNumber, type Found } from '../read/attributes.js';
import type { SpanValueCheck } from '../read/dropped-values.js';
import { REPORTED_COST_KEYS } from '../read/keys.js';
import { LANGFUSE_COST_DETAILS_KEY } from '../flavours/langfuse.js';
import { OPENINFERENCE_COST_PARTS_KEYS, OPENINFERENCE_COST_TOTAL_KEY } from '../flavours/openinference.js';
import { OPENLIT_COST_KEY } from '../flavours/openlit.js';
import { SPAN_LIMITS } from '../units/column-range.js';

/** What `@convotel/pricing`'s `estimateCost` accepts: LLM tokens, STT seconds or TTS characters. */
export type CostUsage = Usage;

/** Prices one call; `undefined` when the model has no price. */
export type CostEstimator = (usage: CostUsage) => { readonly usd: number } | undefined;

/** Prices with the shared built-in price table of `@convotel/pricing`. */
export const estimateWithPriceTable: CostEstimator = (usage) => estimateCost(usage);

/** `reported`: the span carried the cost; `computed`: priced at ingest. */
export type CostSource = 'reported' | 'computed';

/** A span cost in USD, its source and the key (or `price_table`) it came from. */
export interface Cost {
  readonly usd: number;
  readonly source: CostSource;
  /** The attribute key of a reported cost, or `price_table`. */
  readonly key: string;
}

/** `source_keys.cost_usd` value of computed costs. */
export const PRICE_TABLE_SOURCE_KEY = 'price_table';

/** A cost the span itself reports, first usable key wins (one over the per-span limit is dropped, noted by `check`). */
export function readReportedCost(attributes: AttributeMap, check: SpanValueCheck): Found<number> | undefined {
  for (const key of REPORTED_COST_KEYS) {
    const usd = toUsd(check, key, readNumber(attributes, key));
    if (usd !== undefined) return { value: usd, key };
  }
  const details = asObject(getValue(attributes, LANGFUSE_COST_DETAILS_KEY));
  if (details !== undefined) {
    const totalKey = `${LANGFUSE_COST_DETAILS_KEY}.total`;
    const total = toUsd(check, totalKey, toNumber(details['total']));
    if (total !== undefined) return { value: total, key: totalKey };
    const parts = Object.values(details).map(toNumber).filter((part): part is number => part !== undefined);
    const sum = toUsd(check, LANGFUSE_COST_DETAILS_KEY, parts.length === 0 ? undefined : parts.reduce((a, b) => a + b, 0));
    if (sum !== undefined) return { value: sum, key: LANGFUSE_COST_DETAILS_KEY };
  }
  for (const key of [OPENLIT_COST_KEY, OPENINFERENCE_COST_TOTAL_KEY]) {
    const usd = toUsd(check, key, readNumber(attributes, key));
    if (usd !== undefined) return { value: usd, key };
  }
  const [promptKey, completionKey] = OPENINFERENCE_COST_PARTS_KEYS;
  const partsKey = `${promptKey}+${completionKey}`;
  const prompt = toUsd(check, promptKey, readNumber(attributes, promptKey));
  const completion = toUsd(check, completionKey, readNumber(attributes, completionKey));
  if (prompt !== undefined || completion !== undefined) {
    const usd = toUsd(check, partsKey, (prompt ?? 0) + (completion ?? 0));
    if (usd !== undefined) return { value: usd, key: partsKey };
  }
  return undefined;
}

/** How a computed cost is named where it is dropped. */
const COMPUTED_COST_LABEL = 'cost computed from the price table';

/**
 * The span's cost: reported if it carries one, else computed for the first of `models` the
 * price table knows (response model before request model). Undefined when neither works. A
 * cost over the per-span limit is dropped (noted by `check`).
 */
export function toCost(
  attributes: AttributeMap,
  models: readonly (string | undefined)[],
  toUsage: (model: string) => CostUsage | undefined,
  estimate: CostEstimator,
  check: SpanValueCheck,
): Cost | undefined {
  const reported = readReportedCost(attributes, check);
  if (reported !== undefined) return { usd: reported.value, source: 'reported', key: reported.key };
  for (let i = 0; i < models.length; i += 1) {
    const model = models[i];
    // Each model once: the response and request model are often the same.
    if (model === undefined || models.indexOf(model) < i) continue;
    const usage = toUsage(model);
    const estimated = usage === undefined ? undefined : estimate(usage);
    const usd = toUsd(check, COMPUTED_COST_LABEL, estimated?.usd);
    if (usd !== undefined) return { usd, source: 'computed', key: PRICE_TABLE_SOURCE_KEY };
  }
  return undefined;
}

/** What our SDK said of its own reported cost (`computed` when it priced the call itself). */
export function readReportedCostOrigin(attributes: AttributeMap): string | undefined {
  return readString(attributes, ATTR_CONVOTEL_COST_SOURCE);
}

/** A usable USD amount: not negative (dropped silently), at most the per-span limit and finite (else dropped and noted). */
function toUsd(check: SpanValueCheck, key: string, value: number | undefined): number | undefined {
  return value === undefined || value < 0 ? undefined : check.atMost(key, value, SPAN_LIMITS.costUsd, 'USD');
}
