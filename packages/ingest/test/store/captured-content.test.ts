// Captured content is stored cut to the sink's maxContentLength (default 16384): run against
// real PostgreSQL and PGlite.
import { describe, expect, it } from 'vitest';
import { StoreSink } from '../../src/store/store-sink.js';
import { writeLogsRequest, writeTraceRequest } from '../../src/pipeline/write-request.js';
import { queryRows, STORE_KINDS, useEmptiedStore } from '../helpers/db.js';
import { Ids, makeLog, sdkConversation, toLogsRequest, toTraceRequest, withAttributes, type SpanItem } from '../helpers/spans.js';
import { eachOnce, storedCounts } from '../helpers/stored-spans.js';

const MARK = '…[truncated]';

/** A one-turn conversation whose turn and LLM call carry `text` as content. */
function conversationSaying(text: string): { items: SpanItem[]; llm: SpanItem } {
  const items = sdkConversation(new Ids(9), { conversationId: 'conv-content', turns: 1 }).map((i) => {
    if (i.span.name === 'turn') return withAttributes(i, { 'convotel.turn.user_input': text, 'convotel.turn.agent_output': text });
    if (i.span.name.startsWith('chat ')) return withAttributes(i, { 'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: text }] }]) });
    return i;
  });
  return { items, llm: items.find((i) => i.span.name.startsWith('chat ')) as SpanItem };
}

describe.each(STORE_KINDS)('captured content (%s)', (kind) => {
  const db = useEmptiedStore(kind);

  const rows = <R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []) => queryRows<R>(db.store, sql, params);

  it('stores 10 MB of user input and agent output cut to 16384 characters', async () => {
    const { items } = conversationSaying('x'.repeat(10 * 1024 * 1024));
    const result = await writeTraceRequest(new StoreSink(db.store), toTraceRequest(items), 10 * 1024 * 1024);

    expect(result.rejected).toBe(0);
    expect(await storedCounts(db.store, items)).toEqual(eachOnce(items));
    const cut = `${'x'.repeat(16384)}${MARK}`;
    expect(await rows('SELECT user_input, agent_output FROM traces WHERE user_input IS NOT NULL')).toEqual([{ user_input: cut, agent_output: cut }]);
    expect(await rows('SELECT last_user_input, last_agent_output FROM conversations')).toEqual([{ last_user_input: cut, last_agent_output: cut }]);
    expect(await rows('SELECT input_messages FROM llm_calls')).toEqual([{ input_messages: [{ role: 'user', parts: [{ type: 'text', content: cut }] }] }]);
  });

  it('cuts content to the maxContentLength normalizing is given, in spans and content events', async () => {
    const sink = new StoreSink(db.store);
    const settings = { maxContentLength: 100 };
    const { items, llm } = conversationSaying('y'.repeat(500));
    await writeTraceRequest(sink, toTraceRequest(items), 10_000, settings);
    const event = makeLog({ eventName: 'gen_ai.user.message', body: { content: 'z'.repeat(500) }, traceId: llm.span.traceId, spanId: llm.span.spanId });
    await writeLogsRequest(sink, toLogsRequest([event]), 1000, settings);

    const cut = `${'y'.repeat(100)}${MARK}`;
    expect(await rows('SELECT user_input FROM traces WHERE user_input IS NOT NULL')).toEqual([{ user_input: cut }]);
    expect(await rows('SELECT last_user_input FROM conversations')).toEqual([{ last_user_input: cut }]);
    expect(await rows('SELECT content FROM events')).toEqual([{ content: [{ role: 'user', parts: [{ type: 'text', content: `${'z'.repeat(100)}${MARK}` }] }] }]);
  });
});
