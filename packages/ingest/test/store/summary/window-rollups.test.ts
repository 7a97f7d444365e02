// The rollups the ingest keeps against the same rollups computed from raw rows: a database at
// schema version 2 holding the raw rows (the upgrade case), migrated to the latest, whose backfill must
// equal what the ingest wrote — for traffic delivered in order, and again in random splits and
// orders with repeats. Traffic: turns over several hours and days whose conversation span (agent,
// channel) comes before or after them, failed and interrupted turns, perceived latencies, a late
// session id, agent stand-ins replaced by real calls, layer twins relabelled, and SQL spans.
import { ATTR_CONVOTEL_TURN_INTERRUPTED, ATTR_CONVOTEL_TURN_PERCEIVED_LATENCY_MS } from '@convotel/semconv';
import { migrate, readMigrations, type Store } from '@convotel/store';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeTraceRequest } from '../../../src/pipeline/write-request.js';
import { StoreSink } from '../../../src/store/store-sink.js';
import { openTestStore, queryRows, STORE_KINDS, truncateAll, type TestStore } from '../../helpers/db.js';
import { loadTraceFixture } from '../../helpers/fixtures.js';
import {
  aiSdkLegacyTrace,
  Ids,
  invokeAgentTrace,
  item,
  lateSessionTrace,
  makeSpan,
  MS,
  PG_SCOPE,
  sdkConversation,
  shuffle,
  split,
  spansOf,
  sqlOnlyTrace,
  T0,
  toTraceRequest,
  withAttributes,
  type SpanItem,
} from '../../helpers/spans.js';

const HOUR = 3_600_000n * MS;
const ROLLUPS = ['llm_hourly', 'llm_daily', 'step_hourly', 'step_daily', 'conversation_hourly', 'turn_hourly', 'turn_daily', 'usage_daily', 'usage_hourly', 'sql_hourly', 'sql_daily', 'error_occurrences', 'cost_hourly', 'cost_daily', 'conversation_keys'] as const;
// Raw tables (and the rollups version 2 had), copied to the version-2 database.
const RAW_TABLES = ['conversations', 'traces', 'llm_calls', 'steps', 'db_queries', 'events', 'llm_hourly', 'step_hourly'] as const;

function traffic(): SpanItem[] {
  const ids = new Ids(606);
  const items: SpanItem[] = [];
  for (let i = 0; i < 8; i += 1) {
    const conversation = sdkConversation(ids, {
      conversationId: `conv-${i}`,
      userId: `user-${i % 3}`,
      sessionId: `session-${i % 2}`,
      turns: 1 + (i % 4),
      failingTurn: i % 3 === 0 ? 0 : undefined,
      // Hours apart, across two days; two conversations never end (no agent, no channel).
      startNs: T0 + BigInt(i * 5) * HOUR + BigInt(i * 1234) * MS,
      withConversationSpan: i % 4 !== 3,
      model: i % 2 === 0 ? 'gpt-4o-mini' : 'gpt-4o',
    });
    // Voice turns report a perceived latency; some were interrupted, some failed.
    items.push(
      ...conversation.map((item, j) => {
        if (item.span.name !== 'turn') return item;
        const turn = withAttributes(item, { [ATTR_CONVOTEL_TURN_PERCEIVED_LATENCY_MS]: 300 + 137 * i + 11 * j + 0.25, [ATTR_CONVOTEL_TURN_INTERRUPTED]: (i + j) % 3 === 0 });
        return (i + j) % 4 === 1 ? { ...turn, span: { ...turn.span, status: { code: 2 as const, message: 'turn failed' } } } : turn;
      }),
    );
  }
  items.push(
    ...aiSdkLegacyTrace(ids, { conversationId: 'conv-1' }),
    ...invokeAgentTrace(ids, { withChild: true, sessionId: 's-agent' }),
    ...invokeAgentTrace(ids, { withChild: false, startNs: T0 + 30n * HOUR }),
    ...lateSessionTrace(ids, 'sess-late'),
    ...sqlOnlyTrace(ids),
    ...failedSqlSpans(ids),
    ...failedSqlInTurns(items, ids),
    ...loadTraceFixture('llamaindex-openllmetry').flatMap((request) => spansOf(request)),
    ...loadTraceFixture('langchain-openllmetry').flatMap((request) => spansOf(request)),
  );
  return items;
}

/**
 * SQL spans beside the turns' own: a statement longer than a btree key may be (keyed by its
 * hash), failing now and then, in hours over two days, and a MySQL span.
 */
