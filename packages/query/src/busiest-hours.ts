// GET /busiest-hours: conversations started per hour of the day over the window, in `tz`,
// busiest first (all 24 hours, quiet ones as 0). A window longer than 48 hours counts its whole
// UTC hours from conversation_hourly and its partial hours at the ends from raw rows (exact
// either way), when the filters are the rollup's dimensions and `tz` is a whole number of hours
// from UTC all over the window (each UTC hour then lies in one local hour; Asia/Kolkata's do not).
import { CONVERSATION_HOURLY } from '@convotel/store';
import type { ReadDb, SqlClient } from './db.js';
import type { Filters } from './filters.js';
import { mayReadRollups, type ReadOptions } from './rollups/read-mode.js';
import { CONVERSATION_ROLLUPS, plannedRollupRows } from './rollups/rollup-tables.js';
import { edgeConditions, isServedBy, splitWindow } from './rollups/rollup-window.js';
import { zoneAlignment } from './rollups/zone-alignment.js';
import { scopeConditions, timeOf, type Scope } from './scope.js';
import { SqlParams, whereClause } from './sql.js';
import { toNumber } from './values.js';
import { resolveWindow, windowToJson, type WindowJson, type WindowParams } from './window.js';

const CH = CONVERSATION_HOURLY.columns;

export interface BusiestHoursParams extends WindowParams {
  /** IANA time zone of the hours. Default `UTC`. */
  readonly tz?: string | undefined;
  readonly filters?: Filters;
}

export interface HourOfDay {
  /** 0…23 in `tz`. */
  readonly hour_of_day: number;
  readonly conversations: number;
}

export interface BusiestHours {
  readonly tz: string;
  readonly window: WindowJson;
  readonly items: HourOfDay[];
  /** Always empty: every count is exact, from rollups or not (the field every window answer has). */
  readonly approximate: string[];
}

/** The counts per local hour, a SELECT of (hour, conversations); its values go into `params`. */
type HourCounts = (params: SqlParams, zone: string) => string;

function rawCounts(scope: Scope): HourCounts {
  return (params, zone) =>
    `SELECT extract(hour FROM ${timeOf('conversations', 'c')} AT TIME ZONE ${zone})::int AS hour, count(*) AS conversations
       FROM conversations c ${whereClause(scopeConditions('conversations', 'c', scope, params))}
      GROUP BY 1`;
}

/** The rollup's whole hours and the edges' rows, or undefined when the filters are not its dimensions. */
function rollupCounts(scope: Scope): HourCounts | undefined {
  const split = splitWindow(scope.window, false);
  if (split.hours.length === 0 || !isServedBy(CONVERSATION_ROLLUPS.dimensions, scope.filters)) return undefined;
  return (params, zone) => {
    const rows = plannedRollupRows(CONVERSATION_ROLLUPS, [CH.conversations.name], split, scope.filters, params);
    const inEdges = edgeConditions('conversations', 'c', split.edges, scope.filters, params);
    return `SELECT hour, sum(n) AS conversations FROM (
              SELECT extract(hour FROM h.t AT TIME ZONE ${zone})::int AS hour, sum(h.${CH.conversations}) AS n FROM ${rows} h GROUP BY 1
              UNION ALL
              SELECT extract(hour FROM ${timeOf('conversations', 'c')} AT TIME ZONE ${zone})::int, count(*) FROM conversations c WHERE ${inEdges} GROUP BY 1
            ) AS parts GROUP BY hour`;
  };
}

async function chooseCounts(sql: SqlClient, scope: Scope, tz: string, options: ReadOptions): Promise<HourCounts> {
  if (!mayReadRollups(scope.window, options.mode)) return rawCounts(scope);
  const fromRollups = rollupCounts(scope);
  if (fromRollups === undefined || !(await zoneAlignment(sql, scope.window, tz)).hours) return rawCounts(scope);
  return fromRollups;
}

export async function getBusiestHours(db: ReadDb, params: BusiestHoursParams, options: ReadOptions = {}): Promise<BusiestHours> {
  const window = resolveWindow(params, options.now);
  const tz = params.tz ?? 'UTC';
  const scope: Scope = { window, filters: params.filters ?? {} };
  const items = await db.read(async (sql) => {
    const counts = await chooseCounts(sql, scope, tz, options);
    const sqlParams = new SqlParams();
    const zone = sqlParams.add(tz, 'text');
    const { rows } = await sql.query(
      `WITH counts AS (${counts(sqlParams, zone)})
       SELECT h.hour, coalesce(counts.conversations, 0) AS conversations
         FROM generate_series(0, 23) AS h(hour) LEFT JOIN counts USING (hour)
        ORDER BY conversations DESC, h.hour`,
      sqlParams.values,
    );
    return rows.map((row) => ({ hour_of_day: toNumber(row['hour']), conversations: toNumber(row['conversations']) }));
  });
  return { tz, window: windowToJson(window), items, approximate: [] };
}
