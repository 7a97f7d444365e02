// GET /compare: turn and step durations of two windows side by side (before and after a
// change), with the difference in ms and in percent. By default "after" is the last `hours`
// (24) and "before" the same length just before it. A window longer than 48 hours reads rollups
// (compare-rollups.ts): counts and averages exact, p50 and p95 from histograms.
import type { ReadDb, SqlClient } from '../db.js';
import { QueryParameterError } from '../errors.js';
import type { Filters } from '../filters.js';
import { percentileContSql, toPercentileValues } from '../percentiles.js';
import type { ReadOptions } from '../rollups/read-mode.js';
import { scopeConditions, type Scope } from '../scope.js';
import { SqlParams, whereClause } from '../sql.js';
import { toNumber, toNumberOrNull } from '../values.js';
import { parseInstant, resolveWindow, windowToJson, type TimeWindow, type WindowJson } from '../window.js';
import { planCompareWindow } from './compare-rollups.js';

export interface CompareParams {
  readonly beforeFrom?: string | undefined;
  /** Default: the start of the after window. */
  readonly beforeTo?: string | undefined;
  readonly afterFrom?: string | undefined;
  /** Default: now. */
  readonly afterTo?: string | undefined;
  /** Length of a window given by one end only (default 24, or the other window's length). */
  readonly hours?: number | undefined;
  readonly filters?: Filters;
  /** Only the step of this name. */
  readonly step?: string | undefined;
}

export interface DurationFigures {
  readonly count: number;
  readonly avg_ms: number | null;
  readonly p50_ms: number | null;
  readonly p95_ms: number | null;
}

/** after − before, per figure; null when either is unknown. */
export interface DurationDelta {
  readonly avg: number | null;
  readonly p50: number | null;
  readonly p95: number | null;
}

export interface Comparison {
  readonly before: DurationFigures;
  readonly after: DurationFigures;
  readonly delta_ms: DurationDelta;
  /** (after − before) / before × 100; null when before is unknown or 0. */
  readonly delta_pct: DurationDelta;
}

export interface StepComparison extends Comparison {
  readonly step: string;
}

export interface Compare {
  readonly windows: { readonly before: WindowJson; readonly after: WindowJson };
  readonly turns: Comparison;
  /** Every step name of either window, by name. */
  readonly steps: StepComparison[];
  /** The step list was cut at the row bound. */
  readonly truncated: boolean;
  /** Figures read from histograms (`turns.after.p95_ms`, `steps.before.p50_ms`, …); their deltas are approximate too. */
  readonly approximate: string[];
}

export interface CompareScope extends Scope {
  readonly step?: string | undefined;
}

/** Where the durations of one window come from (raw rows by default); a rollup source replaces either. */
export interface CompareSources {
  readonly turnDurations: (sql: SqlClient, scope: CompareScope) => Promise<DurationFigures>;
  /** Per step name, by name, at most `bound` + 1 names. */
  readonly stepDurations: (sql: SqlClient, scope: CompareScope, bound: number) => Promise<Map<string, DurationFigures>>;
}

const FRACTIONS = [0.5, 0.95] as const;
const NO_DURATIONS: DurationFigures = { count: 0, avg_ms: null, p50_ms: null, p95_ms: null };

function toDurationFigures(row: Record<string, unknown> | undefined): DurationFigures {
  if (row === undefined) return NO_DURATIONS;
  const [p50, p95] = toPercentileValues(row['percentiles'], FRACTIONS.length);
  return { count: toNumber(row['count']), avg_ms: toNumberOrNull(row['avg_ms']), p50_ms: p50 ?? null, p95_ms: p95 ?? null };
}

/** Exact turn durations (percentile_cont over raw rows). */
const exactTurnDurations: CompareSources['turnDurations'] = async (sql, scope) => {
  const params = new SqlParams();
  const { rows } = await sql.query(
    `SELECT count(*) AS count, avg(t.duration_ms) AS avg_ms, ${percentileContSql(params, FRACTIONS, 't.duration_ms')} AS percentiles
       FROM turns t ${whereClause(scopeConditions('turns', 't', scope, params))}`,
    params.values,
  );
  return toDurationFigures(rows[0]);
};

/** Exact step durations per step name (percentile_cont over raw rows). */
const exactStepDurations: CompareSources['stepDurations'] = async (sql, scope, bound) => {
  const params = new SqlParams();
  const conditions = scopeConditions('steps', 's', scope, params);
  if (scope.step !== undefined) conditions.push(`s.name = ${params.add(scope.step, 'text')}`);
  const { rows } = await sql.query(
    `SELECT s.name AS step, count(*) AS count, avg(s.duration_ms) AS avg_ms, ${percentileContSql(params, FRACTIONS, 's.duration_ms')} AS percentiles
       FROM steps s ${whereClause(conditions)}
      GROUP BY s.name ORDER BY s.name LIMIT ${params.add(bound + 1, 'integer')}`,
    params.values,
  );
  return new Map(rows.map((row) => [String(row['step']), toDurationFigures(row)]));
};

