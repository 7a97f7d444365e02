// error_occurrences as the ingest keeps it: a failing LLM call and its step failing with the same
// message are one occurrence of the trace, told by the earliest end among them, whichever arrives
// first, in one request or several, repeated; a row arriving later that ended earlier moves it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeTraceRequest } from '../../../src/pipeline/write-request.js';
import { StoreSink } from '../../../src/store/store-sink.js';
import { openTestStore, queryRows, STORE_KINDS, truncateAll, type TestStore } from '../../helpers/db.js';
import { Ids, MS, sdkConversation, T0, toTraceRequest, type SpanItem } from '../../helpers/spans.js';

const MESSAGE = 'rate limited';

/** One failing turn whose `step llm` fails with its call's message; the call ends first. */
function failingTurn(): { step: SpanItem; call: SpanItem; rest: SpanItem[] } {
  const items = sdkConversation(new Ids(77), { conversationId: 'conv-fail', turns: 1, failingTurn: 0, startNs: T0 });
  const stepIndex = items.findIndex((entry) => entry.span.name === 'step llm');
  const failedStep = { ...items[stepIndex]!, span: { ...items[stepIndex]!.span, status: { code: 2 as const, message: MESSAGE } } };
  const call = items.find((entry) => entry.span.status?.code === 2)!;
  return { step: failedStep, call, rest: items.filter((entry, i) => i !== stepIndex && entry !== call) };
}

const iso = (ns: bigint): string => new Date(Number(ns / MS)).toISOString();
const endOf = (entry: SpanItem): bigint => BigInt(entry.span.endTimeUnixNano);

describe.each(STORE_KINDS)('error occurrences written by the ingest (%s)', (kind) => {
  let opened: TestStore;
  let sink: StoreSink;
  const { step, call, rest } = failingTurn();
  const send = async (...chunks: SpanItem[][]): Promise<void> => {
    for (const chunk of chunks) await writeTraceRequest(sink, toTraceRequest(chunk), chunk.length * 700);
  };
  const occurrences = async () =>
    (
      await queryRows(
        opened.store,
        `SELECT trace_id, error_type, error_message, conversation_id, to_json(at)#>>'{}' AS at, to_json(first_started_at)#>>'{}' AS first,
                to_json(last_started_at)#>>'{}' AS last FROM error_occurrences ORDER BY trace_id, error_message`,
      )
    ).map((row) => ({ ...row, at: normalize(row['at']), first: normalize(row['first']), last: normalize(row['last']) }));
  const normalize = (value: unknown): string | null => (value === null ? null : new Date(String(value)).toISOString());
  /** The call's end, type and message; starts from the step (first) to the call (last). */
  const expected = {
    trace_id: call.span.traceId,
    error_type: 'RateLimitError',
    error_message: MESSAGE,
    conversation_id: 'conv-fail',
    at: iso(endOf(call)),
    first: iso(BigInt(step.span.startTimeUnixNano)),
    last: iso(BigInt(call.span.startTimeUnixNano)),
  };

  beforeAll(async () => {
    opened = await openTestStore(kind);
  }, 60_000);
  afterAll(async () => {
    await opened?.close();
  });
  beforeEach(async () => {
    await truncateAll(opened.store);
    sink = new StoreSink(opened.store);
  });

  it('counts the failed call and step once, at the call’s end, the step arriving first', async () => {
    expect(endOf(call)).toBeLessThan(endOf(step));
    await send([step]);
    const [alone] = await occurrences();
    expect(alone).toMatchObject({ error_message: MESSAGE, at: iso(endOf(step)) });
    await send([call], rest);
    expect(await occurrences()).toEqual([expected]);
  });

  it('counts them once the call arriving first, repeated, and all in one request', async () => {
    await send([call], [step], rest, [step, call]);
    expect(await occurrences()).toEqual([expected]);
    await truncateAll(opened.store);
    sink = new StoreSink(opened.store);
    await send([...rest, step, call], [...rest, call]);
    expect(await occurrences()).toEqual([expected]);
  });
});
