// The counter columns that `traces` and `conversations` share: how a `Sums` is written to them
// and read back. One list, so the two tables cannot drift apart.
import { bulkColumn, TRACES, type BulkColumn, type RowOf } from '@convotel/store';
import { saturateInt32, saturateInt64, saturateMoney } from '../../normalize/units/column-range.js';
import { decimalToPicos, type Picos } from '../../normalize/units/money.js';
import { money } from '../columns/to-sql.js';
import { totalCostPicos, type Sums } from './sums.js';

type SumsColumn = BulkColumn<{ readonly sums: Sums }>;

// Sums saturate at their column's maximum: a turn or conversation that reached it keeps taking
// spans (its sum is then a floor) instead of failing every batch that adds to it.
const int32 = (get: (sums: Sums) => number) => (s: { readonly sums: Sums }) => saturateInt32(get(s.sums));
const int64 = (get: (sums: Sums) => number) => (s: { readonly sums: Sums }) => saturateInt64(get(s.sums));
const usd = (get: (sums: Sums) => Picos) => (s: { readonly sums: Sums }) => money(saturateMoney(get(s.sums)));

// The same column specs on both tables (@convotel/store's shared group).
const c = TRACES.columns;

/** Counter columns of both tables. */
export const SUMS_COLUMNS: readonly SumsColumn[] = [
  bulkColumn(c.llmCalls, int32((s) => s.llmCalls)),
  bulkColumn(c.inputTokens, int64((s) => s.inputTokens)),
  bulkColumn(c.outputTokens, int64((s) => s.outputTokens)),
  bulkColumn(c.cacheReadTokens, int64((s) => s.cacheReadTokens)),
  bulkColumn(c.cacheWriteTokens, int64((s) => s.cacheWriteTokens)),
  bulkColumn(c.reasoningTokens, int64((s) => s.reasoningTokens)),
  bulkColumn(c.llmCostUsd, usd((s) => s.llmCostPicos)),
  bulkColumn(c.sttCostUsd, usd((s) => s.sttCostPicos)),
  bulkColumn(c.ttsCostUsd, usd((s) => s.ttsCostPicos)),
  bulkColumn(c.otherCostUsd, usd((s) => s.otherCostPicos)),
  bulkColumn(c.costUsd, usd(totalCostPicos)),
  bulkColumn(c.llmErrors, int32((s) => s.llmErrors)),
  bulkColumn(c.sqlQueries, int32((s) => s.sqlQueries)),
  bulkColumn(c.sqlRows, int64((s) => s.sqlRows)),
];

/** Counter columns only `traces` has (a conversation counts turns, not steps). */
export const TRACE_ONLY_SUMS_COLUMNS: readonly SumsColumn[] = [
  bulkColumn(c.billableCalls, int32((s) => s.billableCalls)),
  bulkColumn(c.steps, int32((s) => s.steps)),
  bulkColumn(c.stepErrors, int32((s) => s.stepErrors)),
];

/** The counters both tables have, as read back: the total `cost_usd` is computed from its parts. */
export const SUMS_KEYS = [
  'llmCalls',
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'reasoningTokens',
  'llmCostUsd',
  'sttCostUsd',
  'ttsCostUsd',
  'otherCostUsd',
  'llmErrors',
  'sqlQueries',
  'sqlRows',
] as const satisfies readonly (keyof typeof c)[];

/** The counters only `traces` has, as read back. */
export const TRACE_ONLY_SUMS_KEYS = ['billableCalls', 'steps', 'stepErrors'] as const satisfies readonly (keyof typeof c)[];

type SumsRow = RowOf<typeof c, (typeof SUMS_KEYS)[number]> & Partial<RowOf<typeof c, (typeof TRACE_ONLY_SUMS_KEYS)[number]>>;

/** The counters of a row read with {@link SUMS_KEYS} (and, on `traces`, {@link TRACE_ONLY_SUMS_KEYS}); a counter the table lacks is 0. */
export function readSums(row: SumsRow): Sums {
  return {
    llmCalls: row.llmCalls ?? 0,
    billableCalls: row.billableCalls ?? 0,
    inputTokens: Number(row.inputTokens ?? 0n),
    outputTokens: Number(row.outputTokens ?? 0n),
    cacheReadTokens: Number(row.cacheReadTokens ?? 0n),
    cacheWriteTokens: Number(row.cacheWriteTokens ?? 0n),
    reasoningTokens: Number(row.reasoningTokens ?? 0n),
    llmCostPicos: decimalToPicos(row.llmCostUsd ?? '0'),
    sttCostPicos: decimalToPicos(row.sttCostUsd ?? '0'),
    ttsCostPicos: decimalToPicos(row.ttsCostUsd ?? '0'),
    otherCostPicos: decimalToPicos(row.otherCostUsd ?? '0'),
    llmErrors: row.llmErrors ?? 0,
    steps: row.steps ?? 0,
    stepErrors: row.stepErrors ?? 0,
    sqlQueries: row.sqlQueries ?? 0,
    sqlRows: Number(row.sqlRows ?? 0n),
  };
}