/** Durations from raw rows (exact). */
export const RAW_COMPARE_SOURCES: CompareSources = { turnDurations: exactTurnDurations, stepDurations: exactStepDurations };

function difference(after: number | null, before: number | null): number | null {
  return after === null || before === null ? null : after - before;
}

function percentChange(after: number | null, before: number | null): number | null {
  return after === null || before === null || before === 0 ? null : ((after - before) / before) * 100;
}

export function compareDurations(before: DurationFigures, after: DurationFigures): Comparison {
  return {
    before,
    after,
    delta_ms: { avg: difference(after.avg_ms, before.avg_ms), p50: difference(after.p50_ms, before.p50_ms), p95: difference(after.p95_ms, before.p95_ms) },
    delta_pct: { avg: percentChange(after.avg_ms, before.avg_ms), p50: percentChange(after.p50_ms, before.p50_ms), p95: percentChange(after.p95_ms, before.p95_ms) },
  };
}

/** `resolveWindow` whose errors name the compare parameters (`after_from`, not `from`). */
function resolveNamedWindow(from: string | undefined, to: string | undefined, hours: number | undefined, names: { from: string; to: string }, now: Date): TimeWindow {
  try {
    return resolveWindow({ from, to, hours }, now);
  } catch (error) {
    if (error instanceof QueryParameterError && (error.parameter === 'from' || error.parameter === 'to')) {
      throw new QueryParameterError(names[error.parameter], error.message);
    }
    throw error;
  }
}

/** The two windows: after as asked (default the last `hours`), before ending where after starts and as long, unless given. */
export function resolveCompareWindows(params: CompareParams, now: Date = new Date()): { before: TimeWindow; after: TimeWindow } {
  const after = resolveNamedWindow(params.afterFrom, params.afterTo, params.hours, { from: 'after_from', to: 'after_to' }, now);
  const lengthMs = after.to.getTime() - after.from.getTime();
  const beforeTo = params.beforeTo === undefined ? after.from : parseInstant('before_to', params.beforeTo);
  const beforeFrom = params.beforeFrom ?? new Date(beforeTo.getTime() - lengthMs).toISOString();
  const before = resolveNamedWindow(beforeFrom, beforeTo.toISOString(), undefined, { from: 'before_from', to: 'before_to' }, now);
  return { before, after };
}

/** The fields of one window's figures a rollup reads from histograms. */
const HISTOGRAM_FIELDS = ['p50_ms', 'p95_ms'] as const;

export async function getCompare(
  db: ReadDb,
  params: CompareParams,
  options: ReadOptions & { readonly sources?: Partial<CompareSources> } = {},
): Promise<Compare> {
  const windows = resolveCompareWindows(params, options.now);
  const filters = params.filters ?? {};
  const bound = db.maxRows;
  const beforeScope: CompareScope = { window: windows.before, filters, step: params.step };
  const afterScope: CompareScope = { window: windows.after, filters, step: params.step };
  const plans = { before: planCompareWindow(beforeScope, options.mode), after: planCompareWindow(afterScope, options.mode) };
  const before = { ...RAW_COMPARE_SOURCES, ...plans.before.sources, ...options.sources };
  const after = { ...RAW_COMPARE_SOURCES, ...plans.after.sources, ...options.sources };
  const approximate = (['before', 'after'] as const).flatMap((side) => [
    ...(plans[side].turnsFromRollups ? HISTOGRAM_FIELDS.map((field) => `turns.${side}.${field}`) : []),
    ...(plans[side].stepsFromRollups ? HISTOGRAM_FIELDS.map((field) => `steps.${side}.${field}`) : []),
  ]);
  return db.read(async (sql) => {
    const turnsBefore = await before.turnDurations(sql, beforeScope);
    const turnsAfter = await after.turnDurations(sql, afterScope);
    const stepsBefore = await before.stepDurations(sql, beforeScope, bound);
    const stepsAfter = await after.stepDurations(sql, afterScope, bound);
    const names = [...new Set([...stepsBefore.keys(), ...stepsAfter.keys()])].sort();
    return {
      windows: { before: windowToJson(windows.before), after: windowToJson(windows.after) },
      turns: compareDurations(turnsBefore, turnsAfter),
      steps: names
        .slice(0, bound)
        .map((step) => ({ step, ...compareDurations(stepsBefore.get(step) ?? NO_DURATIONS, stepsAfter.get(step) ?? NO_DURATIONS) })),
      truncated: names.length > bound || stepsBefore.size > bound || stepsAfter.size > bound,
      approximate,
    };
  });
}
