// Two ingest replicas (two pools, two sinks) writing overlapping data into one PostgreSQL
// database at the same time: no deadlock surfaces, and the result is what one writer gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../../src/store/postgres.js';
import type { Store } from '../../src/store/store.js';
import { StoreSink } from '../../src/store/store-sink.js';
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
    await baselineSink.writeTraces(toTraceRequest(items), 1000);
    const baseline = await dumpTables(db.store);

    const rng = new Ids(8);
    for (let round = 0; round < 5; round += 1) {
      await truncateAll(db.store);
      const replicas = [new StoreSink(db.store, { writeConcurrency: 3, maxBatchRows: 200 }), new StoreSink(second, { writeConcurrency: 3, maxBatchRows: 200 })];
      const writes = replicas.flatMap((sink) =>
        split(shuffle(items, rng), 25, rng).map((chunk) => sink.writeTraces(toTraceRequest(chunk), chunk.length * 700)),
      );
      await Promise.all(writes);
      expect(await dumpTables(db.store), `round ${round}`).toEqual(baseline);
    }
  });
});
