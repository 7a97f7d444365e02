// GET /busiest-hours: conversations started per hour of the day over the window, in `tz`,
// busiest first (all 24 hours, quiet ones as 0).
import type { ReadDb } from './db.js';
import type { Filters } from './filters.js';
import { scopeConditions, timeOf } from './scope.js';
import { SqlParams, whereClause } from './sql.js';
import { toNumber } from './values.js';
import { resolveWindow, windowToJson, type WindowJson, type WindowParams } from './window.js';

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
}

export async function getBusiestHours(db: ReadDb, params: BusiestHoursParams, now?: Date): Promise<BusiestHours> {
  const window = resolveWindow(params, now);
  const tz = params.tz ?? 'UTC';
  const sqlParams = new SqlParams();
  const conditions = scopeConditions('conversations', 'c', { window, filters: params.filters ?? {} }, sqlParams);
  const zone = sqlParams.add(tz, 'text');
  const items = await db.read(async (sql) => {
    const { rows } = await sql.query(
      `WITH counts AS (
         SELECT extract(hour FROM ${timeOf('conversations', 'c')} AT TIME ZONE ${zone})::int AS hour, count(*) AS conversations
           FROM conversations c ${whereClause(conditions)}
          GROUP BY 1
       )
       SELECT h.hour, coalesce(counts.conversations, 0) AS conversations
         FROM generate_series(0, 23) AS h(hour) LEFT JOIN counts USING (hour)
        ORDER BY conversations DESC, h.hour`,
      sqlParams.values,
    );
    return rows.map((row) => ({ hour_of_day: toNumber(row['hour']), conversations: toNumber(row['conversations']) }));
  });
  return { tz, window: windowToJson(window), items };
}
