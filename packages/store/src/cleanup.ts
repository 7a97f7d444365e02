// Retention: deletes raw rows (and turns and conversations) older than a cutoff; hourly
// rollups are kept, so dashboards over weeks still work. Deletes in slices to keep each
// statement short on large tables.
import type { SqlClient, Store } from './store.js';

/** What `cleanup` removed. */
export interface CleanupResult {
  /** Cutoff used (ISO timestamp). */
  readonly before: string;
  /** Rows deleted per table. */
  readonly deleted: Readonly<Record<string, number>>;
}

const SLICE_ROWS = 10_000;
const MS_PER_DAY = 86_400_000;

const RAW_TABLES: readonly (readonly [string, string])[] = [
  ['llm_calls', 'started_at'],
  ['steps', 'started_at'],
  ['db_queries', 'started_at'],
  ['events', 'time'],
  ['traces', 'last_seen_at'],
  ['conversations', 'last_seen_at'],
];

/**
 * Deletes rows older than `olderThanDays` days before `now` from every raw table, turns and
 * conversations; `llm_hourly` and `step_hourly` are kept.
 */
export async function cleanup(store: Store, olderThanDays: number, now: Date = new Date()): Promise<CleanupResult> {
  if (!Number.isFinite(olderThanDays) || olderThanDays < 0) throw new RangeError(`olderThanDays must be a number >= 0, got ${olderThanDays}`);
  const before = new Date(now.getTime() - Math.round(olderThanDays * MS_PER_DAY)).toISOString();
  const deleted: Record<string, number> = {};
  for (const [table, column] of RAW_TABLES) {
    deleted[table] = await store.withClient((client) => deleteInSlices(client, table, `${column} < $1::timestamptz`, [before]));
  }
  // Turns that only ever saw log records have no span times: they go with their last event.
  deleted['traces'] =
    (deleted['traces'] ?? 0) +
    (await store.withClient((client) =>
      deleteInSlices(client, 'traces', 'last_seen_at IS NULL AND NOT EXISTS (SELECT 1 FROM events e WHERE e.trace_id = traces.trace_id)', []),
    ));
  return { before, deleted };
}

async function deleteInSlices(client: SqlClient, table: string, condition: string, params: readonly unknown[]): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await client.query<{ deleted: number | string }>(
      `WITH gone AS (DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE ${condition} LIMIT ${SLICE_ROWS}) RETURNING 1)
       SELECT count(*) AS deleted FROM gone`,
      params,
    );
    const count = Number(rows[0]?.deleted ?? 0);
    total += count;
    if (count < SLICE_ROWS) return total;
  }
}

/** Parses an age like `30d`, `12h`, `2w` (or a bare number of days) into days. */
export function parseAgeDays(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([hdw]?)\s*$/i.exec(text);
  if (match === null) throw new RangeError(`expected an age such as 30d, 12h or 2w, got ${JSON.stringify(text)}`);
  const value = Number(match[1]);
  switch ((match[2] ?? '').toLowerCase()) {
    case 'h':
      return value / 24;
    case 'w':
      return value * 7;
    default:
      return value;
  }
}
