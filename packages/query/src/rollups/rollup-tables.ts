// The rollup families the read side reads: each an hourly table (a daily one beside it where there
// is one), the filters that are its dimensions, and the rows of a split window's whole days and
// hours as one subquery. A question with any other filter is answered from raw rows.
import {
  CONVERSATION_HOURLY,
  LLM_DAILY,
  LLM_HOURLY,
  SQL_DAILY,
  SQL_HOURLY,
  STEP_DAILY,
  STEP_HOURLY,
  TURN_DAILY,
  TURN_HOURLY,
  USAGE_DAILY,
  USAGE_HOURLY,
  type Table,
} from '@convotel/store';
import type { SqlParams } from '../sql.js';
import type { TimeWindow } from '../window.js';
import { rollupFilterConditions, type RollupDimensions, type SplitWindow } from './rollup-window.js';

export interface RollupFamily {
  readonly hourly: Table;
  readonly daily: Table | undefined;
  readonly dimensions: RollupDimensions;
}

const TH = TURN_HOURLY.columns;
const LH = LLM_HOURLY.columns;
const CH = CONVERSATION_HOURLY.columns;

/** Turns: the trace's service, the conversation's agent and channel. */
export const TURN_ROLLUPS: RollupFamily = {
  hourly: TURN_HOURLY,
  daily: TURN_DAILY,
  dimensions: { service: TH.serviceName.name, agent: TH.agentName.name, channel: TH.channel.name },
};

/**
 * LLM calls: provider, call type and status. Not model: the rollups' key is the response model,
 * else the requested one, where the model filter matches either.
 */
export const LLM_ROLLUPS: RollupFamily = {
  hourly: LLM_HOURLY,
  daily: LLM_DAILY,
  dimensions: { provider: LH.provider.name, call_type: LH.callType.name, status: LH.status.name },
};

/** Conversations: their service, agent, channel and status. */
export const CONVERSATION_ROLLUPS: RollupFamily = {
  hourly: CONVERSATION_HOURLY,
  daily: undefined,
  dimensions: { service: CH.serviceName.name, agent: CH.agentName.name, channel: CH.channel.name, status: CH.status.name },
};

/** The time column of a rollup table (its first key column: hour or day). */
function timeColumn(table: Table): string {
  return (table.key[0] as Table['key'][number]).name;
}

function inRanges(column: string, ranges: readonly TimeWindow[], params: SqlParams): string {
  if (ranges.length === 0) return 'false';
  return ranges
    .map((range) => `(r.${column} >= ${params.add(range.from.toISOString(), 'timestamptz')} AND r.${column} < ${params.add(range.to.toISOString(), 'timestamptz')})`)
    .join(' OR ');
}

/**
 * The rollup rows of the window's whole days (daily table) and hours (hourly table) that pass the
 * filters, as a subquery of `columns` (same names in both tables) plus `t`, the row's time.
 * Undefined when a filter is not one of the family's dimensions, or the window holds no whole hour.
 * Without a daily table, the days are read from the hourly one.
 */
export function rollupRows(family: RollupFamily, columns: readonly string[], split: SplitWindow, filters: Parameters<typeof rollupFilterConditions>[2], params: SqlParams): string | undefined {
  const parts: { table: Table; ranges: TimeWindow[] }[] = [];
  const days = split.days === undefined ? [] : [split.days];
  if (family.daily === undefined) parts.push({ table: family.hourly, ranges: [...days, ...split.hours] });
  else parts.push({ table: family.daily, ranges: days }, { table: family.hourly, ranges: [...split.hours] });
  const selects: string[] = [];
  for (const { table, ranges } of parts) {
    if (ranges.length === 0) continue;
    const conditions = rollupFilterConditions(family.dimensions, 'r', filters, params);
    if (conditions === undefined) return undefined;
    const time = timeColumn(table);
    selects.push(
      `SELECT r.${time} AS t${columns.map((column) => `, r.${column}`).join('')} FROM ${table} r WHERE (${inRanges(time, ranges, params)})${conditions.map((c) => ` AND ${c}`).join('')}`,
    );
  }
  // A window without a whole hour is no question for rollups.
  return selects.length === 0 ? undefined : `(${selects.join(' UNION ALL ')})`;
}

/** Steps: kind and name only, which no filter maps to (the step name is a question's own parameter). */
export const STEP_ROLLUPS: RollupFamily = { hourly: STEP_HOURLY, daily: STEP_DAILY, dimensions: {} };

/** SQL spans: by system and statement, no filter dimension (a question's `system` is a condition on the rows). */
export const SQL_ROLLUPS: RollupFamily = { hourly: SQL_HOURLY, daily: SQL_DAILY, dimensions: {} };

/** LLM usage by user, session and function: the dimension and key are a question's grouping, no filter maps to them. */
export const USAGE_ROLLUPS: RollupFamily = { hourly: USAGE_HOURLY, daily: USAGE_DAILY, dimensions: {} };

/**
 * {@link rollupRows} for a question its planner already sent to rollups (the filters are the
 * family's dimensions and the window holds a whole hour); throws when that does not hold.
 */
export function plannedRollupRows(family: RollupFamily, columns: readonly string[], split: SplitWindow, filters: Parameters<typeof rollupFilterConditions>[2], params: SqlParams): string {
  const rows = rollupRows(family, columns, split, filters, params);
  if (rows === undefined) throw new Error('a question rollups cannot answer (plan it from raw rows)');
  return rows;
}
