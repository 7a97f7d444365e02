// How the analysis pages format figures, written out again for the tests (tests import nothing
// from the app): a page's cell is compared with the API's figure formatted here.
const EMPTY = '—';

export function millis(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return EMPTY;
  if (ms === 0) return '0 ms';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function usd(value: number | null | undefined): string {
  if (value === null || value === undefined) return EMPTY;
  if (value === 0) return '$0';
  if (Math.abs(value) < 0.01) return `$${value.toFixed(5)}`;
  if (Math.abs(value) < 100) return `$${value.toFixed(3)}`;
  return `$${value.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
}

export function ratio(value: number | null | undefined): string {
  return value === null || value === undefined ? EMPTY : `${(value * 100).toFixed(1)}%`;
}

export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? EMPTY : value.toLocaleString('en-US');
}
