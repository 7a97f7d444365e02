// The weekly range partitions of the raw tables (migrations/0010): which exist, creating the
// weeks ahead, and the week a partition's name stands for. Weeks start Monday 00:00 UTC and a
// partition is named `<table>_wYYYYMMDD` after its Monday; `<table>_default` catches rows of
// weeks without one (older than the partitions, or far ahead).
import type { SqlClient } from './store.js';
import { DB_QUERIES } from './tables/db-queries.js';
import { EVENTS } from './tables/events.js';
import { LLM_CALLS } from './tables/llm-calls.js';
import { STEPS } from './tables/steps.js';
import type { Column, Table } from './tables/table.js';

/** The partitioned tables with their partition column. */
export const PARTITIONED_TABLES: readonly (readonly [Table, Column])[] = [LLM_CALLS, STEPS, DB_QUERIES, EVENTS].map((table) => [table, table.partitionedBy as Column] as const);

/** How far ahead of now partitions exist: writes of the coming weeks never land in the default partition. */
export const WEEKS_AHEAD = 4;

const MS_PER_WEEK = 7 * 86_400_000;

/** One partition of a partitioned table. */
export interface Partition {
  readonly name: string;
  /** The week's bounds; undefined for the default partition. */
  readonly from: Date | undefined;
  readonly to: Date | undefined;
}

/** The partitions of `table`, the default last. */
export async function listPartitions(client: SqlClient, table: Table): Promise<Partition[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass($1) ORDER BY c.relname`,
    [table.name],
  );
  const weekly: Partition[] = [];
  const others: Partition[] = [];
  for (const { name } of rows) {
    const match = /_w(\d{4})(\d{2})(\d{2})$/.exec(name);
    if (match === null || !name.startsWith(`${table.name}_w`)) {
      others.push({ name, from: undefined, to: undefined });
      continue;
    }
    const from = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
    weekly.push({ name, from, to: new Date(from.getTime() + MS_PER_WEEK) });
  }
  return [...weekly, ...others];
}

/** Creates the missing weekly partitions of every partitioned table from the week before `now` to WEEKS_AHEAD weeks after. */
export async function ensurePartitions(client: SqlClient, now: Date): Promise<number> {
  let created = 0;
  for (const [table, column] of PARTITIONED_TABLES) {
    const { rows } = await client.query<{ created: number }>(
      `SELECT convotel_ensure_partitions($1, $2, $3::timestamptz - interval '7 days', $3::timestamptz + $4 * interval '7 days') AS created`,
      [table.name, column.name, now.toISOString(), WEEKS_AHEAD],
    );
    created += Number(rows[0]?.created ?? 0);
  }
  return created;
}
