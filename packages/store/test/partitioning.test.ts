// The raw tables partitioned by week (migrations/0010): an existing database survives the
// upgrade with its rows, and retention drops whole weeks, deleting rows only in the boundary week.
import { describe, expect, it } from 'vitest';
import { cleanup } from '../src/cleanup.js';
import { migrate, readMigrations } from '../src/migrate.js';
import { createPostgresStore } from '../src/postgres.js';
import type { SqlClient, Store } from '../src/store.js';
import { openTestStore, queryRows, STORE_KINDS } from './helpers/db.js';

const DAY = 86_400_000;
const RAW_TABLES = ['llm_calls', 'steps', 'db_queries', 'events'] as const;

/** Inserts one row per raw table for span `id` at `at`, skipping rows already stored; returns how many were new. */
async function insertSpan(client: SqlClient, id: string, at: string): Promise<number> {
  const statements = [
    `INSERT INTO llm_calls (trace_id, span_id, billing, span_name, operation, call_type, started_at, ended_at, duration_ms, status,
       input_tokens, attributes, source_keys, scope_name, flavour)
     VALUES ($1, 's1', 'call', 'chat', 'chat', 'chat', $2, $2, 1, 'ok', 7, '{"a":1}', '{}', 'scope', 'convotel')`,
    `INSERT INTO steps (trace_id, span_id, kind, name, span_name, started_at, ended_at, duration_ms, status, attributes, source_keys, scope_name, flavour)
     VALUES ($1, 's2', 'step', 'stt', 'step stt', $2, $2, 1, 'ok', '{}', '{}', 'scope', 'convotel')`,
    `INSERT INTO db_queries (trace_id, span_id, system, started_at, duration_ms, status, scope_name) VALUES ($1, 's3', 'postgresql', $2, 1, 'ok', 'scope')`,
    `INSERT INTO events (event_id, time, severity_number, attributes, scope_name, trace_id) VALUES ($1, $2, 9, '{}', 'scope', $1)`,
  ];
  let inserted = 0;
  for (const sql of statements) inserted += (await client.query(`${sql} ON CONFLICT DO NOTHING RETURNING 1`, [id, at])).rows.length;
  return inserted;
}

async function dump(store: Store): Promise<Record<string, unknown[]>> {
  const dumped: Record<string, unknown[]> = {};
  for (const table of RAW_TABLES) {
    const order = table === 'events' ? 'event_id' : 'trace_id, span_id';
    dumped[table] = await queryRows(store, `SELECT * FROM ${table} ORDER BY ${order}`);
  }
  return dumped;
}

/** The partition holding trace `id`'s LLM call. */
async function partitionOf(store: Store, id: string): Promise<string | undefined> {
  const rows = await queryRows<{ partition: string }>(store, `SELECT tableoid::regclass::text AS partition FROM llm_calls WHERE trace_id = $1`, [id]);
  return rows[0]?.partition;
}

function weekName(table: string, at: Date): string {
  const monday = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() - ((at.getUTCDay() + 6) % 7)));
  return `${table}_w${monday.toISOString().slice(0, 10).replaceAll('-', '')}`;
}

