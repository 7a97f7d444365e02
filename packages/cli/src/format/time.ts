// Times as people read them, in the zone of --tz: the API answers ISO-8601 UTC.
import { NONE } from './units.js';

type Parts = Readonly<Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'fractionalSecond', string>>;

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsOf(iso: string, timeZone: string): Parts | undefined {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      fractionalSecondDigits: 3,
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(date)) parts[part.type] = part.value;
  return parts as Parts;
}

/** `2026-10-08 14:30:22.123` in `timeZone`. */
export function formatTime(iso: string | null | undefined, timeZone: string): string {
  const p = iso == null ? undefined : partsOf(iso, timeZone);
  return p === undefined ? NONE : `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}.${p.fractionalSecond}`;
}

/** `14:30:22` in `timeZone`. */
export function formatClock(iso: string | null | undefined, timeZone: string): string {
  const p = iso == null ? undefined : partsOf(iso, timeZone);
  return p === undefined ? NONE : `${p.hour}:${p.minute}:${p.second}`;
}

/** `2026-10-08 14:00` (hours are shown with their minute: zones off by half an hour exist). */
export function formatMinute(iso: string, timeZone: string): string {
  const p = partsOf(iso, timeZone);
  return p === undefined ? NONE : `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** `2026-10-08` in `timeZone`. */
export function formatDay(iso: string, timeZone: string): string {
  const p = partsOf(iso, timeZone);
  return p === undefined ? NONE : `${p.year}-${p.month}-${p.day}`;
}

/** An hour of the day (0…23) as `17:00`. */
export function formatHourOfDay(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}
