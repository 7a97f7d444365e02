// The store suite: run against real PostgreSQL and against PGlite, with the same expectations.
import { estimateCost } from '@convotel/pricing';
import { cleanup } from '@convotel/store';
import { beforeEach, describe, expect, it } from 'vitest';
import { StoreSink } from '../../src/store/store-sink.js';
import { writeLogsRequest, writeTraceRequest } from '../../src/pipeline/write-request.js';
import { dumpTables, queryRows, STORE_KINDS, truncateAll, useEmptiedStore } from '../helpers/db.js';
import {
  aiSdkLegacyTrace,
  CONVOTEL_SCOPE,
  Ids,
  invokeAgentTrace,
  item,
  lateSessionTrace,
  makeLog,
  makeSpan,
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
import type { LogRecord } from '../../src/otlp/types.js';

type Delivery = { kind: 'span'; item: SpanItem } | { kind: 'log'; record: LogRecord };

/** Sends deliveries as requests: spans and logs of a chunk go out as one traces and one logs request. */
async function deliver(sink: StoreSink, chunks: readonly (readonly Delivery[])[], concurrently = false): Promise<void> {
  const send = async (chunk: readonly Delivery[]): Promise<void> => {
    const spans = chunk.flatMap((d) => (d.kind === 'span' ? [d.item] : []));
    const logs = chunk.flatMap((d) => (d.kind === 'log' ? [d.record] : []));
    const writes: Promise<unknown>[] = [];
    if (spans.length > 0) writes.push(writeTraceRequest(sink, toTraceRequest(spans), spans.length * 700));
    if (logs.length > 0) writes.push(writeLogsRequest(sink, toLogsRequest(logs), logs.length * 300));
    await Promise.all(writes);
  };
  if (concurrently) await Promise.all(chunks.map(send));
  else for (const chunk of chunks) await send(chunk);
}

const spansOnly = (items: readonly SpanItem[]): Delivery[] => items.map((i) => ({ kind: 'span', item: i }));

describe.each(STORE_KINDS)('store (%s)', (kind) => {
  const db = useEmptiedStore(kind);
  let sink: StoreSink;
  beforeEach(() => {
    sink = new StoreSink(db.store);
  });

  const rows = <R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []) => queryRows<R>(db.store, sql, params);

  it('counts a retried batch once', async () => {
    const request = toTraceRequest(sdkConversation(new Ids(11), { conversationId: 'conv-retry', userId: 'u1', turns: 3 }));
    await writeTraceRequest(sink, request, 1000);
    const once = await dumpTables(db.store);
    await writeTraceRequest(sink, request, 1000);
    await Promise.all([writeTraceRequest(sink, request, 1000), writeTraceRequest(sink, request, 1000)]);
    expect(await dumpTables(db.store)).toEqual(once);
    const [conversation] = await rows<{ turns: number; llm_calls: number; input_tokens: string | number }>(
      'SELECT turns, llm_calls, input_tokens FROM conversations',
    );
    expect(conversation).toMatchObject({ turns: 3, llm_calls: 3 });
    expect(Number(conversation?.input_tokens)).toBe(1000 + 1001 + 1002);
  });

  it('gives the same rows for any split and order of a batch', async () => {
    const ids = new Ids(2024);
    const items: SpanItem[] = [
      ...sdkConversation(ids, { conversationId: 'conv-a', userId: 'ua', sessionId: 's-a', turns: 3, failingTurn: 1 }),
      ...sdkConversation(ids, { conversationId: 'conv-b', userId: 'ub', turns: 2, startNs: T0 + 30_000n * MS, withConversationSpan: false }),
      ...aiSdkLegacyTrace(ids, { conversationId: 'conv-b' }),
      ...invokeAgentTrace(ids, { withChild: true, sessionId: 's-agent' }),
      ...invokeAgentTrace(ids, { withChild: false, startNs: T0 + 150_000n * MS }),
      ...lateSessionTrace(ids, 'sess-late'),
      ...sqlOnlyTrace(ids),
    ];
    const llmSpan = items.find((i) => i.span.name.startsWith('chat gpt-4o-mini'))?.span;
    const logs: LogRecord[] = [
      makeLog({ eventName: 'balance_lookup', attributes: { 'convotel.event.component': 'account_service' }, traceId: llmSpan?.traceId, spanId: llmSpan?.spanId }),
      makeLog({
        eventName: 'gen_ai.choice',
        body: { index: 0, finish_reason: 'stop', message: { content: 'answer' } },
        traceId: llmSpan?.traceId,
        spanId: llmSpan?.spanId,
        timeNs: T0 + 5n * MS,
      }),
      makeLog({ eventName: 'orphan_event', traceId: 'f'.repeat(32), spanId: 'e'.repeat(16), severityNumber: 17 }),
    ];
    const deliveries: Delivery[] = [...spansOnly(items), ...logs.map((record): Delivery => ({ kind: 'log', record }))];

    await deliver(sink, [deliveries]);
    const baseline = await dumpTables(db.store);
    expect(baseline['conversations']?.length).toBeGreaterThanOrEqual(4);

    // CONVOTEL_PROPERTY_ROUNDS / _SEED widen the search (e.g. 200 rounds) when changing write-batch.ts.
    const rng = new Ids(Number(process.env['CONVOTEL_PROPERTY_SEED'] ?? 99));
    const rounds = Number(process.env['CONVOTEL_PROPERTY_ROUNDS'] ?? 4);
    for (let round = 0; round < rounds; round += 1) {
      await truncateAll(db.store);
      const shuffled = shuffle(deliveries, rng);
      // Some deliveries twice (at-least-once delivery).
      const withDuplicates = [...shuffled, ...shuffle(shuffled, rng).slice(0, 10)];
      await deliver(sink, split(withDuplicates, 1 + (rng.next() % 12), rng), round % 2 === 1);
      expect(await dumpTables(db.store), `round ${round}`).toEqual(baseline);
    }
  });

  it('creates a conversation from whichever span arrives first', async () => {
    const items = sdkConversation(new Ids(5), { conversationId: 'conv-first', userId: 'u9', turns: 1 });
    const tool = items.find((i) => i.span.name.startsWith('execute_tool'));
    await writeTraceRequest(sink, toTraceRequest([tool as SpanItem]), 100);
    const [early] = await rows<{ turns: number; status: string; llm_calls: number }>("SELECT turns, status, llm_calls FROM conversations WHERE conversation_id = 'conv-first'");
    expect(early).toMatchObject({ turns: 1, status: 'active', llm_calls: 0 });
    await writeTraceRequest(sink, toTraceRequest(items.filter((i) => i !== tool)), 1000);
    const [complete] = await rows<{ turns: number; status: string; llm_calls: number; user_id: string }>(
      "SELECT turns, status, llm_calls, user_id FROM conversations WHERE conversation_id = 'conv-first'",
    );
    expect(complete).toMatchObject({ turns: 1, status: 'completed', llm_calls: 1, user_id: 'u9' });
  });

  it('completes a conversation when its span arrives last', async () => {
    const items = sdkConversation(new Ids(6), { conversationId: 'conv-last', turns: 2 });
    const conversationSpan = items.find((i) => i.span.name === 'conversation') as SpanItem;
    await writeTraceRequest(sink, toTraceRequest(items.filter((i) => i !== conversationSpan)), 1000);
    const [open] = await rows<{ status: string; ended_at: unknown; agent_name: unknown; turns: number }>(
      "SELECT status, ended_at, agent_name, turns FROM conversations WHERE conversation_id = 'conv-last'",
    );
    expect(open).toMatchObject({ status: 'active', ended_at: null, agent_name: null, turns: 2 });
    await writeTraceRequest(sink, toTraceRequest([conversationSpan]), 100);
    const [done] = await rows<{ status: string; ended: string; agent_name: string; channel: string; turns: number; metadata: unknown }>(
      "SELECT status, to_char(ended_at, 'HH24:MI:SS.MS') AS ended, agent_name, channel, turns, metadata FROM conversations WHERE conversation_id = 'conv-last'",
    );
    expect(done).toMatchObject({ status: 'completed', ended: '10:00:05.100', agent_name: 'support', channel: 'voice', turns: 2, metadata: { plan: 'gold' } });
  });

  it('completes a turn when its root span arrives after its children', async () => {
    const items = sdkConversation(new Ids(8), { conversationId: 'conv-root', turns: 1, withConversationSpan: false });
    const root = items.find((i) => i.span.name === 'turn') as SpanItem;
    await writeTraceRequest(sink, toTraceRequest(items.filter((i) => i !== root)), 1000);
    await writeTraceRequest(sink, toTraceRequest([root]), 100);
    await writeTraceRequest(sink, toTraceRequest([root]), 100);
    const [turn] = await rows<Record<string, unknown>>('SELECT turn_index, duration_ms, status, llm_calls, steps, sql_queries, user_input FROM turns');
    expect(turn).toMatchObject({ turn_index: 0, duration_ms: 2000, status: 'ok', llm_calls: 1, steps: 4, sql_queries: 1, user_input: 'question 0' });
    const [conversation] = await rows<{ turns: number; llm_calls: number }>('SELECT turns, llm_calls FROM conversations');
    expect(conversation).toMatchObject({ turns: 1, llm_calls: 1 });
  });

  it('never counts agent-span usage on top of its LLM calls', async () => {
    const ids = new Ids(12);
    const legacy = aiSdkLegacyTrace(ids, { conversationId: 'conv-agent' });
    const agent7 = invokeAgentTrace(ids, { withChild: true, sessionId: 'conv-agent' });
    // Agent spans first, their calls in a later request: the stand-in must go away again.
    const [legacyRoot, legacyCall] = legacy as [SpanItem, SpanItem];
    const [agentRoot, agentCall] = agent7 as [SpanItem, SpanItem];
    await writeTraceRequest(sink, toTraceRequest([legacyRoot, agentRoot]), 100);
    const standIns = await rows<{ billing: string }>('SELECT billing FROM llm_calls');
    expect(standIns.map((row) => row.billing)).toEqual(['agent_fallback', 'agent_fallback']);
    await writeTraceRequest(sink, toTraceRequest([legacyCall, agentCall]), 100);

    const calls = await rows<{ span_name: string; billing: string; input_tokens: string | number }>(
      'SELECT span_name, billing, input_tokens FROM llm_calls ORDER BY span_name',
    );
    expect(calls.map((row) => [row.span_name, row.billing, Number(row.input_tokens)])).toEqual([
      ['ai.generateText.doGenerate', 'call', 300],
      ['chat claude-3-5-haiku', 'call', 500],
    ]);
    const [conversation] = await rows<{ llm_calls: number; input_tokens: string | number; output_tokens: string | number }>(
      "SELECT llm_calls, input_tokens, output_tokens FROM conversations WHERE conversation_id = 'conv-agent'",
    );
    expect(conversation?.llm_calls).toBe(2);
    expect(Number(conversation?.input_tokens)).toBe(800);
    expect(Number(conversation?.output_tokens)).toBe(110);
    const hourly = await rows<{ count: string | number; input_tokens: string | number }>('SELECT sum(count) AS count, sum(input_tokens) AS input_tokens FROM llm_hourly');
    expect(hourly.map((row) => [Number(row.count), Number(row.input_tokens)])).toEqual([[2, 800]]);
    const agentSteps = await rows<{ kind: string; name: string }>("SELECT kind, name FROM steps WHERE kind = 'agent' ORDER BY name");
    expect(agentSteps.map((row) => row.name)).toEqual(['ai.generateText', 'planner']);
  });

  it('counts an agent span whose trace has no LLM-call span', async () => {
    await writeTraceRequest(sink, toTraceRequest(invokeAgentTrace(new Ids(13), { withChild: false, sessionId: 'conv-lone-agent' })), 100);
    const [call] = await rows<{ billing: string; input_tokens: string | number; cost_source: string }>('SELECT billing, input_tokens, cost_source FROM llm_calls');
    expect(call?.billing).toBe('agent_fallback');
    expect(Number(call?.input_tokens)).toBe(500);
    expect(call?.cost_source).toBe('computed');
  });

  it('computes cost from the price table when the span reports none', async () => {
    const items = sdkConversation(new Ids(14), { conversationId: 'conv-cost', turns: 1, model: 'gpt-4o' });
    await writeTraceRequest(sink, toTraceRequest(items), 1000);
    const [call] = await rows<{ cost_usd: string | number; cost_source: string; source_keys: Record<string, string> }>(
      'SELECT cost_usd, cost_source, source_keys FROM llm_calls',
    );
    const expected = estimateCost({ kind: 'llm', model: 'gpt-4o-2024-07-18', provider: 'openai', inputTokens: 1000, outputTokens: 200, cacheReadInputTokens: 500 });
    expect(expected).toBeDefined();
    expect(Number(call?.cost_usd)).toBeCloseTo(expected?.usd ?? -1, 11);
    expect(call?.cost_source).toBe('computed');
    expect(call?.source_keys['cost_usd']).toBe('price_table');
    const [conversation] = await rows<{ llm_cost_usd: string | number }>('SELECT llm_cost_usd FROM conversations');
    expect(Number(conversation?.llm_cost_usd)).toBeCloseTo(expected?.usd ?? -1, 11);
  });

  it('keeps a reported cost and records its source', async () => {
    const span = makeSpan({
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      name: 'chat gpt-4o',
      kind: 3,
      startNs: T0,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 10,
        'gen_ai.usage.output_tokens': 10,
        'gen_ai.usage.cost': 1.25,
        'gen_ai.conversation.id': 'conv-reported',
      },
    });
    await writeTraceRequest(sink, toTraceRequest([item(span, { name: 'openlit', version: '1.15.0', attributes: {} })]), 100);
    const [call] = await rows<{ cost_usd: string | number; cost_source: string; source_keys: Record<string, string>; flavour: string; scope_name: string }>(
      'SELECT cost_usd, cost_source, source_keys, flavour, scope_name FROM llm_calls',
    );
    expect(Number(call?.cost_usd)).toBe(1.25);
    expect(call).toMatchObject({ cost_source: 'reported', flavour: 'openlit', scope_name: 'openlit' });
    expect(call?.source_keys).toMatchObject({ cost_usd: 'gen_ai.usage.cost', provider: 'gen_ai.system', input_tokens: 'gen_ai.usage.input_tokens' });
    const [conversation] = await rows<{ cost_usd: string | number }>("SELECT cost_usd FROM conversations WHERE conversation_id = 'conv-reported'");
    expect(Number(conversation?.cost_usd)).toBe(1.25);
  });

  it('moves a turn to the conversation a late span names', async () => {
    const [root, llm, tool] = lateSessionTrace(new Ids(15), 'sess-late') as [SpanItem, SpanItem, SpanItem];
    await writeTraceRequest(sink, toTraceRequest([root, llm]), 100);
    const fallback = await rows<{ conversation_id: string; conversation_id_key: string }>('SELECT conversation_id, conversation_id_key FROM conversations');
    expect(fallback).toEqual([{ conversation_id: root.span.traceId, conversation_id_key: 'trace_id' }]);
    await writeTraceRequest(sink, toTraceRequest([tool]), 100);
    const moved = await rows<{ conversation_id: string; conversation_id_key: string; turns: number; llm_calls: number }>(
      'SELECT conversation_id, conversation_id_key, turns, llm_calls FROM conversations',
    );
    expect(moved).toEqual([{ conversation_id: 'sess-late', conversation_id_key: 'session.id', turns: 1, llm_calls: 1 }]);
    const calls = await rows<{ conversation_id: string; session_id: string }>('SELECT conversation_id, session_id FROM llm_calls');
    expect(calls).toEqual([{ conversation_id: 'sess-late', session_id: 'sess-late' }]);
  });

  it('keeps spans whose parents never arrive', async () => {
    const orphan = makeSpan({
      traceId: 'c'.repeat(32),
      spanId: 'd'.repeat(16),
      parentSpanId: '1'.repeat(16),
      name: 'chat gpt-4o-mini',
      kind: 3,
      startNs: T0,
      attributes: { 'convotel.span.kind': 'llm', 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 7, 'gen_ai.usage.output_tokens': 3, 'gen_ai.conversation.id': 'conv-orphan' },
    });
    await writeTraceRequest(sink, toTraceRequest([item(orphan, CONVOTEL_SCOPE)]), 100);
    const [conversation] = await rows<{ turns: number; llm_calls: number }>("SELECT turns, llm_calls FROM conversations WHERE conversation_id = 'conv-orphan'");
    expect(conversation).toEqual({ turns: 1, llm_calls: 1 });
    const [turn] = await rows<{ root_span_id: unknown; duration_ms: number }>('SELECT root_span_id, duration_ms FROM turns');
    expect(turn).toEqual({ root_span_id: null, duration_ms: 10 });
  });

  it('attaches GenAI content events to their LLM call', async () => {
    const items = sdkConversation(new Ids(16), { conversationId: 'conv-events', turns: 1 });
    const llm = items.find((i) => i.span.name.startsWith('chat '))?.span;
    const logs = [
      makeLog({ eventName: 'gen_ai.user.message', body: { content: 'where is my order?' }, traceId: llm?.traceId, spanId: llm?.spanId }),
      makeLog({ eventName: 'gen_ai.choice', body: { index: 0, finish_reason: 'stop', message: { content: 'on its way' } }, traceId: llm?.traceId, spanId: llm?.spanId }),
      makeLog({ attributes: { 'event.name': 'balance_lookup', 'convotel.event.component': 'account_service' }, body: 'looked up', traceId: llm?.traceId }),
    ];
    // Logs first: they wait for their trace's conversation.
    await writeLogsRequest(sink, toLogsRequest(logs), 300);
    await writeTraceRequest(sink, toTraceRequest(items), 1000);
    await writeLogsRequest(sink, toLogsRequest(logs), 300);
    const events = await rows<{ name: string; conversation_id: string; content_kind: string | null; content: unknown; component: string | null; message: string | null; severity_text: string }>(
      'SELECT e.name, e.conversation_id, e.content_kind, e.content, e.component, e.message, e.severity_text FROM events e ORDER BY e.name',
    );
    expect(events).toEqual([
      { name: 'balance_lookup', conversation_id: 'conv-events', content_kind: null, content: null, component: 'account_service', message: 'looked up', severity_text: 'INFO' },
      {
        name: 'gen_ai.choice',
        conversation_id: 'conv-events',
        content_kind: 'output',
        content: [{ role: 'assistant', parts: [{ type: 'text', content: 'on its way' }], finish_reason: 'stop' }],
        component: null,
        message: null,
        severity_text: 'INFO',
      },
      {
        name: 'gen_ai.user.message',
        conversation_id: 'conv-events',
        content_kind: 'input',
        content: [{ role: 'user', parts: [{ type: 'text', content: 'where is my order?' }] }],
        component: null,
        message: null,
        severity_text: 'INFO',
      },
    ]);
    const joined = await rows<{ n: string | number }>(
      "SELECT count(*) AS n FROM events e JOIN llm_calls l ON l.trace_id = e.trace_id AND l.span_id = e.span_id WHERE e.content_kind IS NOT NULL",
    );
    expect(Number(joined[0]?.n)).toBe(2);
  });

  it('stores hostile strings unchanged', async () => {
    const big = 'x'.repeat(1024 * 1024);
    const sql = `'; DROP TABLE llm_calls; -- \\ " $1 $$ \t\n\r %s {"a":1} \\N`;
    const span = makeSpan({
      traceId: 'e'.repeat(32),
      spanId: 'f'.repeat(16),
      name: `chat ${sql}`,
      kind: 3,
      startNs: T0,
      attributes: {
        'convotel.span.kind': 'llm',
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': sql,
        'gen_ai.conversation.id': `conv ${sql}`,
        'user.id': 'bad\u0000user',
        'app.big': big,
        'app.sql': sql,
        'app.invalid_utf8': 'a\uD800b\uDFFFc',
        [`key ${sql}`]: 'value',
        'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: `${sql}\u0000end` }] }]),
      },
      status: { code: 2, message: sql },
    });
    const result = await writeTraceRequest(sink, toTraceRequest([item(span)]), big.length);
    expect(result.rejected).toBe(0);
    const [row] = await rows<{ request_model: string; conversation_id: string; user_id: string; attributes: Record<string, unknown>; input_messages: unknown; error_message: string }>(
      'SELECT request_model, conversation_id, user_id, attributes, input_messages, error_message FROM llm_calls',
    );
    expect(row?.request_model).toBe(sql);
    expect(row?.conversation_id).toBe(`conv ${sql}`);
    expect(row?.user_id).toBe('baduser');
    expect(row?.error_message).toBe(sql);
    expect(row?.attributes['app.big']).toBe(big);
    expect(row?.attributes['app.sql']).toBe(sql);
    expect(row?.attributes[`key ${sql}`]).toBe('value');
    expect(row?.attributes['app.invalid_utf8']).toBe('a\uFFFDb\uFFFDc');
    expect(row?.input_messages).toEqual([{ role: 'user', parts: [{ type: 'text', content: `${sql}end` }] }]);
    const tables = await rows<{ n: string | number }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'llm_calls'");
    expect(Number(tables[0]?.n)).toBe(1);
  });

  it('removes raw rows older than the cutoff and keeps rollups', async () => {
    const day = 86_400_000n * MS;
    const now = new Date(Number((T0 + 40n * day) / MS));
    await writeTraceRequest(sink, toTraceRequest(sdkConversation(new Ids(21), { conversationId: 'conv-old', turns: 2 })), 1000);
    await writeTraceRequest(sink, toTraceRequest(sdkConversation(new Ids(22), { conversationId: 'conv-new', turns: 1, startNs: T0 + 35n * day })), 1000);
    await writeLogsRequest(sink, toLogsRequest([makeLog({ eventName: 'old_event' }), makeLog({ eventName: 'new_event', timeNs: T0 + 35n * day })]), 100);
    const rollupsBefore = await rows('SELECT * FROM llm_hourly ORDER BY hour');
    const result = await cleanup(db.store, 30, now);
    expect(result.deleted).toMatchObject({ llm_calls: 2, conversations: 1, traces: 2, events: 1 });
    expect(await rows('SELECT conversation_id FROM conversations')).toEqual([{ conversation_id: 'conv-new' }]);
    expect((await rows('SELECT * FROM llm_calls')).length).toBe(1);
    expect((await rows('SELECT name FROM events')).map((r) => r['name'])).toEqual(['new_event']);
    expect(await rows('SELECT * FROM llm_hourly ORDER BY hour')).toEqual(rollupsBefore);
    expect((await rows('SELECT * FROM step_hourly')).length).toBeGreaterThan(0);
  });

  it('rejects writes beyond the queue budget with QueueFullError', async () => {
    const small = new StoreSink(db.store, { maxQueueBytes: 10_000 });
    const request = toTraceRequest(sdkConversation(new Ids(31), { conversationId: 'conv-full', turns: 1 }));
    const first = writeTraceRequest(small, request, 6000);
    const second = writeTraceRequest(small, request, 6000);
    await expect(second).rejects.toMatchObject({ name: 'QueueFullError', status: 503, code: 'CONVOTEL_QUEUE_FULL' });
    await expect(first).resolves.toMatchObject({ rejected: 0 });
    expect(small.queuedBytes).toBe(0);
    // Once the queue drained, writes are accepted again.
    await expect(writeTraceRequest(small, request, 6000)).resolves.toMatchObject({ rejected: 0 });
  });

  it('reports itself full while a request of the usual size would not fit', async () => {
    const small = new StoreSink(db.store, { maxQueueBytes: 10_000 });
    const request = toTraceRequest(sdkConversation(new Ids(32), { conversationId: 'conv-full-early', turns: 1 }));
    expect(small.isFull()).toBe(false);
    const first = writeTraceRequest(small, request, 6000);
    expect(small.isFull()).toBe(true);
    await first;
    expect(small.isFull()).toBe(false);
  });

  it('merges concurrent requests into shared transactions', async () => {
    const ids = new Ids(41);
    const requests = Array.from({ length: 20 }, (_, i) => toTraceRequest(sdkConversation(ids, { conversationId: `conv-group-${i}`, turns: 2 })));
    const results = await Promise.all(requests.map((request) => writeTraceRequest(sink, request, 1000)));
    expect(results.every((result) => result.rejected === 0)).toBe(true);
    const [count] = await rows<{ n: string | number }>('SELECT count(*) AS n FROM conversations');
    expect(Number(count?.n)).toBe(20);
  });
});
