// Public surface of @convotel/pricing: named exports only, so every addition is deliberate.
export { estimateCost } from './estimate.js';
export { estimateTelephonyCost } from './estimate-telephony.js';
export { createPriceTable, getDefaultPriceTable } from './price-table.js';
export type { CreatePriceTableOptions, PriceTable } from './price-table.js';
export { loadPriceFile } from './load-file.js';
export { parsePriceEntries } from './parse-entries.js';
export { normalizeModelName } from './match.js';
export { PriceTableError } from './errors.js';
export type { PriceTableErrorCode } from './errors.js';
export type {
  CostEstimate,
  LlmCostBreakdown,
  LlmCostEstimate,
  LlmPriceEntry,
  LlmTokenPrices,
  LlmUsage,
  LongContextPrices,
  PriceEntry,
  PriceEntryByKind,
  PriceEntryCommon,
  PriceEntryInput,
  PriceKind,
  SttCostEstimate,
  SttPriceEntry,
  SttPriceInput,
  SttUsage,
  TelephonyCostEstimate,
  TelephonyDirection,
  TelephonyPriceEntry,
  TelephonyUsage,
  TtsCostEstimate,
  TtsPriceEntry,
  TtsUsage,
  Usage,
} from './types.js';
