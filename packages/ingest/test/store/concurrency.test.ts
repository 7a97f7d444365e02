// Two ingest replicas (two pools, two sinks) writing overlapping data into one PostgreSQL
// database at the same time: no deadlock surfaces, and the result is what one writer gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, type Store, type StoreTransaction } from '@convotel/store';
import { StoreSink } from '../../src/store/store-sink.js';
import { writeTraceRequest } from '../../src/pipeline/write-request.js';
import { dumpTables, openTestStore, truncateAll, type TestStore } from '../helpers/db.js';
import { aiSdkLegacyTrace, Ids, invokeAgentTrace, lateSessionTrace, MS, sdkConversation, shuffle, split, T0, toTraceRequest, type SpanItem } from '../helpers/spans.js';

describe('concurrent writers (postgres)', () => {
  let db: TestStore;
  let second: Store;
  beforeAll(async () => {
    db = await openTestStore('postgres');
    second = createPostgresStore({ connectionString: db.database?.url as string });
  });
  afterAll(async () => {
    await second?.close();
    await db?.close();
  });

  it('gives the same rows when two replicas write the same spans at once', async () => {
    const ids = new Ids(555);
    const items: SpanItem[] = [];
    // Few conversations, many turns: the replicas contend for the same conversation rows.
    for (let c = 0; c < 3; c += 1) {
      items.push(...sdkConversation(ids, { conversationId: `conv-shared-${c}`, userId: `u${c}`, turns: 8, startNs: T0 + BigInt(c) * 60_000n * MS }));
    }
    for (let i = 0; i < 5; i += 1) {
      items.push(...aiSdkLegacyTrace(ids, { conversationId: 'conv-shared-0' }), ...invokeAgentTrace(ids, { withChild: i % 2 === 0, sessionId: 'conv-shared-1' }));
    }
    items.push(...lateSessionTrace(ids, 'conv-shared-2'));

    const baselineSink = new StoreSink(db.store);
    await writeTraceRequest(baselineSink, toTraceRequest(items), 1000);
    const baseline = await dumpTables(db.store);

    const rng = new Ids(8);
    for (let round = 0; round < 5; round += 1) {
      await truncateAll(db.store);
      const replicas = [new StoreSink(db.store, { writeConcurrency: 3, maxBatchRows: 200 }), new StoreSink(second, { writeConcurrency: 3, maxBatchRows: 200 })];
      const writes = replicas.flatMap((sink) =>
        split(shuffle(items, rng), 25, rng).map((chunk) => writeTraceRequest(sink, toTraceRequest(chunk), chunk.length * 700)),
      );
      await Promise.all(writes);
      expect(await dumpTables(db.store), `round ${round}`).toEqual(baseline);
    }
  });

  it('redoes a write the safe way when another replica created one of its traces meanwhile', async () => {
    const items = sdkConversation(new Ids(909), { conversationId: 'conv-race', userId: 'u-race', turns: 2 });
    // Two requests sharing the first turn's trace: its root and STT step in one, the rest in the other.
    const head = items.slice(0, 2);
    const rest = items.slice(2);
    await truncateAll(db.store);
    await writeTraceRequest(new StoreSink(db.store), toTraceRequest(items), 1000);
    const baseline = await dumpTables(db.store);
    await truncateAll(db.store);

    // The first replica stops right after locking (the shared trace is new to it), while the
    // second replica writes and commits that trace; then the first carries on.
    let isPaused = false;
    const replica = new StoreSink(second);
    const racing = intercepted(db.store, (tx) => ({
      ...tx,
      insertAll: async (bulk) => {
        if (!isPaused) {
          isPaused = true;
          await expect(writeTraceRequest(replica, toTraceRequest(rest), 1000)).resolves.toMatchObject({ rejected: 0 });
        }
        await tx.insertAll(bulk);
      },
    }));
    await expect(writeTraceRequest(new StoreSink(racing.store), toTraceRequest(head), 1000)).resolves.toMatchObject({ rejected: 0 });

    expect(racing.transactions(), 'the optimistic attempt, then the safe one').toBe(2);
    expect(await dumpTables(db.store)).toEqual(baseline);
  });

  it('applies its changes on top of a conversation another replica created meanwhile, without a redo', async () => {
    // Two turns (traces) of one new conversation, one per replica.
    const items = sdkConversation(new Ids(1717), { conversationId: 'conv-created-meanwhile', userId: 'u-created', turns: 2 });
    const turnTraces = [...new Set(items.filter((item) => item.span.name === 'turn').map((item) => item.span.traceId))];
    const mine = items.filter((item) => item.span.traceId !== turnTraces[1]);
    const theirs = items.filter((item) => item.span.traceId === turnTraces[1]);
    await truncateAll(db.store);
    await writeTraceRequest(new StoreSink(db.store), toTraceRequest(items), 1000);
    const baseline = await dumpTables(db.store);
    await truncateAll(db.store);

    // The first replica found the conversation absent; before it inserts it, the second replica
    // writes the other turn and commits, creating the conversation.
    let conversationLocks = 0;
    const replica = new StoreSink(second);
    const racing = intercepted(db.store, (tx) => ({
      ...tx,
      query: async <R>(sql: string, params?: readonly unknown[]) => {
        if (/FROM conversations .*FOR UPDATE/s.test(sql)) conversationLocks += 1;
        return tx.query<R>(sql, params);
      },
      insertNew: async (insert) => {
        if (insert.table === 'conversations') {
          await expect(writeTraceRequest(replica, toTraceRequest(theirs), 1000)).resolves.toMatchObject({ rejected: 0 });
        }
        return tx.insertNew(insert);
      },
    }));
    await expect(writeTraceRequest(new StoreSink(racing.store), toTraceRequest(mine), 1000)).resolves.toMatchObject({ rejected: 0 });

    expect(racing.transactions(), 'one transaction: the conflict is settled inside it').toBe(1);
    expect(conversationLocks, 'the conversation is locked again once it exists').toBe(2);
    expect(await dumpTables(db.store)).toEqual(baseline);
  });
});

/** `store` with every transaction passed through `wrap`, and a count of the transactions begun. */
function intercepted(store: Store, wrap: (tx: StoreTransaction) => StoreTransaction): { store: Store; transactions: () => number } {
  let transactions = 0;
  return {
    store: {
      ...store,
      transaction: (fn) => {
        transactions += 1;
        return store.transaction((tx) => fn(wrap(tx)));
      },
    },
    transactions: () => transactions,
  };
}
