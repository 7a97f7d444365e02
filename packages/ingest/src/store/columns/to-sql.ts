// Row values → SQL values (parameters or COPY text), one function per column type. Times are
// microseconds, money is picodollars, both bigint: they go out as exact text. Pure.
import type { Json } from '../../normalize/rows.js';
import { picosToDecimal, type Picos } from '../../normalize/units/money.js';
import { microsToTimestamp, type Micros } from '../../normalize/units/time.js';
import type { SqlValue } from '@convotel/store';

/** Optional text → SQL. */
export function text(value: string | undefined | null): SqlValue {
  return value ?? null;
}

/** Integer (number or bigint) → SQL. */
export function int(value: number | bigint | undefined | null): SqlValue {
  if (value === undefined || value === null) return null;
  return typeof value === 'bigint' ? value.toString() : Math.trunc(value);
}

/** Finite float → SQL (NaN/∞ → NULL). */
export function float(value: number | undefined | null): SqlValue {
  return value === undefined || value === null || !Number.isFinite(value) ? null : value;
}

/** Optional boolean → SQL. */
export function bool(value: boolean | undefined | null): SqlValue {
  return value ?? null;
}

const ZERO_MONEY = picosToDecimal(0n);

/** Picodollars → exact numeric text. */
export function money(value: Picos | undefined | null): SqlValue {
  if (value === undefined || value === null) return null;
  // Most STT, TTS and other cost sums are zero: skip the bigint division.
  return value === 0n ? ZERO_MONEY : picosToDecimal(value);
}

const MICROS_PER_DAY = 86_400_000_000;
const MICROS_PER_MINUTE = 60_000_000;
const MINUTES_PER_DAY = 1440;
const TWO_DIGITS: readonly string[] = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
// Rows of a batch share a few days and minutes: `YYYY-MM-DD HH:MM:` is formatted once per minute.
let cachedDay = Number.NaN;
let cachedDayText = '';
let cachedMinute = Number.NaN;
let cachedMinuteText = '';

/**
 * Microseconds → timestamptz text (`2026-03-01 10:00:00.123456+00`), exact to the µs. Integer
 * arithmetic on a double (exact below 2^53 µs, year 2255) instead of BigInt and `Date` per
 * value: this runs for every time column of every row.
 */
export function timestamp(value: Micros | undefined | null): SqlValue {
  if (value === undefined || value === null) return null;
  const micros = Number(value);
  if (!Number.isSafeInteger(micros)) return microsToTimestamp(value);
  const minute = Math.floor(micros / MICROS_PER_MINUTE);
  if (minute !== cachedMinute) {
    const day = Math.floor(micros / MICROS_PER_DAY);
    if (day !== cachedDay) {
      const date = new Date(day * 86_400_000).toISOString();
      // Years beyond 4 digits come out as ±YYYYYY: leave those to the general formatter.
      if (date.length !== 24) return microsToTimestamp(value);
      cachedDay = day;
      cachedDayText = date.slice(0, 10);
    }
    const minuteOfDay = minute - day * MINUTES_PER_DAY;
    cachedMinute = minute;
    cachedMinuteText = `${cachedDayText} ${TWO_DIGITS[Math.floor(minuteOfDay / 60)] as string}:${TWO_DIGITS[minuteOfDay % 60] as string}:`;
  }
  const rest = micros - minute * MICROS_PER_MINUTE;
  const seconds = Math.floor(rest / 1_000_000);
  // 1_000_000 + fraction has seven digits: dropping the first leaves the zero-padded six.
  return `${cachedMinuteText}${TWO_DIGITS[seconds] as string}.${String(1_000_000 + rest - seconds * 1_000_000).slice(1)}+00`;
}

/** Any JSON value → text for jsonb. */
export function json(value: Json | readonly unknown[] | object | undefined | null): SqlValue {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** Milliseconds with µs precision as a JS number (display columns). */
export function millis(micros: bigint): SqlValue {
  return Number(micros) / 1000;
}
