// Two ingest replicas (`convotel serve --only ingest`, real processes) on one PostgreSQL
// database land the same rows as one ingest on another: the same traffic (conversations of many
// turns with steps, LLM calls, tools, SQL, failures, foreign AI SDK and agent traces, log events
// and errors) is routed the way the Collector's `load_balancing` exporter does (by trace id),
// and the harder way (requests cut anywhere, so one trace's and one conversation's spans reach
// both replicas at once, and a third of the requests are retried to the other replica too).
// Every table of the databases, listed from the catalog, is compared row by row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogRecord } from '../../src/otlp/types.js';
import { diffRows, readAllRows, type TableRows } from '../helpers/database-rows.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { deliver, logsRequestJson, runConcurrently, startIngestReplica, traceRequestJson, type IngestReplica } from '../helpers/replica-processes.js';
import {
  aiSdkLegacyTrace,
  Ids,
  invokeAgentTrace,
  lateSessionTrace,
  makeLog,
  MS,
  sdkConversation,
  shuffle,
  split,
  sqlOnlyTrace,
  T0,
  toLogsRequest,
  toTraceRequest,
  type SpanItem,
} from '../helpers/spans.js';

interface Traffic {
  readonly spans: readonly SpanItem[];
  readonly logs: readonly LogRecord[];
}

/** 12 conversations of 12 turns (7 spans each), foreign traces joining them, and a log event per turn. */
function buildTraffic(): Traffic {
  const ids = new Ids(4242);
  const spans: SpanItem[] = [];
  for (let c = 0; c < 12; c += 1) {
    spans.push(
      ...sdkConversation(ids, {
        conversationId: `conv-${c}`,
        userId: `user-${c % 4}`,
        ...(c % 2 === 0 ? { sessionId: `session-${c % 3}` } : {}),
        turns: 12,
        startNs: T0 + BigInt(c) * 45_000n * MS,
        ...(c % 3 === 0 ? { failingTurn: c % 12 } : {}),
        model: c % 2 === 0 ? 'gpt-4o-mini' : 'gpt-4.1',
        // Two conversations never get their conversation span: they stay active.
        withConversationSpan: c % 5 !== 4,
      }),
    );
  }
  for (let i = 0; i < 4; i += 1) {
    spans.push(...aiSdkLegacyTrace(ids, { conversationId: 'conv-1', startNs: T0 + BigInt(i) * 7_000n * MS, withChild: i % 2 === 0 }));
    spans.push(...invokeAgentTrace(ids, { withChild: i % 2 === 1, sessionId: 'conv-2', startNs: T0 + BigInt(i) * 9_000n * MS }));
  }
  spans.push(...lateSessionTrace(ids, 'conv-3'), ...sqlOnlyTrace(ids));
  const logs: LogRecord[] = [];
  spans.forEach(({ span }, index) => {
    if (span.name !== 'turn') return;
    const conversationId = span.attributes['gen_ai.conversation.id'];
    const isError = index % 4 === 0;
    logs.push(
      makeLog({
        eventName: isError ? 'tool.timeout' : 'vad.speech_started',
        attributes: { 'gen_ai.conversation.id': conversationId ?? null, 'convotel.event.component': isError ? 'tools' : 'vad' },
        body: isError ? 'lookup_order timed out after 2 s' : 'speech started',
        severityNumber: isError ? 17 : 9,
        traceId: span.traceId,
        spanId: span.spanId,
        timeNs: span.startTimeUnixNano + 5n * MS,
      }),
    );
  });
  return { spans, logs };
}

/** One request to send: which replica, which path, which body. */
interface Delivery {
  readonly replica: number;
  readonly path: '/v1/traces' | '/v1/logs';
  readonly body: string;
}

function traceDeliveries(chunks: readonly (readonly SpanItem[])[], replicaOf: (chunk: number) => number): Delivery[] {
  return chunks.map((chunk, index) => ({ replica: replicaOf(index), path: '/v1/traces', body: traceRequestJson(toTraceRequest(chunk)) }));
}

function logDeliveries(chunks: readonly (readonly LogRecord[])[], replicaOf: (chunk: number) => number): Delivery[] {
  return chunks.map((chunk, index) => ({ replica: replicaOf(index), path: '/v1/logs', body: logsRequestJson(toLogsRequest(chunk)) }));
}

