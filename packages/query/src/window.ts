// The time window of a question: the last `hours` (1…2160, default 24), or `from`/`to` at most
// 90 days apart. Rows are in the window when their time t satisfies from <= t < to.
import { QueryParameterError } from './errors.js';

export const MIN_WINDOW_HOURS = 1;
export const MAX_WINDOW_HOURS = 2160;
export const DEFAULT_WINDOW_HOURS = 24;
/** Longest `from`/`to` window, in days (2160 hours). */
export const MAX_WINDOW_DAYS = 90;

const HOUR_MS = 3_600_000;

/** What a caller asks for; at most one of `hours` and `from`/`to`. */
export interface WindowParams {
  readonly hours?: number | undefined;
  /** ISO-8601 instant; with `to` omitted the window ends now. */
  readonly from?: string | undefined;
  /** ISO-8601 instant; with `from` omitted the window starts `hours` (default 24) before it. */
  readonly to?: string | undefined;
}

/** A resolved window, half-open: [from, to). */
export interface TimeWindow {
  readonly from: Date;
  readonly to: Date;
}

/** The window as the API echoes it. */
export interface WindowJson {
  readonly from: string;
  readonly to: string;
}

export function windowToJson(window: TimeWindow): WindowJson {
  return { from: window.from.toISOString(), to: window.to.toISOString() };
}

/** Resolves `params` against `now`; throws {@link QueryParameterError} naming the bad parameter. */
export function resolveWindow(params: WindowParams, now: Date = new Date()): TimeWindow {
  const { hours } = params;
  if (hours !== undefined && (!Number.isInteger(hours) || hours < MIN_WINDOW_HOURS || hours > MAX_WINDOW_HOURS)) {
    throw new QueryParameterError('hours', `must be a whole number from ${MIN_WINDOW_HOURS} to ${MAX_WINDOW_HOURS}`);
  }
  const from = params.from === undefined ? undefined : parseInstant('from', params.from);
  const to = params.to === undefined ? undefined : parseInstant('to', params.to);
  if (hours !== undefined && from !== undefined && to !== undefined) {
    throw new QueryParameterError('hours', 'give either hours or from/to, not both');
  }
  const span = (hours ?? DEFAULT_WINDOW_HOURS) * HOUR_MS;
  const end = to ?? (from !== undefined && hours !== undefined ? new Date(from.getTime() + span) : now);
  const start = from ?? new Date(end.getTime() - span);
  if (start.getTime() >= end.getTime()) throw new QueryParameterError('from', 'must be before to');
  if (end.getTime() - start.getTime() > MAX_WINDOW_DAYS * 24 * HOUR_MS) {
    throw new QueryParameterError('from', `from and to may be at most ${MAX_WINDOW_DAYS} days apart`);
  }
  return { from: start, to: end };
}

// ISO-8601 with a date, and with a time zone whenever a time is given: "2026-01-02" (UTC
// midnight) or "2026-01-02T03:04:05.678Z" / "+02:00". A time without a zone is ambiguous.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

/** Parses an ISO-8601 instant; throws {@link QueryParameterError} for `parameter`. */
export function parseInstant(parameter: string, text: string): Date {
  const date = ISO_INSTANT.test(text) ? new Date(text) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new QueryParameterError(parameter, 'must be an ISO-8601 date or date-time with a time zone, e.g. 2026-01-02T03:04:05Z');
  }
  return date;
}
