// Whether a time zone's hours and days line up with UTC's over a window: rollups keep UTC hours
// and days, so a question asked in another zone reads them only where each UTC hour lies in one
// local hour (and, for days, each UTC day is a local day).
import type { SqlClient } from '../db.js';
import type { TimeWindow } from '../window.js';

/**
 * Whether `tz` is a whole number of hours from UTC at every hour start of the window (true of UTC
 * and most zones; not of Asia/Kolkata, +05:30), and at UTC's offset at every one (then UTC days
 * are its days).
 */
export async function zoneAlignment(sql: SqlClient, window: TimeWindow, tz: string): Promise<{ hours: boolean; days: boolean }> {
  const { rows } = await sql.query(
    `SELECT bool_and(date_trunc('hour', g AT TIME ZONE $1::text) = g AT TIME ZONE $1::text) AS hours,
            bool_and(g AT TIME ZONE $1::text = g AT TIME ZONE 'UTC') AS days
       FROM generate_series(date_trunc('hour', $2::timestamptz), $3::timestamptz, interval '1 hour') AS g`,
    [tz, window.from.toISOString(), window.to.toISOString()],
  );
  return { hours: rows[0]?.['hours'] === true, days: rows[0]?.['days'] === true };
}
