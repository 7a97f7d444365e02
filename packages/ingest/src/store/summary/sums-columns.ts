// The counter columns that `traces` and `conversations` share: how a `Sums` is written to them
// and read back. One list, so the two tables cannot drift apart.
import { decimalToPicos } from '../../normalize/units/money.js';
import type { BulkColumn } from '../store.js';
import { readInt } from '../write/db-values.js';
import { money } from '../write/encode.js';
import { totalCostPicos, type Sums } from './sums.js';

type SumsColumn = BulkColumn<{ readonly sums: Sums }>;

/** Counter columns of both tables. */
export const SUMS_COLUMNS: readonly SumsColumn[] = [
  { name: 'llm_calls', type: 'integer', get: (s) => s.sums.llmCalls },
  { name: 'input_tokens', type: 'bigint', get: (s) => s.sums.inputTokens },
  { name: 'output_tokens', type: 'bigint', get: (s) => s.sums.outputTokens },
  { name: 'cache_read_tokens', type: 'bigint', get: (s) => s.sums.cacheReadTokens },
  { name: 'cache_write_tokens', type: 'bigint', get: (s) => s.sums.cacheWriteTokens },
  { name: 'reasoning_tokens', type: 'bigint', get: (s) => s.sums.reasoningTokens },
  { name: 'llm_cost_usd', type: 'numeric', get: (s) => money(s.sums.llmCostPicos) },
  { name: 'stt_cost_usd', type: 'numeric', get: (s) => money(s.sums.sttCostPicos) },
  { name: 'tts_cost_usd', type: 'numeric', get: (s) => money(s.sums.ttsCostPicos) },
  { name: 'other_cost_usd', type: 'numeric', get: (s) => money(s.sums.otherCostPicos) },
  { name: 'cost_usd', type: 'numeric', get: (s) => money(totalCostPicos(s.sums)) },
  { name: 'llm_errors', type: 'integer', get: (s) => s.sums.llmErrors },
  { name: 'sql_queries', type: 'integer', get: (s) => s.sums.sqlQueries },
  { name: 'sql_rows', type: 'bigint', get: (s) => s.sums.sqlRows },
];

/** Counter columns only `traces` has (a conversation counts turns, not steps). */
export const TRACE_ONLY_SUMS_COLUMNS: readonly SumsColumn[] = [
  { name: 'billable_calls', type: 'integer', get: (s) => s.sums.billableCalls },
  { name: 'steps', type: 'integer', get: (s) => s.sums.steps },
  { name: 'step_errors', type: 'integer', get: (s) => s.sums.stepErrors },
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
