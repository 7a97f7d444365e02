// When a window question reads rollups, and how: a window longer than ROLLUP_MIN_WINDOW_HOURS is
// cut at whole UTC days and hours. Whole days come from the daily rollups, the whole hours around
// them from the hourly ones, and the partial hours at the window's two ends from raw rows (at most
// two hours of them). Counts and sums stay exact that way; only figures read from histograms
// (percentiles, SLA violations) are approximate.
import type { FilterName, FilterSubject, Filters } from '../filters.js';
import { scopeConditions } from '../scope.js';
import { SqlParams } from '../sql.js';
import type { TimeWindow } from '../window.js';

/** Windows longer than this many hours read rollups; shorter ones are computed exactly from raw rows. */
export const ROLLUP_MIN_WINDOW_HOURS = 48;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Whether a window is long enough to be read from rollups. */
export function isRollupWindow(window: TimeWindow): boolean {
  return window.to.getTime() - window.from.getTime() > ROLLUP_MIN_WINDOW_HOURS * HOUR_MS;
}

/** A window cut at whole UTC days and hours. */
export interface SplitWindow {
  /** Whole UTC days inside the window (none when it holds no whole day, or days are not asked for). */
  readonly days: TimeWindow | undefined;
  /** Whole UTC hours inside the window but outside `days`: up to two runs. */
  readonly hours: readonly TimeWindow[];
  /** The rest, at most an hour at each end. */
  readonly edges: readonly TimeWindow[];
}

const at = (ms: number): Date => new Date(ms);

/** Cuts `window` at the first and last whole UTC hour inside it and, with `withDays`, at the first and last whole day between them. */
export function splitWindow(window: TimeWindow, withDays = true): SplitWindow {
  const from = window.from.getTime();
  const to = window.to.getTime();
  const firstHour = Math.ceil(from / HOUR_MS) * HOUR_MS;
  const lastHour = Math.floor(to / HOUR_MS) * HOUR_MS;
  if (firstHour >= lastHour) return { days: undefined, hours: [], edges: [window] };
  const edges: TimeWindow[] = [];
  if (from < firstHour) edges.push({ from: window.from, to: at(firstHour) });
  if (lastHour < to) edges.push({ from: at(lastHour), to: window.to });
  const firstDay = Math.ceil(firstHour / DAY_MS) * DAY_MS;
  const lastDay = Math.floor(lastHour / DAY_MS) * DAY_MS;
  if (!withDays || firstDay >= lastDay) return { days: undefined, hours: [{ from: at(firstHour), to: at(lastHour) }], edges };
  const hours: TimeWindow[] = [];
  if (firstHour < firstDay) hours.push({ from: at(firstHour), to: at(firstDay) });
  if (lastDay < lastHour) hours.push({ from: at(lastDay), to: at(lastHour) });
  return { days: { from: at(firstDay), to: at(lastDay) }, hours, edges };
}

/**
 * The raw rows of `subject` (alias `alias`) in the edges that pass the filters, as one condition
 * (`false` without edges).
 */
export function edgeConditions(subject: FilterSubject, alias: string, edges: readonly TimeWindow[], filters: Filters, params: SqlParams): string {
  if (edges.length === 0) return 'false';
  return edges.map((window) => `(${scopeConditions(subject, alias, { window, filters }, params).join(' AND ')})`).join(' OR ');
}

/** A rollup's dimensions that filters map to: filter name → the rollup's column. */
export type RollupDimensions = Partial<Readonly<Record<FilterName, string>>>;

/**
 * The rollup's conditions for `filters` (alias `alias`), or undefined when some filter is not one
 * of its dimensions (then the question is answered from raw rows). A rollup keeps `''` for an
 * unknown dimension, where the raw rows have NULL: an empty filter value cannot be read from it.
 */
export function rollupFilterConditions(dimensions: RollupDimensions, alias: string, filters: Filters, params: SqlParams): string[] | undefined {
  if (filters.attr !== undefined && Object.keys(filters.attr).length > 0) return undefined;
  const conditions: string[] = [];
  for (const [name, value] of Object.entries(filters) as [FilterName | 'attr', unknown][]) {
    if (name === 'attr' || value === undefined) continue;
    const column = dimensions[name];
    if (column === undefined || typeof value !== 'string' || value === '') return undefined;
    conditions.push(`${alias}.${column} = ${params.add(value, 'text')}`);
  }
  return conditions;
}

/** Whether the rollup has a dimension for every filter given. */
export function isServedBy(dimensions: RollupDimensions, filters: Filters): boolean {
  return rollupFilterConditions(dimensions, 'x', filters, new SqlParams()) !== undefined;
}
