// Additive per-turn and per-conversation counters: integers and picodollars only, so adding
// and subtracting deltas is exact and order-free. Pure.
import type { Picos } from '../../normalize/units/money.js';

/** Per-turn (and per-conversation) counters. */
export interface Sums {
  /** `llm_calls` rows of the trace that count: billable calls, or the agent stand-in. */
  readonly llmCalls: number;
  /** Provider calls only (`billing = 'call'`). */
  readonly billableCalls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly reasoningTokens: number;
  readonly llmCostPicos: Picos;
  readonly sttCostPicos: Picos;
  readonly ttsCostPicos: Picos;
  readonly otherCostPicos: Picos;
  readonly llmErrors: number;
  readonly steps: number;
  readonly stepErrors: number;
  readonly sqlQueries: number;
  readonly sqlRows: number;
}

/** All counters zero. */
export const ZERO_SUMS: Sums = Object.freeze({
  llmCalls: 0,
  billableCalls: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  llmCostPicos: 0n,
  sttCostPicos: 0n,
  ttsCostPicos: 0n,
  otherCostPicos: 0n,
  llmErrors: 0,
  steps: 0,
  stepErrors: 0,
  sqlQueries: 0,
  sqlRows: 0,
});

/** `a + sign·b`, counter by counter. */
export function addSums(a: Sums, b: Sums, sign: 1 | -1 = 1): Sums {
  const big = BigInt(sign);
  return {
    llmCalls: a.llmCalls + sign * b.llmCalls,
    billableCalls: a.billableCalls + sign * b.billableCalls,
    inputTokens: a.inputTokens + sign * b.inputTokens,
    outputTokens: a.outputTokens + sign * b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + sign * b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + sign * b.cacheWriteTokens,
    reasoningTokens: a.reasoningTokens + sign * b.reasoningTokens,
    llmCostPicos: a.llmCostPicos + big * b.llmCostPicos,
    sttCostPicos: a.sttCostPicos + big * b.sttCostPicos,
    ttsCostPicos: a.ttsCostPicos + big * b.ttsCostPicos,
    otherCostPicos: a.otherCostPicos + big * b.otherCostPicos,
    llmErrors: a.llmErrors + sign * b.llmErrors,
    steps: a.steps + sign * b.steps,
    stepErrors: a.stepErrors + sign * b.stepErrors,
    sqlQueries: a.sqlQueries + sign * b.sqlQueries,
    sqlRows: a.sqlRows + sign * b.sqlRows,
  };
}

/** LLM + STT + TTS + other cost. */
export function totalCostPicos(sums: Sums): Picos {
  return sums.llmCostPicos + sums.sttCostPicos + sums.ttsCostPicos + sums.otherCostPicos;
}

/** Whether an `llm_calls` row counts in sums and rollups: not when another layer's row bills its call. */
export function isCountedCall(row: { readonly billing: string }): boolean {
  return row.billing !== 'duplicate';
}

/** What one `llm_calls` row adds to its turn (nothing for a duplicate). */
export function llmCallSums(row: {
  readonly billing: string;
  readonly inputTokens: number | undefined;
  readonly outputTokens: number | undefined;
  readonly cacheReadTokens: number | undefined;
  readonly cacheWriteTokens: number | undefined;
  readonly reasoningTokens: number | undefined;
  readonly costPicos: Picos | undefined;
  readonly status: string;
}): Sums {
  if (!isCountedCall(row)) return ZERO_SUMS;
  return {
    ...ZERO_SUMS,
    llmCalls: 1,
    billableCalls: row.billing === 'call' ? 1 : 0,
    inputTokens: row.inputTokens ?? 0,
    outputTokens: row.outputTokens ?? 0,
    cacheReadTokens: row.cacheReadTokens ?? 0,
    cacheWriteTokens: row.cacheWriteTokens ?? 0,
    reasoningTokens: row.reasoningTokens ?? 0,
    llmCostPicos: row.costPicos ?? 0n,
    llmErrors: row.status === 'error' ? 1 : 0,
  };
}

/** What one `steps` row adds to its turn. */
export function stepSums(row: { readonly costPicos: Picos | undefined; readonly costCategory: string | undefined; readonly status: string }): Sums {
  const cost = row.costPicos ?? 0n;
  return {
    ...ZERO_SUMS,
    steps: 1,
    stepErrors: row.status === 'error' ? 1 : 0,
    sttCostPicos: row.costCategory === 'stt' ? cost : 0n,
    ttsCostPicos: row.costCategory === 'tts' ? cost : 0n,
    otherCostPicos: row.costCategory === 'other' ? cost : 0n,
  };
}

/** What one `db_queries` row adds to its turn. */
export function dbQuerySums(row: { readonly returnedRows: number | undefined }): Sums {
  return { ...ZERO_SUMS, sqlQueries: 1, sqlRows: row.returnedRows ?? 0 };
}
