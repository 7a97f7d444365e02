// Money as exact integers: USD amounts are held as picodollars (1e-12 USD) in bigint, the scale
// of the numeric(24,12) cost columns, so sums are exact and independent of order. Pure.

const PICOS_PER_USD = 1_000_000_000_000n;
const SCALE_DIGITS = 12;

/** Picodollars. */
export type Picos = bigint;

/** A USD float rounded to the nearest picodollar. */
export function usdToPicos(usd: number): Picos {
  return BigInt(Math.round(usd * 1e12));
}

/** Exact decimal text for a numeric column (`0.000001250000`). */
export function picosToDecimal(picos: Picos): string {
  const sign = picos < 0n ? '-' : '';
  const abs = picos < 0n ? -picos : picos;
  return `${sign}${abs / PICOS_PER_USD}.${String(abs % PICOS_PER_USD).padStart(SCALE_DIGITS, '0')}`;
}

/** Parses numeric text (as Postgres returns it) into picodollars; extra digits are truncated. */
export function decimalToPicos(text: string | number): Picos {
  const value = String(text).trim();
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = value.replace(/^[-+]/, '').split('.');
  const picos = BigInt(whole === '' ? '0' : whole) * PICOS_PER_USD + BigInt(fraction.slice(0, SCALE_DIGITS).padEnd(SCALE_DIGITS, '0'));
  return negative ? -picos : picos;
}
