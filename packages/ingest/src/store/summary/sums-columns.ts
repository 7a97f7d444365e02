// The counter columns that `traces` and `conversations` share: how a `Sums` is written to them
// and read back. One list, so the two tables cannot drift apart.
import { saturateInt32, saturateInt64, saturateMoney } from '../../normalize/units/column-range.js';
import { decimalToPicos, type Picos } from '../../normalize/units/money.js';
import type { BulkColumn } from '@convotel/store';
import { readInt } from '../columns/from-sql.js';
import { money } from '../columns/to-sql.js';
import { totalCostPicos, type Sums } from './sums.js';

type SumsColumn = BulkColumn<{ readonly sums: Sums }>;

// Sums saturate at their column's maximum: a turn or conversation that reached it keeps taking
// spans (its sum is then a floor) instead of failing every batch that adds to it.
const int32 = (get: (sums: Sums) => number) => (s: { readonly sums: Sums }) => saturateInt32(get(s.sums));
const int64 = (get: (sums: Sums) => number) => (s: { readonly sums: Sums }) => saturateInt64(get(s.sums));
const usd = (get: (sums: Sums) => Picos) => (s: { readonly sums: Sums }) => money(saturateMoney(get(s.sums)));

/** Counter columns of both tables. */
export const SUMS_COLUMNS: readonly SumsColumn[] = [
  { name: 'llm_calls', type: 'integer', get: int32((s) => s.llmCalls) },
  { name: 'input_tokens', type: 'bigint', get: int64((s) => s.inputTokens) },
  { name: 'output_tokens', type: 'bigint', get: int64((s) => s.outputTokens) },
  { name: 'cache_read_tokens', type: 'bigint', get: int64((s) => s.cacheReadTokens) },
  { name: 'cache_write_tokens', type: 'bigint', get: int64((s) => s.cacheWriteTokens) },
  { name: 'reasoning_tokens', type: 'bigint', get: int64((s) => s.reasoningTokens) },
  { name: 'llm_cost_usd', type: 'numeric', get: usd((s) => s.llmCostPicos) },
  { name: 'stt_cost_usd', type: 'numeric', get: usd((s) => s.sttCostPicos) },
  { name: 'tts_cost_usd', type: 'numeric', get: usd((s) => s.ttsCostPicos) },
  { name: 'other_cost_usd', type: 'numeric', get: usd((s) => s.otherCostPicos) },
  { name: 'cost_usd', type: 'numeric', get: usd(totalCostPicos) },
  { name: 'llm_errors', type: 'integer', get: int32((s) => s.llmErrors) },
  { name: 'sql_queries', type: 'integer', get: int32((s) => s.sqlQueries) },
  { name: 'sql_rows', type: 'bigint', get: int64((s) => s.sqlRows) },
];

/** Counter columns only `traces` has (a conversation counts turns, not steps). */
export const TRACE_ONLY_SUMS_COLUMNS: readonly SumsColumn[] = [
  { name: 'billable_calls', type: 'integer', get: int32((s) => s.billableCalls) },
  { name: 'steps', type: 'integer', get: int32((s) => s.steps) },
  { name: 'step_errors', type: 'integer', get: int32((s) => s.stepErrors) },
];

/** The names of these counter columns that `readSums` reads back (the total `cost_usd` is computed from its parts). */
export function readSumsColumns(columns: readonly SumsColumn[]): string[] {
  return columns.map((column) => column.name).filter((name) => name !== 'cost_usd');
}

/** The counters of a selected row; a column the table lacks reads as 0. */
export function readSums(row: Readonly<Record<string, unknown>>): Sums {
  return {
    llmCalls: readInt(row['llm_calls']) ?? 0,
    billableCalls: readInt(row['billable_calls']) ?? 0,
    inputTokens: readInt(row['input_tokens']) ?? 0,
    outputTokens: readInt(row['output_tokens']) ?? 0,
    cacheReadTokens: readInt(row['cache_read_tokens']) ?? 0,
    cacheWriteTokens: readInt(row['cache_write_tokens']) ?? 0,
    reasoningTokens: readInt(row['reasoning_tokens']) ?? 0,
    llmCostPicos: decimalToPicos(String(row['llm_cost_usd'] ?? '0')),
    sttCostPicos: decimalToPicos(String(row['stt_cost_usd'] ?? '0')),
    ttsCostPicos: decimalToPicos(String(row['tts_cost_usd'] ?? '0')),
    otherCostPicos: decimalToPicos(String(row['other_cost_usd'] ?? '0')),
    llmErrors: readInt(row['llm_errors']) ?? 0,
    steps: readInt(row['steps']) ?? 0,
    stepErrors: readInt(row['step_errors']) ?? 0,
    sqlQueries: readInt(row['sql_queries']) ?? 0,
    sqlRows: readInt(row['sql_rows']) ?? 0,
  };
}
