// Row values → SQL values (parameters or COPY text). Times are microseconds, money is
// picodollars, both bigint: they go out as exact text.
import type { Json } from '../../normalize/rows.js';
import { picosToDecimal, type Picos } from '../../normalize/units/money.js';
import { microsToTimestamp, type Micros } from '../../normalize/units/time.js';
import type { SqlValue } from '../store.js';

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

/** Picodollars → exact numeric text. */
export function money(value: Picos | undefined | null): SqlValue {
  return value === undefined || value === null ? null : picosToDecimal(value);
}

/** Microseconds → ISO timestamp text. */
export function timestamp(value: Micros | undefined | null): SqlValue {
  return value === undefined || value === null ? null : microsToTimestamp(value);
}

/** Any JSON value → text for jsonb. */
export function json(value: Json | readonly unknown[] | object | undefined | null): SqlValue {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** Milliseconds with µs precision as a JS number (display columns). */
export function millis(micros: bigint): SqlValue {
  return Number(micros) / 1000;
}

/**
 * One COPY text-format field: `\N` for NULL; backslash, newline, carriage return and tab
 * escaped (https://www.postgresql.org/docs/current/sql-copy.html, "Text Format").
 */
export function toCopyField(value: SqlValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  return /[\\\n\r\t]/.test(value) ? value.replace(/[\\\n\r\t]/g, escapeCopyChar) : value;
}

function escapeCopyChar(char: string): string {
  switch (char) {
    case '\\':
      return '\\\\';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    default:
      return '\\t';
  }
}
