// Retention: removes raw rows (and turns and conversations) older than a cutoff; the rollups
// (llm_hourly, step_hourly, turn_hourly, usage_daily, usage_hourly, …) are kept, so answers over weeks still work.
// The raw span and event tables are partitioned by week (partitions.ts): a week wholly before the
// cutoff is dropped, and rows are deleted only in the week the cutoff falls in and in the default
// partition. Each run also creates the partitions of the weeks ahead.
// Error occurrences hold error messages and are a function of the raw rows, so they go with them;
// so do conversation_keys rows (one per conversation and key, the bulk of the cost rollups' bytes)
// whose last row is before the cutoff: only the edges of windows over raw rows read them.
// Deletes in slices to keep each statement short on large tables.
import type { SqlClient, Store } from './store.js';
import { CONVERSATIONS } from './tables/conversations.js';
import { ensurePartitions, listPartitions, PARTITIONED_TABLES } from './partitions.js';
import { CONVERSATION_KEYS } from './tables/cost-rollups.js';
import { ERROR_OCCURRENCES } from './tables/error-occurrences.js';
import { EVENTS } from './tables/events.js';
import type { Column, Table } from './tables/table.js';
import { SPAN_EDGES, TRACE_TURNS, TRACES } from './tables/traces.js';

/** What `cleanup` removed. */
export interface CleanupResult {
  /** Cutoff used (ISO timestamp). */
  readonly before: string;
  /** Rows removed per table (deleted, or in a dropped partition). */
  readonly deleted: Readonly<Record<string, number>>;
  /** Partitions dropped (their names). */
  readonly dropped: readonly string[];
}

const SLICE_ROWS = 10_000;
// Session-level advisory lock of a retention run; any constant, the same in every convotel process.
const RETENTION_LOCK_KEY = 4_242_000_003;
const MS_PER_DAY = 86_400_000;

// Each unpartitioned table with the time its rows age by.
const SUMMARY_TABLES: readonly (readonly [Table, Column])[] = [
  [TRACES, TRACES.columns.lastSeenAt],
  [CONVERSATIONS, CONVERSATIONS.columns.lastSeenAt],
  // Every row of an occurrence started before its last start.
  [ERROR_OCCURRENCES, ERROR_OCCURRENCES.columns.lastStartedAt],
];

/**
 * Removes rows older than `olderThanDays` days before `now` from every raw table (dropping the weeks
 * wholly before the cutoff), turns (with the turns and span edges found inside them),
 * conversations, error occurrences and conversation_keys; the rollups are kept.
 */
export async function cleanup(store: Store, olderThanDays: number, now: Date = new Date()): Promise<CleanupResult> {
  if (!Number.isFinite(olderThanDays) || olderThanDays < 0) throw new RangeError(`olderThanDays must be a number >= 0, got ${olderThanDays}`);
  const before = new Date(now.getTime() - Math.round(olderThanDays * MS_PER_DAY)).toISOString();
  const deleted: Record<string, number> = {};
  const dropped: string[] = [];
  await store.withClient(async (client) => {
    if (!(await isPartitioned(client))) {
      for (const [table, column] of PARTITIONED_TABLES) deleted[table.name] = await deleteInSlices(client, table, `${column} < $1::timestamptz`, [before]);
      return;
    }
    // One run at a time (replicas each run retention): the second finds the weeks already gone.
    await client.query('SELECT pg_advisory_lock($1)', [RETENTION_LOCK_KEY]);
    try {
      await ensurePartitions(client, now);
      for (const [table, column] of PARTITIONED_TABLES) {
        deleted[table.name] = 0;
        for (const partition of await listPartitions(client, table)) {
          if (partition.from !== undefined && partition.from.toISOString() >= before) continue;
          const part = { ...table, name: partition.name, toString: () => partition.name };
          if (partition.to !== undefined && partition.to.toISOString() <= before) {
            deleted[table.name] += await dropPartition(client, part);
            dropped.push(partition.name);
          } else {
            deleted[table.name] += await deleteInSlices(client, part, `${column} < $1::timestamptz`, [before]);
          }
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK_KEY]);
    }
  });
  for (const [table, column] of SUMMARY_TABLES) {
    deleted[table.name] = await store.withClient((client) => deleteInSlices(client, table, `${column} < $1::timestamptz`, [before]));
  }
  // Turns that only ever saw log records have no span times: they go with their last event.
  const t = TRACES.columns;
  const orphans = `${t.lastSeenAt} IS NULL AND NOT EXISTS (SELECT 1 FROM ${EVENTS} e WHERE e.${EVENTS.columns.traceId} = ${TRACES}.${t.traceId})`;
  deleted[TRACES.name] = (deleted[TRACES.name] ?? 0) + (await store.withClient((client) => deleteInSlices(client, TRACES, orphans, [])));
  // The turns found inside a trace and its span edges live as long as the trace's row.
  for (const table of [TRACE_TURNS, SPAN_EDGES]) {
    const gone = `NOT EXISTS (SELECT 1 FROM ${TRACES} t WHERE t.${t.traceId} = ${table}.${table.columns.traceId})`;
    deleted[table.name] = await store.withClient((client) => deleteInSlices(client, table, gone, []));
  }
  deleted[CONVERSATION_KEYS.name] = await store.withClient((client) => deleteConversationKeys(client, before));
  return { before, deleted, dropped };
}

