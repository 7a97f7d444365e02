// One attribute whose value does not fit its column (or is over its per-span limit) costs that
// value, never the span or the request: run against real PostgreSQL and PGlite.
import { beforeEach, describe, expect, it } from 'vitest';
import { describeOutcome } from '../../src/http/export-route.js';
import type { AttributeMap, AttributeValue } from '../../src/otlp/types.js';
import { StoreSink } from '../../src/store/store-sink.js';
import { writeTraceRequest } from '../../src/pipeline/write-request.js';
import { queryRows, STORE_KINDS, useEmptiedStore } from '../helpers/db.js';
import { Ids, sdkConversation, toTraceRequest, type SpanItem } from '../helpers/spans.js';
import { eachOnce, storedCounts } from '../helpers/stored-spans.js';

/** A span of the conversation (by name) with attributes set, and some removed. */
interface BadValue {
  readonly title: string;
  readonly spanName: string;
  readonly set: AttributeMap;
  readonly remove?: readonly string[];
  /** The key the partial-success message must name. */
  readonly key: string;
  /** The table, column and expected stored value of that span (raw rows), or the traces column. */
  readonly table: 'llm_calls' | 'steps' | 'traces';
  readonly column: string;
  readonly stored: unknown;
}

const BAD_VALUES: readonly BadValue[] = [
  { title: 'a reported cost of 1e13 USD', spanName: 'chat gpt-4o-mini', set: { 'convotel.cost.usd': 1e13 }, key: 'convotel.cost.usd', table: 'llm_calls', column: 'cost_source', stored: 'computed' },
  { title: 'a turn index of 3e9', spanName: 'turn', set: { 'convotel.turn.index': 3_000_000_000 }, key: 'convotel.turn.index', table: 'traces', column: 'turn_index', stored: null },
  { title: 'max_tokens of 1e19', spanName: 'chat gpt-4o-mini', set: { 'gen_ai.request.max_tokens': 1e19 }, key: 'gen_ai.request.max_tokens', table: 'llm_calls', column: 'max_tokens', stored: null },
  { title: 'input tokens of 1e19', spanName: 'chat gpt-4o-mini', set: { 'gen_ai.usage.input_tokens': 1e19 }, key: 'gen_ai.usage.input_tokens', table: 'llm_calls', column: 'input_tokens', stored: null },
  { title: 'input tokens of "1e300"', spanName: 'chat gpt-4o-mini', set: { 'gen_ai.usage.input_tokens': '1e300' }, key: 'gen_ai.usage.input_tokens', table: 'llm_calls', column: 'input_tokens', stored: null },
  { title: 'input tokens over the per-span limit', spanName: 'chat gpt-4o-mini', set: { 'gen_ai.usage.input_tokens': 2e12 }, key: 'gen_ai.usage.input_tokens', table: 'llm_calls', column: 'input_tokens', stored: null },
  { title: 'a reported cost over the per-span limit', spanName: 'step stt', set: { 'convotel.cost.usd': 5e6 }, key: 'convotel.cost.usd', table: 'steps', column: 'cost_source', stored: 'computed' },
  { title: 'TTS characters of 1e20', spanName: 'step tts', set: { 'convotel.tts.characters': 1e20 }, key: 'convotel.tts.characters', table: 'steps', column: 'tts_characters', stored: null },
  {
    title: 'STT audio seconds of 1e300 (its computed cost overflows)',
    spanName: 'step stt',
    set: { 'convotel.stt.audio_seconds': 1e300 },
    remove: ['convotel.cost.usd', 'convotel.cost.source'],
    key: 'price table',
    table: 'steps',
    column: 'cost_usd',
    stored: null,
  },
];

function withBadValue(items: readonly SpanItem[], bad: BadValue): { items: SpanItem[]; target: SpanItem } {
  let target: SpanItem | undefined;
  const changed = items.map((i) => {
    if (i.span.name !== bad.spanName || target !== undefined) return i;
    const attributes: Record<string, AttributeValue> = { ...i.span.attributes, ...bad.set };
    for (const key of bad.remove ?? []) delete attributes[key];
    target = { ...i, span: { ...i.span, attributes } };
    return target;
  });
  if (target === undefined) throw new Error(`no span named ${bad.spanName}`);
  return { items: changed, target };
}

describe.each(STORE_KINDS)('values out of range (%s)', (kind) => {
  const db = useEmptiedStore(kind);
  let sink: StoreSink;
  beforeEach(() => {
    sink = new StoreSink(db.store);
  });

  it.each(BAD_VALUES)('keeps every span of a request with $title, drops that value and says so', async (bad) => {
    const { items, target } = withBadValue(sdkConversation(new Ids(7), { conversationId: 'conv-bad-value', turns: 2 }), bad);
    const result = await writeTraceRequest(sink, toTraceRequest(items), 10_000);

    expect(result.rejected).toBe(0);
    expect(await storedCounts(db.store, items)).toEqual(eachOnce(items));
    const outcome = describeOutcome('traces', { rejected: 0, rejectedByCategory: {}, rejectionReasons: [] }, result);
    expect(outcome.rejected).toBe(0);
    expect(outcome.errorMessage).toContain(bad.key);
    expect(outcome.errorMessage).toContain(target.span.spanId);

    const keyColumn = bad.table === 'traces' ? 'root_span_id' : 'span_id';
    const [row] = await queryRows<Record<string, unknown>>(db.store, `SELECT * FROM ${bad.table} WHERE ${keyColumn} = $1`, [target.span.spanId]);
    expect(row?.[bad.column]).toEqual(bad.stored);
    if (bad.table !== 'traces') {
      // The value as sent stays in the raw attributes.
      const raw = row?.['attributes'] as Record<string, unknown>;
      for (const [key, value] of Object.entries(bad.set)) expect(raw[key]).toEqual(value);
    }
    const [conversation] = await queryRows<{ turns: number }>(db.store, 'SELECT turns FROM conversations');
    expect(conversation?.turns).toBe(2);
  });
});