function failedSqlSpans(ids: Ids): SpanItem[] {
  const columns = Array.from({ length: 600 }, (_, i) => `column_${i}`).join(', ');
  return Array.from({ length: 6 }, (_, i) => {
    const traceId = ids.traceId();
    const attributes: Record<string, string | number> =
      i === 5 ? { 'db.system.name': 'mysql', 'db.query.text': 'SHOW TABLES' } : { 'db.system.name': 'postgresql', 'db.query.text': `SELECT ${columns} FROM wide WHERE id = ${i}`, 'db.response.returned_rows': i };
    const status = i % 2 === 0 ? { code: 2 as const, message: 'canceling statement due to statement timeout' } : undefined;
    return item(makeSpan({ traceId, spanId: ids.spanId(), name: 'pg.query:SELECT', kind: 3, startNs: T0 + BigInt(i * 7) * HOUR + 17n * MS, durationMs: 3 + i * 1.25, attributes, status }), PG_SCOPE);
  });
}

/**
 * A failed SQL span in each turn of one conversation that never fails otherwise: delivered
 * before the turn's GenAI spans, it is stored without a conversation and relabelled later.
 */
function failedSqlInTurns(items: readonly SpanItem[], ids: Ids): SpanItem[] {
  const failing = new Set(items.filter((entry) => entry.span.status?.code === 2).map((entry) => entry.span.traceId));
  const turns = items.filter((entry) => entry.span.name === 'turn' && !failing.has(entry.span.traceId)).slice(0, 4);
  return turns.map((turn) =>
    item(
      makeSpan({
        traceId: turn.span.traceId,
        spanId: ids.spanId(),
        parentSpanId: turn.span.spanId,
        name: 'pg.query:UPDATE',
        kind: 3,
        startNs: BigInt(turn.span.startTimeUnixNano) + 5n * MS,
        durationMs: 2,
        attributes: { 'db.system.name': 'postgresql', 'db.query.text': 'UPDATE sessions SET seen = now()' },
        status: { code: 2 as const, message: 'deadlock detected' },
      }),
      PG_SCOPE,
    ),
  );
}

async function rows(store: Store, sql: string, params: readonly unknown[] = []): Promise<Record<string, unknown>[]> {
  return queryRows(store, sql, params);
}

/** Every row of a table as JSON, in key order (equal dumps, equal tables). */
async function dump(store: Store, table: string): Promise<unknown[]> {
  const result = await rows(store, `SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY to_jsonb(t)::text`);
  return result.map((row) => (typeof row['row'] === 'string' ? JSON.parse(row['row']) : row['row']));
}

async function dumpRollups(store: Store): Promise<Record<string, unknown[]>> {
  return Object.fromEntries(await Promise.all(ROLLUPS.map(async (table) => [table, await dump(store, table)] as const)));
}