/**
 * Whether the raw tables are partitioned: a database still migrating to 0010 (in the background,
 * beside a running server) is retained row by row as before.
 */
async function isPartitioned(client: SqlClient): Promise<boolean> {
  const { rows } = await client.query<{ partitioned: boolean }>(`SELECT coalesce((SELECT relkind = 'p' FROM pg_class WHERE oid = to_regclass($1)), false) AS partitioned`, [
    PARTITIONED_TABLES[0]?.[0].name,
  ]);
  return rows[0]?.partitioned === true;
}

/**
 * Drops a partition, returning how many rows it held. The drop locks the parent table for a
 * moment (ACCESS EXCLUSIVE): it waits for running queries on it, and writes wait for it.
 */
async function dropPartition(client: SqlClient, partition: Table): Promise<number> {
  const { rows } = await client.query<{ count: number | string }>(`SELECT count(*) AS count FROM ${partition}`);
  await client.exec(`DROP TABLE ${partition}`);
  return Number(rows[0]?.count ?? 0);
}

/**
 * Deletes the conversation_keys rows last seen before `before`, a page of the primary key at a
 * time: no index leads with last_at (one would cost every write), and slices found by scanning
 * would each read again the rows the earlier ones kept.
 */
async function deleteConversationKeys(client: SqlClient, before: string): Promise<number> {
  const K = CONVERSATION_KEYS.columns;
  const key = `${K.conversationId}, ${K.dimension}, ${K.key}`;
  const keyDesc = `${K.conversationId} DESC, ${K.dimension} DESC, ${K.key} DESC`;
  let after: readonly [string, string, string] | undefined;
  let total = 0;
  for (;;) {
    const { rows } = await client.query<{ deleted: number | string; conversation_id: string | null; dimension: string | null; key: string | null }>(
      `WITH page AS (
         SELECT ${key}, ${K.lastAt} AS last_at FROM ${CONVERSATION_KEYS}
          ${after === undefined ? '' : `WHERE (${key}) > ($2::text, $3::text, $4::text)`} ORDER BY ${key} LIMIT ${SLICE_ROWS}
       ), gone AS (
         DELETE FROM ${CONVERSATION_KEYS} k USING page p
          WHERE p.last_at < $1::timestamptz AND (k.${K.conversationId}, k.${K.dimension}, k.${K.key}) = (p.${K.conversationId}, p.${K.dimension}, p.${K.key})
         RETURNING 1
       ), last AS (SELECT ${key} FROM page ORDER BY ${keyDesc} LIMIT 1)
       SELECT (SELECT count(*) FROM gone) AS deleted, l.${K.conversationId} AS conversation_id, l.${K.dimension} AS dimension, l.${K.key} AS key
         FROM (SELECT 1) AS one LEFT JOIN last l ON true`,
      after === undefined ? [before] : [before, ...after],
    );
    const row = rows[0];
    total += Number(row?.deleted ?? 0);
    if (row?.conversation_id == null || row.dimension == null || row.key == null) return total;
    after = [row.conversation_id, row.dimension, row.key];
  }
}

async function deleteInSlices(client: SqlClient, table: Table, condition: string, params: readonly unknown[]): Promise<number> {
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
