// What the numeric column types of packages/store/migrations/0001_init.sql hold, and how much one span may
// add to a sum. Postgres refuses a whole COPY for one value out of range, so normalization
// checks every number it writes against these (dropped-values.ts), and the store saturates
// sums at the maxima instead of overflowing. Pure.

/** `integer`. */
export const INT32_MIN = -2_147_483_648;
export const INT32_MAX = 2_147_483_647;

/** `bigint`. */
export const INT64_MAX = 9_223_372_036_854_775_807n;
// As doubles: 2^63 is the first value out of range (INT64_MAX itself rounds up to it).
const INT64_LIMIT = 2 ** 63;

/** `numeric(24,12)` (money): 12 digits before the point, in picodollars. */
export const MONEY_MAX_PICOS = 10n ** 24n - 1n;

/** `numeric(24,3)` (latency sums in ms): 21 digits before the point, in µs. */
export const MILLIS_SUM_MAX_MICROS = 10n ** 24n - 1n;

/**
 * The most one span may add to a sum. Each is far beyond any real call, so only a sender's
 * mistake (a unit mix-up, a counter sent in place of a count) goes over; and bounded terms
 * keep sums exact up to ~10^8 spans per conversation or hourly rollup row, where the store
 * saturates rather than fail.
 */
export const SPAN_LIMITS = {
  /** Tokens of one kind (input, output, cache, …) in one call: context windows hold ~10^7. */
  tokens: 1e10,
  /** USD of one span's cost, reported or computed: the priciest calls cost dollars, not millions. */
  costUsd: 1e6,
  /** Time to first token of one call, ms: ~4 months, beyond any request timeout. */
  ttftMs: 1e10,
} as const;

/** Column types a span number is written to. */
export type NumericColumn = 'integer' | 'bigint' | 'double precision';

/** Whether `value` (truncated for integer types, as the encoder writes it) fits a column of `type`. */
export function fitsColumn(type: NumericColumn, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  if (type === 'integer') return value > INT32_MIN - 1 && value < INT32_MAX + 1;
  if (type === 'bigint') return Math.abs(value) < INT64_LIMIT;
  return true;
}

/** `value` as an `integer` column takes it: clamped to its range (for counters that saturate). */
export function saturateInt32(value: number): number {
  return value > INT32_MAX ? INT32_MAX : value < INT32_MIN ? INT32_MIN : value;
}

/** `value` as a `bigint` column takes it: clamped to its range, as exact text when beyond a double's integers. */
export function saturateInt64(value: number): number | string {
  if (value >= INT64_LIMIT) return INT64_MAX.toString();
  if (value <= -INT64_LIMIT) return (-INT64_MAX - 1n).toString();
  return value;
}

/** Picodollars as a `numeric(24,12)` column takes them: clamped to its range. */
export function saturateMoney(picos: bigint): bigint {
  return clamp(picos, MONEY_MAX_PICOS);
}

/** A µs sum as a `numeric(24,3)` ms column takes it: clamped to its range. */
export function saturateMillisSum(micros: bigint): bigint {
  return clamp(micros, MILLIS_SUM_MAX_MICROS);
}

function clamp(value: bigint, max: bigint): bigint {
  return value > max ? max : value < -max ? -max : value;
}
