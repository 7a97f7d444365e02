// The window a page answers for lives in its URL (?hours=24, or ?from=…&to=…), so a pasted link
// shows what its sender saw.
import { useLocation } from 'preact-iso';

export const WINDOW_CHOICES = [
  { label: '1 h', hours: 1 },
  { label: '24 h', hours: 24 },
  { label: '7 d', hours: 168 },
  { label: '30 d', hours: 720 },
] as const;

export const DEFAULT_HOURS = 24;

export type TimeWindow = { readonly kind: 'hours'; readonly hours: number } | { readonly kind: 'range'; readonly from: string; readonly to: string };

export function windowOf(query: Readonly<Record<string, string>>): TimeWindow {
  if (query.from !== undefined && query.to !== undefined && query.from !== '' && query.to !== '') {
    return { kind: 'range', from: query.from, to: query.to };
  }
  const hours = Number(query.hours);
  return { kind: 'hours', hours: Number.isInteger(hours) && hours > 0 ? hours : DEFAULT_HOURS };
}

/** The API's window parameters. */
export function windowQuery(window: TimeWindow): Record<string, string | number> {
  return window.kind === 'hours' ? { hours: window.hours } : { from: window.from, to: window.to };
}

/** The window's own length in hours (for a chart's step). */
export function windowHours(window: TimeWindow): number {
  if (window.kind === 'hours') return window.hours;
  return Math.max(1, (Date.parse(window.to) - Date.parse(window.from)) / 3_600_000);
}

/** The current URL's query with `changes` applied (undefined removes a key): for links and filters. */
export function withQuery(path: string, query: Readonly<Record<string, string>>, changes: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (!(name in changes)) search.set(name, value);
  for (const [name, value] of Object.entries(changes)) if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** The page's window and the query string that carries it to links of other pages. */
export function useTimeWindow(): { readonly window: TimeWindow; readonly query: Readonly<Record<string, string>> } {
  const { query } = useLocation();
  return { window: windowOf(query), query };
}

/** Only the window's own URL parameters, for links that keep the window but nothing else. */
export function windowSearch(window: TimeWindow): string {
  const search = new URLSearchParams(Object.entries(windowQuery(window)).map(([name, value]) => [name, String(value)]));
  return `?${search.toString()}`;
}