/** What `load_balancing` with `routing_key: traceID` does: every span and log record of a trace to the replica its trace id picks. */
function routedByTraceId(traffic: Traffic, rng: Ids): Delivery[] {
  const replicaOfTrace = (traceId: string | undefined): number => (traceId === undefined ? 0 : Number.parseInt(traceId.slice(0, 8), 16) % 2);
  const deliveries: Delivery[] = [];
  for (const replica of [0, 1]) {
    const spans = traffic.spans.filter(({ span }) => replicaOfTrace(span.traceId) === replica);
    const logs = traffic.logs.filter((log) => replicaOfTrace(log.traceId) === replica);
    deliveries.push(...traceDeliveries(split(shuffle(spans, rng), 40, rng), () => replica));
    deliveries.push(...logDeliveries(split(shuffle(logs, rng), 20, rng), () => replica));
  }
  return shuffle(deliveries, rng);
}

/**
 * Requests cut anywhere, each to either replica: a trace's spans (and a conversation's turns)
 * reach both at once. A third of the requests are retried to the other replica as well (an
 * exporter that timed out and resent after the ring changed), a tenth twice to the same one.
 */
function splitAndRetried(traffic: Traffic, rng: Ids): Delivery[] {
  const pick = (): number => rng.next() % 2;
  const once = [
    // Small requests, many transactions on the same conversations at once (with requests of up
    // to 40 spans, conversation rows written without their lock went unnoticed).
    ...traceDeliveries(split(shuffle(traffic.spans, rng), 15, rng), pick),
    ...logDeliveries(split(shuffle(traffic.logs, rng), 20, rng), pick),
  ];
  const deliveries: Delivery[] = [];
  for (const delivery of once) {
    deliveries.push(delivery);
    const roll = rng.next() % 30;
    if (roll < 10) deliveries.push({ ...delivery, replica: 1 - delivery.replica });
    else if (roll < 13) deliveries.push(delivery);
  }
  return shuffle(deliveries, rng);
}

async function send(deliveries: readonly Delivery[], replicas: readonly IngestReplica[], concurrency: number): Promise<void> {
  await runConcurrently(
    deliveries.map((delivery) => async () => {
      const replica = replicas[delivery.replica];
      if (replica === undefined) throw new Error(`no replica ${delivery.replica}`);
      await deliver(replica.port, delivery.path, delivery.body);
    }),
    concurrency,
  );
}

const traffic = buildTraffic();
const databases: TestDatabase[] = [];
const replicas: IngestReplica[] = [];
let single: TestDatabase;
let byTrace: { database: TestDatabase; replicas: IngestReplica[] };
let split2: { database: TestDatabase; replicas: IngestReplica[] };
let baseline: TableRows;

async function replicaSet(count: number): Promise<{ database: TestDatabase; replicas: IngestReplica[] }> {
  const database = await createTestDatabase();
  databases.push(database);
  // Started one after the other: each migrates as it starts, and the second finds the schema.
  const started: IngestReplica[] = [];
  for (let i = 0; i < count; i += 1) {
    const replica = await startIngestReplica(database.url);
    replicas.push(replica);
    started.push(replica);
  }
  return { database, replicas: started };
}

beforeAll(async () => {
  const [one, pairA, pairB] = await Promise.all([replicaSet(1), replicaSet(2), replicaSet(2)]);
  single = one.database;
  byTrace = pairA;
  split2 = pairB;
  // One ingest, the whole traffic once, in other request cuts and order, several requests at a time.
  const rng = new Ids(77);
  const deliveries = [
    ...traceDeliveries(split(shuffle(traffic.spans, rng), 60, rng), () => 0),
    ...logDeliveries(split(shuffle(traffic.logs, rng), 30, rng), () => 0),
  ];
  await send(deliveries, one.replicas, 4);
  baseline = await readAllRows(single.url);
}, 60_000);

afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.stop()));
  await Promise.all(databases.map((database) => database.drop()));
});

describe('two ingest replicas on one database', () => {
  it('the traffic fills raw rows, summaries, rollups, conversation keys and error occurrences of one ingest', () => {
    const count = (table: string): number => baseline[table]?.length ?? 0;
    expect(count('llm_calls')).toBeGreaterThan(150);
    for (const table of ['conversations', 'traces', 'steps', 'db_queries', 'events', 'llm_hourly', 'turn_hourly', 'cost_hourly', 'usage_daily', 'conversation_keys', 'error_occurrences']) {
      expect(count(table), table).toBeGreaterThan(0);
    }
  });

  it('land the same rows in every table as one ingest when routed by trace id, as load_balancing does', async () => {
    await send(routedByTraceId(traffic, new Ids(5)), byTrace.replicas, 8);
    expect(diffRows(baseline, await readAllRows(byTrace.database.url))).toEqual({});
  }, 30_000);

  it('land the same rows in every table as one ingest when one trace and one conversation reach both, and requests are retried to both', async () => {
    await send(splitAndRetried(traffic, new Ids(6)), split2.replicas, 8);
    expect(diffRows(baseline, await readAllRows(split2.database.url))).toEqual({});
  }, 30_000);
});
