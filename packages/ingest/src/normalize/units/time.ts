// Time units. Rows keep microseconds (Postgres timestamptz precision) as bigint so sums and
// comparisons are exact; durations are derived from nanoseconds before rounding. Pure.

/** Microseconds since the Unix epoch. */
export type Micros = bigint;

const NANOS_PER_MICRO = 1000n;
const MICROS_PER_HOUR = 3_600_000_000n;
const MICROS_PER_DAY = 86_400_000_000n;
// Spans stamped outside these bounds are unusable (unset clocks, or beyond timestamptz).
const MIN_VALID_NANOS = 946_684_800_000_000_000n; // 2000-01-01
const MAX_VALID_NANOS = 7_258_118_400_000_000_000n; // 2200-01-01

/** Nanoseconds → microseconds (truncated). */
export function nanosToMicros(nanos: bigint): Micros {
  return nanos / NANOS_PER_MICRO;
}

/** Whether a Unix time in ns lies between 2000 and 2200 (unset clocks and overflows do not). */
export function isPlausibleNanos(nanos: bigint): boolean {
  return nanos >= MIN_VALID_NANOS && nanos < MAX_VALID_NANOS;
}

/** Duration in microseconds from nanosecond bounds, never negative. */
export function durationMicros(startNanos: bigint, endNanos: bigint): bigint {
  return endNanos > startNanos ? (endNanos - startNanos) / NANOS_PER_MICRO : 0n;
}

/** Start of the UTC hour containing `micros`. */
export function hourOf(micros: Micros): Micros {
  return micros - (((micros % MICROS_PER_HOUR) + MICROS_PER_HOUR) % MICROS_PER_HOUR);
}

/** Start of the UTC day containing `micros`. */
export function dayOf(micros: Micros): Micros {
  return micros - (((micros % MICROS_PER_DAY) + MICROS_PER_DAY) % MICROS_PER_DAY);
}

/** An ISO-8601 timestamp with microseconds (`2026-01-02T03:04:05.123456Z`) for timestamptz. */
export function microsToTimestamp(micros: Micros): string {
  const millis = micros / 1000n;
  const subMillis = Number(((micros % 1000n) + 1000n) % 1000n);
  const flooredMillis = micros < 0n && subMillis !== 0 ? millis - 1n : millis;
  const iso = new Date(Number(flooredMillis)).toISOString(); // …T03:04:05.123Z
  return `${iso.slice(0, -1)}${String(subMillis).padStart(3, '0')}Z`;
}

/** Milliseconds (3 decimals: microsecond precision) as an exact decimal string. */
export function microsToMillisText(micros: bigint): string {
  const sign = micros < 0n ? '-' : '';
  const abs = micros < 0n ? -micros : micros;
  return `${sign}${abs / 1000n}.${String(abs % 1000n).padStart(3, '0')}`;
}
