// The live feed's notices, heard on the store's own listen(): a turn is announced once, when its
// root span commits (not for its children, not again for a redelivered request); a failed turn
// and an error record are errors; conversations are announced as they change. Payloads fit a NOTIFY.
import { describe, expect, it } from 'vitest';
import { LIVE_CHANNEL, MAX_NOTICE_BYTES, MAX_NOTICE_TEXT_LENGTH, type LiveNotice, type Store, type TurnNotice } from '@convotel/store';
import { StoreSink } from '../../../src/store/store-sink.js';
import { writeLogsRequest, writeTraceRequest } from '../../../src/pipeline/write-request.js';
import { STORE_KINDS, useEmptiedStore } from '../../helpers/db.js';
import { Ids, makeLog, sdkConversation, T0, toLogsRequest, toTraceRequest, type SpanItem } from '../../helpers/spans.js';

/** Collects the notices heard on the live channel, and their payloads as sent. */
async function hear(store: Store): Promise<{ notices: LiveNotice[]; payloads: string[]; close(): Promise<void> }> {
  const notices: LiveNotice[] = [];
  const payloads: string[] = [];
  const listener = await store.listen(LIVE_CHANNEL, {
    onNotification: (payload) => {
      payloads.push(payload);
      notices.push(JSON.parse(payload) as LiveNotice);
    },
  });
  return { notices, payloads, close: () => listener.close() };
}

/** Waits until `predicate` holds (notifications arrive asynchronously after commit). */
async function until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for notices');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const isRoot = (entry: SpanItem): boolean => entry.span.parentSpanId === undefined;

/** 2000 three-byte characters: far more than a notice carries. */
const LONG_MESSAGE = `rate limited: ${'語'.repeat(2000)}`;

describe.each(STORE_KINDS)('live notices of a commit (%s)', (kind) => {
  const db = useEmptiedStore(kind);

  it('announces a turn once, when its root span commits, then its conversation', async () => {
    const heard = await hear(db.store);
    const sink = new StoreSink(db.store);
    try {
      const spans = sdkConversation(new Ids(3), { conversationId: 'conv-live', userId: 'u-9', turns: 2, startNs: T0, withConversationSpan: false });
      const [firstTrace, secondTrace] = [...new Set(spans.map((entry) => entry.span.traceId))];
      // The children first: nothing is complete yet.
      await writeTraceRequest(sink, toTraceRequest(spans.filter((entry) => !isRoot(entry))), 1000);
      // Then the first turn's root, twice (a redelivered request).
      const firstRoot = spans.filter((entry) => isRoot(entry) && entry.span.traceId === firstTrace);
      await writeTraceRequest(sink, toTraceRequest(firstRoot), 1000);
      await writeTraceRequest(sink, toTraceRequest(firstRoot), 1000);
      await until(() => heard.notices.length >= 2);
      // A marker commit: everything sent before it has been heard once it is.
      await writeTraceRequest(sink, toTraceRequest(spans.filter((entry) => isRoot(entry) && entry.span.traceId === secondTrace)), 1000);
      await until(() => heard.notices.filter((n) => n.type === 'turn').length >= 2);

      const turns = heard.notices.filter((n): n is TurnNotice => n.type === 'turn');
      expect(turns.map((n) => n.trace_id)).toEqual([firstTrace, secondTrace]);
      expect(turns[0]).toMatchObject({ turn_id: firstTrace, conversation_id: 'conv-live', user_id: 'u-9', status: 'ok', duration_ms: 2000, llm_calls: 1 });
      expect(turns[0]!.started_at).toBe(new Date(Number(T0 / 1_000_000n)).toISOString().replace('Z', '000Z'));
      // Each turn is followed by its conversation as it stands.
      expect(heard.notices.map((n) => n.type)).toEqual(['turn', 'conversation', 'turn', 'conversation']);
      expect(heard.notices[1]).toMatchObject({ type: 'conversation', conversation_id: 'conv-live', turns: 2, status: 'active' });
      // Ids: unique, `<transaction>-<n>`.
      expect(new Set(heard.notices.map((n) => n.id)).size).toBe(heard.notices.length);
      for (const notice of heard.notices) expect(notice.id).toMatch(/^\d+-\d+$/);
    } finally {
      await heard.close();
    }
  });

  it('announces a failed turn as a turn and an error, an ERROR record as an error, and a conversation span; long text is cut', async () => {
    const heard = await hear(db.store);
    const sink = new StoreSink(db.store);
    try {
      // The turn fails with its LLM call (the SDK sets both).
      const spans = sdkConversation(new Ids(5), { conversationId: 'conv-bad', turns: 1, startNs: T0, failingTurn: 0 }).map((entry) =>
        entry.span.name === 'turn'
          ? { ...entry, span: { ...entry.span, status: { code: 2 as const, message: LONG_MESSAGE }, attributes: { ...entry.span.attributes, 'error.type': 'RateLimitError' } } }
          : entry,
      );
      await writeTraceRequest(sink, toTraceRequest(spans), 1000);
      const traceId = spans.find((entry) => entry.span.name === 'turn')!.span.traceId;
      await writeLogsRequest(sink, 
        toLogsRequest([
          makeLog({ eventName: 'payment_failed', severityNumber: 17, traceId, attributes: { 'convotel.event.component': 'billing' }, body: 'card declined' }),
          makeLog({ eventName: 'lookup', severityNumber: 9, traceId, timeNs: T0 + 1n }),
        ]),
        1000,
      );
      await until(() => heard.notices.some((n) => n.type === 'error' && n.source === 'event'));
      const types = heard.notices.map((n) => (n.type === 'error' ? `error:${n.source}` : n.type));
      expect(types).toEqual(['turn', 'error:turn', 'conversation', 'error:event']);
      // The message is cut to fit a NOTIFY (8000 bytes), its cut marked.
      const cutMessage = `${LONG_MESSAGE.slice(0, MAX_NOTICE_TEXT_LENGTH)}…`;
      expect(heard.notices[0]).toMatchObject({ status: 'error', error_message: cutMessage });
      expect(heard.notices[1]).toMatchObject({ trace_id: traceId, conversation_id: 'conv-bad', error_type: 'RateLimitError', message: cutMessage });
      for (const payload of heard.payloads) expect(Buffer.byteLength(payload, 'utf8')).toBeLessThanOrEqual(MAX_NOTICE_BYTES);
      expect(heard.notices.find((n) => n.type === 'conversation')).toMatchObject({ conversation_id: 'conv-bad', status: 'completed', agent_name: 'support', channel: 'voice' });
      expect(heard.notices.at(-1)).toMatchObject({
        type: 'error',
        source: 'event',
        error_type: 'payment_failed',
        component: 'billing',
        severity: 'ERROR',
        conversation_id: 'conv-bad',
        trace_id: traceId,
      });
    } finally {
      await heard.close();
    }
  });
});