describe.each(STORE_KINDS)('window rollups written by the ingest against their backfill from raw rows (%s)', (kind) => {
  let written: TestStore;
  let upgraded: TestStore;
  let sink: StoreSink;
  const items = traffic();
  const send = async (chunks: readonly (readonly SpanItem[])[]): Promise<void> => {
    for (const chunk of chunks) await writeTraceRequest(sink, toTraceRequest(chunk), chunk.length * 700);
  };

  beforeAll(async () => {
    written = await openTestStore(kind);
    upgraded = await openTestStore(kind, { version: 2 });
  }, 60_000);
  afterAll(async () => {
    await written?.close();
    await upgraded?.close();
  });
  beforeEach(() => {
    sink = new StoreSink(written.store);
  });

  it('backfills, on a database of version 2 holding the raw rows, the rollups the ingest wrote', async () => {
    await send([items]);
    expect(await rows(upgraded.store, 'SELECT max(version) AS version FROM schema_migrations')).toEqual([{ version: 2 }]);
    for (const table of RAW_TABLES) {
      const [{ rows: json } = { rows: '[]' }] = await rows(written.store, `SELECT coalesce(jsonb_agg(to_jsonb(t)), '[]')::text AS rows FROM ${table} t`);
      await rows(upgraded.store, `INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)`, [json]);
    }
    const result = await migrate(upgraded.store);
    expect(result.applied).toEqual((await readMigrations()).filter((migration) => migration.version > 2).map((migration) => migration.version));

    const ingested = await dumpRollups(written.store);
    expect(await dumpRollups(upgraded.store)).toEqual(ingested);
    // The traffic reaches every kind of key: hours over two days, agents and channels both known
    // and not, perceived latencies, stand-ins replaced and twins relabelled.
    expect(ingested['turn_hourly']?.length).toBeGreaterThan(10);
    const [turns] = await rows(
      written.store,
      `SELECT count(DISTINCT agent_name)::int AS agents, count(DISTINCT date_trunc('day', hour))::int AS days, sum(perceived_count)::int AS perceived,
              sum(interruptions)::int AS interruptions, sum(errors)::int AS errors FROM turn_hourly`,
    );
    expect(turns?.['agents']).toBe(2);
    expect(Number(turns?.['days'])).toBeGreaterThanOrEqual(2);
    expect(Number(turns?.['perceived'])).toBeGreaterThan(10);
    expect(Number(turns?.['interruptions'])).toBeGreaterThan(0);
    expect(Number(turns?.['errors'])).toBeGreaterThan(0);
    expect(await rows(written.store, `SELECT DISTINCT key FROM usage_daily WHERE dimension = 'session' AND key = 'sess-late'`)).toHaveLength(1);
    // Cost rollups (migration 0009): every dimension, the late session and both agents among the keys.
    const [costs] = await rows(
      written.store,
      `SELECT count(DISTINCT dimension)::int AS dimensions, count(*) FILTER (WHERE dimension = 'session' AND key = 'sess-late')::int AS late,
              count(DISTINCT key) FILTER (WHERE dimension = 'agent')::int AS agents, count(DISTINCT day)::int AS days FROM cost_daily`,
    );
    expect(costs).toMatchObject({ dimensions: 7, late: 1, agents: 2 });
    expect(Number(costs?.['days'])).toBeGreaterThanOrEqual(2);
    expect(await rows(written.store, `SELECT 1 FROM conversation_keys WHERE dimension = 'session' AND key = 'sess-late'`)).toHaveLength(1);
    // SQL spans of both systems, a statement of over 6 kB among them, some failed, over two days.
    const [sql] = await rows(
      written.store,
      `SELECT count(DISTINCT system)::int AS systems, max(length(statement))::int AS longest, sum(errors)::int AS errors,
              count(DISTINCT date_trunc('day', hour))::int AS days, (SELECT count(*)::int FROM db_queries) - sum(count)::int AS missing FROM sql_hourly`,
    );
    expect(sql).toMatchObject({ systems: 2, errors: 3 + 4, missing: 0 });
    expect(Number(sql?.['longest'])).toBeGreaterThan(6000);
    expect(Number(sql?.['days'])).toBeGreaterThanOrEqual(2);
    // Every usage row holds its calls' latencies (migration 0006), by day and by hour.
    expect(await rows(written.store, `SELECT 1 FROM usage_daily WHERE (SELECT coalesce(sum(n), 0) FROM unnest(latency_bucket_count) AS n) <> calls`)).toEqual([]);
    expect(await rows(written.store, `SELECT 1 FROM usage_hourly WHERE (SELECT coalesce(sum(n), 0) FROM unnest(latency_bucket_count) AS n) <> calls`)).toEqual([]);
    // usage_hourly (migration 0008) holds usage_daily's calls over many hours, the late session's among them.
    const [usage] = await rows(
      written.store,
      `SELECT (SELECT count(DISTINCT hour)::int FROM usage_hourly) AS hours, (SELECT sum(calls)::int FROM usage_hourly) AS hourly,
              (SELECT sum(calls)::int FROM usage_daily) AS daily, (SELECT count(*)::int FROM usage_hourly WHERE dimension = 'session' AND key = 'sess-late') AS late`,
    );
    expect(Number(usage?.['hours'])).toBeGreaterThan(5);
    expect(usage?.['hourly']).toBe(usage?.['daily']);
    expect(Number(usage?.['late'])).toBeGreaterThan(0);
    const [conversations] = await rows(
      written.store,
      `SELECT (SELECT sum(conversations)::int FROM conversation_hourly) AS rolled, (SELECT count(*)::int FROM conversations) AS stored,
              (SELECT count(DISTINCT status)::int FROM conversation_hourly) AS statuses`,
    );
    expect(conversations?.['rolled']).toBe(conversations?.['stored']);
    expect(conversations?.['statuses']).toBeGreaterThanOrEqual(2);
    // Error occurrences of failed turns, calls and SQL spans, some of them in conversations.
    const [errors] = await rows(
      written.store,
      `SELECT count(*)::int AS occurrences, count(DISTINCT error_message)::int AS messages, count(conversation_id)::int AS conversed,
              count(*) FILTER (WHERE error_message = 'canceling statement due to statement timeout')::int AS sql FROM error_occurrences`,
    );
    expect(errors).toMatchObject({ sql: 3 });
    expect(await rows(written.store, `SELECT conversation_id FROM error_occurrences WHERE error_message = 'deadlock detected' AND conversation_id IS NOT NULL`)).toHaveLength(4);
    expect(Number(errors?.['messages'])).toBeGreaterThanOrEqual(3);
    expect(Number(errors?.['conversed'])).toBeGreaterThan(3);
  });

  it('ends in rollups equal to the backfill for random splits and orders of the spans, with repeats', async () => {
    const backfilled = await dumpRollups(upgraded.store);
    const rng = new Ids(Number(process.env['CONVOTEL_PROPERTY_SEED'] ?? 5));
    for (let round = 0; round < Number(process.env['CONVOTEL_PROPERTY_ROUNDS'] ?? 3); round += 1) {
      await truncateAll(written.store);
      const shuffled = shuffle(items, rng);
      await send(split([...shuffled, ...shuffle(shuffled, rng).slice(0, 25)], 1 + (rng.next() % 20), rng));
      expect(await dumpRollups(written.store), `round ${round}`).toEqual(backfilled);
    }
  });
});