describe.each(STORE_KINDS)('partitioned raw tables (%s)', (kind) => {
  it('carries the rows of a database at 0009 into weekly partitions: read back identically, written again not duplicated', async () => {
    const db = await openTestStore(kind, { version: 9 });
    try {
      const now = Date.now();
      const spans: [string, string][] = [
        ['recent', new Date(now - 2 * DAY).toISOString()],
        ['last-month', new Date(now - 20 * DAY).toISOString()],
        ['years-ago', new Date(now - 3 * 365 * DAY).toISOString()],
        ['next-year', new Date(now + 365 * DAY).toISOString()],
      ];
      for (const [id, at] of spans) expect(await db.store.withClient((client) => insertSpan(client, id, at))).toBe(4);
      const before = await dump(db.store);

      // Up to 0010 only: the test is about the partitioning, and later migrations add columns.
      const upTo10 = (await readMigrations()).filter((m) => m.version <= 10);
      expect((await migrate(db.store, upTo10)).applied).toEqual([10]);

      expect(await dump(db.store)).toEqual(before);
      expect(await partitionOf(db.store, 'recent')).toBe(weekName('llm_calls', new Date(now - 2 * DAY)));
      expect(await partitionOf(db.store, 'last-month')).toBe(weekName('llm_calls', new Date(now - 20 * DAY)));
      // Beyond the weeks made at the upgrade (two years back, four ahead): the default partition.
      expect(await partitionOf(db.store, 'years-ago')).toBe('llm_calls_default');
      expect(await partitionOf(db.store, 'next-year')).toBe('llm_calls_default');
      for (const [id, at] of spans) expect(await db.store.withClient((client) => insertSpan(client, id, at))).toBe(0);

      // A week made later takes its rows out of the default partition.
      const nextYear = spans[3]![1];
      await db.store.withClient((client) => client.query(`SELECT convotel_ensure_partitions('llm_calls', 'started_at', $1, $1)`, [nextYear]));
      expect(await partitionOf(db.store, 'next-year')).toBe(weekName('llm_calls', new Date(nextYear)));
      expect(await dump(db.store)).toEqual(before);
      expect(await db.store.withClient((client) => insertSpan(client, 'next-year', nextYear))).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('drops the weeks wholly before the cutoff, deletes rows only in the boundary week and the default partition, keeps newer rows', async () => {
    const db = await openTestStore(kind);
    try {
      // A Wednesday noon: the 30-day cutoff is Monday 2026-02-09 12:00, inside its week.
      const now = new Date('2026-03-11T12:00:00Z');
      const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY).toISOString();
      for (const table of RAW_TABLES) {
        const column = table === 'events' ? 'time' : 'started_at';
        await db.store.withClient((client) => client.query(`SELECT convotel_ensure_partitions($1, $2, $3, $4)`, [table, column, at(60), now.toISOString()]));
      }
      const spans: [string, string][] = [
        ['default-old', '2020-01-01T00:00:00Z'],
        ['dropped-1', at(40)],
        ['dropped-2', at(31)],
        ['boundary-old', at(30 + 1 / 24)],
        ['boundary-new', at(29)],
        ['recent', at(1)],
      ];
      for (const [id, time] of spans) await db.store.withClient((client) => insertSpan(client, id, time));

      const result = await cleanup(db.store, 30, now);

      expect(result.before).toBe('2026-02-09T12:00:00.000Z');
      for (const table of RAW_TABLES) expect(result.deleted[table]).toBe(4);
      expect(result.dropped).toEqual(expect.arrayContaining(RAW_TABLES.flatMap((table) => [`${table}_w20260126`, `${table}_w20260202`])));
      expect(result.dropped).not.toContain('llm_calls_w20260209');
      for (const table of RAW_TABLES) {
        const ids = await queryRows<{ id: string }>(db.store, `SELECT ${table === 'events' ? 'event_id' : 'trace_id'} AS id FROM ${table} ORDER BY 1`);
        expect(ids.map((row) => row.id)).toEqual(['boundary-new', 'recent']);
      }
      expect(await partitionOf(db.store, 'boundary-new')).toBe('llm_calls_w20260209');

      // A span redelivered after its week was dropped has nothing to meet: it is stored again, in
      // the default partition, and the next run deletes it.
      expect(await db.store.withClient((client) => insertSpan(client, 'dropped-1', at(40)))).toBe(4);
      expect(await partitionOf(db.store, 'dropped-1')).toBe('llm_calls_default');
      const again = await cleanup(db.store, 30, now);
      for (const table of RAW_TABLES) expect(again.deleted[table]).toBe(1);
      expect(again.dropped).toEqual([]);
      expect(await partitionOf(db.store, 'dropped-1')).toBeUndefined();
      // A redelivered span newer than the cutoff meets its stored copy.
      expect(await db.store.withClient((client) => insertSpan(client, 'boundary-new', at(29)))).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('makes the partitions of the weeks ahead at each retention run', async () => {
    const db = await openTestStore(kind);
    try {
      const now = new Date('2027-06-02T00:00:00Z');
      await cleanup(db.store, 30, now);
      const names = await queryRows<{ name: string }>(db.store, `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'steps'::regclass`);
      const weeks = names.map((row) => row.name);
      for (let week = -1; week <= 4; week += 1) expect(weeks).toContain(weekName('steps', new Date(now.getTime() + week * 7 * DAY)));
    } finally {
      await db.close();
    }
  });
});

describe('partitioned raw tables (postgres, two retention runs at once)', () => {
  it('lets two processes run retention at once: both succeed, each week is dropped once, the old rows are gone', async () => {
    const db = await openTestStore('postgres');
    const other = createPostgresStore({ connectionString: db.database!.url });
    try {
      const now = new Date('2026-03-11T12:00:00Z');
      for (const table of RAW_TABLES) {
        const column = table === 'events' ? 'time' : 'started_at';
        await db.store.withClient((client) => client.query(`SELECT convotel_ensure_partitions($1, $2, $3, $4)`, [table, column, new Date(now.getTime() - 90 * DAY).toISOString(), now.toISOString()]));
      }
      for (let day = 35; day < 90; day += 1) await db.store.withClient((client) => insertSpan(client, `old-${day}`, new Date(now.getTime() - day * DAY).toISOString()));
      await db.store.withClient((client) => insertSpan(client, 'recent', new Date(now.getTime() - DAY).toISOString()));

      const results = await Promise.all([cleanup(db.store, 30, now), cleanup(other, 30, now)]);

      const dropped = results.flatMap((result) => result.dropped);
      expect(new Set(dropped).size).toBe(dropped.length);
      expect(results[0]!.deleted['llm_calls']! + results[1]!.deleted['llm_calls']!).toBe(55);
      for (const table of RAW_TABLES) {
        const ids = await queryRows<{ id: string }>(db.store, `SELECT ${table === 'events' ? 'event_id' : 'trace_id'} AS id FROM ${table}`);
        expect(ids.map((row) => row.id)).toEqual(['recent']);
      }
    } finally {
      await other.close();
      await db.close();
    }
  });
});
