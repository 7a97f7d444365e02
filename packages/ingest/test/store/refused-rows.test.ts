// When the store refuses a request's rows for a reason retrying cannot fix (here a CHECK
// constraint an operator added; elsewhere any value the checks before the store did not
// foresee), the request is written again in halves down to single traces: only the refused
// trace's spans are rejected, every other span is stored once.
import { afterEach, describe, expect, it } from 'vitest';
import { StoreSink } from '../../src/store/store-sink.js';
import { writeTraceRequest } from '../../src/pipeline/write-request.js';
import { openTestStore, queryRows, STORE_KINDS, type TestStore } from '../helpers/db.js';
import { Ids, sdkConversation, T0, toTraceRequest } from '../helpers/spans.js';

let db: TestStore | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describe.each(STORE_KINDS)('rows the store refuses (%s)', (kind) => {
  it('rejects only the spans of the refused trace and stores the rest of the request once', async () => {
    db = await openTestStore(kind);
    await db.store.withClient((client) =>
      client.exec(`ALTER TABLE llm_calls ADD CONSTRAINT no_poison CHECK (coalesce(request_model, '') <> 'poison')`),
    );
    const ids = new Ids(9);
    const good = sdkConversation(ids, { conversationId: 'conv-good', turns: 3, model: 'gpt-4o-mini', startNs: T0 });
    const poisoned = sdkConversation(ids, { conversationId: 'conv-poisoned', turns: 1, model: 'poison', startNs: T0 });
    const poisonedTrace = poisoned.find((entry) => entry.span.attributes['gen_ai.request.model'] === 'poison')?.span.traceId;
    const request = toTraceRequest([...good, ...poisoned]);
    const errors: unknown[] = [];
    const sink = new StoreSink(db.store, { onError: (error) => errors.push(error) });

    const result = await writeTraceRequest(sink, request, 1000);
    await writeTraceRequest(sink, request, 1000);

    const poisonedSpans = poisoned.filter((entry) => entry.span.traceId === poisonedTrace).length;
    expect(result.rejected).toBe(poisonedSpans);
    expect(result.rejectedByCategory).toMatchObject({ store_refused: poisonedSpans });
    expect(result.rejectionReasons.join('; ')).toContain(`the spans of trace ${poisonedTrace}`);
    expect(errors.length).toBeGreaterThan(0);

    const calls = await queryRows<{ conversation_id: string; n: string }>(
      db.store,
      'SELECT conversation_id, count(*) AS n FROM llm_calls GROUP BY conversation_id ORDER BY conversation_id',
    );
    expect(calls.map((row) => [row.conversation_id, Number(row.n)])).toEqual([['conv-good', 3]]);
    const turns = await queryRows<{ conversation_id: string; n: string }>(
      db.store,
      'SELECT conversation_id, count(*) AS n FROM turns GROUP BY conversation_id ORDER BY conversation_id',
    );
    expect(turns.map((row) => [row.conversation_id, Number(row.n)])).toEqual([['conv-good', 3]]);
    const [conversation] = await queryRows<{ turns: number; llm_calls: number }>(
      db.store,
      `SELECT turns, llm_calls FROM conversations WHERE conversation_id = 'conv-good'`,
    );
    expect(conversation).toEqual({ turns: 3, llm_calls: 3 });
  });
});
