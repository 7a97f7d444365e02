// Durations, money, rates and counts as the tables show them. Missing figures (null: no
// samples) are shown as NONE everywhere.

/** Shown for a figure the API answered null (no samples). */
export const NONE = '—';

const isNumber = (value: number | null | undefined): value is number => typeof value === 'number' && Number.isFinite(value);

/** `1234.0` (ms, one decimal), for columns headed "(ms)". */
export function formatMs(ms: number | null | undefined): string {
  return isNumber(ms) ? ms.toFixed(1) : NONE;
}

/** `12.345` (seconds, three decimals), for columns headed "(s)". */
export function formatSeconds(ms: number | null | undefined): string {
  return isNumber(ms) ? (ms / 1000).toFixed(3) : NONE;
}

/** `3.567s (3567.0ms)`, a step's duration in the seed session's form. */
export function formatSecondsAndMs(ms: number | null | undefined): string {
  return isNumber(ms) ? `${formatSeconds(ms)}s (${formatMs(ms)}ms)` : NONE;
}

/** A duration for people: `850ms`, `6.86s`, `2m 03s`, `1h 02m`. */
export function formatDuration(ms: number | null | undefined): string {
  if (!isNumber(ms)) return NONE;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)}s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)}m ${String(totalSeconds % 60).padStart(2, '0')}s`;
  const totalMinutes = Math.round(totalSeconds / 60);
  return `${Math.floor(totalMinutes / 60)}h ${String(totalMinutes % 60).padStart(2, '0')}m`;
}

/** US dollars with the precision their size needs: `$12.34`, `$0.0123`, `$0.000012`, `$0`. */
export function formatUsd(usd: number | null | undefined): string {
  if (!isNumber(usd)) return NONE;
  if (usd === 0) return '$0';
  const magnitude = Math.abs(usd);
  // Cents for dollars; four decimals for most calls and turns; six for a cheap call.
  const digits = magnitude >= 1 ? 2 : magnitude >= 0.0001 ? 4 : 6;
  return `${usd < 0 ? '-' : ''}$${magnitude.toFixed(digits)}`;
}

/** A rate (0…1) as `25.00%`. */
export function formatRate(fraction: number | null | undefined): string {
  return isNumber(fraction) ? `${(fraction * 100).toFixed(2)}%` : NONE;
}

/** A share (0…1) as a whole percent: `52%`. */
export function formatShare(fraction: number | null | undefined): string {
  return isNumber(fraction) ? `${Math.round(fraction * 100)}%` : NONE;
}

/** A whole count with thousands separators: `1,234,567`. */
export function formatCount(count: number | null | undefined): string {
  return isNumber(count) ? count.toLocaleString('en-US') : NONE;
}

/** A signed change: `-587.3ms`, `+12.0ms`. */
export function formatDeltaMs(ms: number | null | undefined): string {
  return isNumber(ms) ? `${ms > 0 ? '+' : ''}${ms.toFixed(1)}ms` : NONE;
}

/** A signed percent change: `-17.2%`. */
export function formatDeltaPct(percent: number | null | undefined): string {
  return isNumber(percent) ? `${percent > 0 ? '+' : ''}${percent.toFixed(1)}%` : NONE;
}

/** Bytes for people: `512 B`, `1.5 KiB`, `12.3 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
