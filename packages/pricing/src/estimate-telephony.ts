// Call-minute arithmetic: duration → billed minutes (the carrier's rounding) → USD. Pure; bad
// numbers give `undefined`, never a throw.
import { getDefaultPriceTable } from './price-table.js';
import type { PriceTable } from './price-table.js';
import type { TelephonyCostEstimate, TelephonyUsage } from './types.js';

const SECONDS_PER_MINUTE = 60;

/**
 * Estimates the USD cost of one call leg from `table` (default: the built-in prices).
 * `billedMinutes` (what the carrier billed) is priced as given; otherwise `durationSeconds` is
 * rounded up to the entry's `billingIncrementSeconds` and raised to its `minimumBilledSeconds`.
 * Returns `undefined` when the table has no price for the provider and direction (default
 * `inbound`), or when neither count is a finite number. Negative counts count as 0.
 */
export function estimateTelephonyCost(
  usage: TelephonyUsage,
  table: PriceTable = getDefaultPriceTable(),
): TelephonyCostEstimate | undefined {
  const entry = table.findTelephony(usage.provider, usage.direction ?? 'inbound', usage.product);
  if (!entry) return undefined;
  let billedMinutes: number;
  if (isFiniteNumber(usage.billedMinutes)) {
    billedMinutes = Math.max(0, usage.billedMinutes);
  } else if (isFiniteNumber(usage.durationSeconds)) {
    billedMinutes = toBilledSeconds(usage.durationSeconds, entry.billingIncrementSeconds, entry.minimumBilledSeconds) / SECONDS_PER_MINUTE;
  } else {
    return undefined;
  }
  return { kind: 'telephony', usd: billedMinutes * entry.usdPerMinute, billedMinutes, entry };
}

/** Seconds the carrier bills for a call of `durationSeconds`; a call that never connected costs nothing. */
function toBilledSeconds(durationSeconds: number, incrementSeconds: number, minimumSeconds = 0): number {
  // Durations come from span timestamps: drop float noise below a microsecond, or 120.0000000001 s
  // would be billed a third minute.
  const seconds = Math.round(Math.max(0, durationSeconds) * 1e6) / 1e6;
  if (seconds === 0) return 0;
  const increment = incrementSeconds > 0 ? incrementSeconds : 1;
  return Math.max(Math.ceil(seconds / increment) * increment, minimumSeconds);
}

// Counts come from telemetry and JavaScript callers: check the type, not just the value.
function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
