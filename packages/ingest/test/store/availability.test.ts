// The database going away and coming back (PostgreSQL behind a TCP proxy we can stop).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/errors.js';
import { StoreSink } from '../../src/store/store-sink.js';
import { writeTraceRequest } from '../../src/pipeline/write-request.js';
import type { TraceRequest } from '../../src/otlp/types.js';
import { dumpTables, openTestStore, PostgresProxy, queryRows, terminateConnections, type TestStore } from '../helpers/db.js';
import { Ids, MS, sdkConversation, T0, toTraceRequest } from '../helpers/spans.js';

/** Writes like the Collector: retries a request answered 503 until it is accepted. */
async function writeUntilAccepted(sink: StoreSink, request: TraceRequest, attempts = 50): Promise<number> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await writeTraceRequest(sink, request, 1000);
      return attempt;
    } catch (error) {
      if (!(error instanceof StoreUnavailableError) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('store availability (postgres)', () => {
  const proxy = new PostgresProxy();
  let db: TestStore;
  let reference: TestStore;
  const ids = new Ids(77);
  const requests = Array.from({ length: 12 }, (_, i) =>
    toTraceRequest(sdkConversation(ids, { conversationId: `conv-down-${i}`, userId: `u${i % 3}`, turns: 2, startNs: T0 + BigInt(i) * 10_000n * MS })),
  );

  beforeAll(async () => {
    await proxy.start();
    db = await openTestStore('postgres', { port: proxy.port });
    reference = await openTestStore('pglite');
    const referenceSink = new StoreSink(reference.store);
    for (const request of requests) await writeTraceRequest(referenceSink, request, 1000);
  });
  afterAll(async () => {
    await proxy.stop();
    await db?.close();
    await reference?.close();
  });

  it('answers StoreUnavailableError while the database is down and lands everything once it is back', async () => {
    const sink = new StoreSink(db.store);
    await writeTraceRequest(sink, requests[0] as TraceRequest, 1000);
    expect(await sink.isReady()).toBe(true);

    // Down: connections cut, new ones refused.
    await proxy.stop();
    await expect(writeTraceRequest(sink, requests[1] as TraceRequest, 1000)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(writeTraceRequest(sink, requests[2] as TraceRequest, 1000)).rejects.toMatchObject({ status: 503, code: 'CONVOTEL_STORE_UNAVAILABLE' });
    expect(await sink.isReady()).toBe(false);

    // Back: the clients retry; then it goes down again in the middle of concurrent writes.
    await proxy.start();
    await writeUntilAccepted(sink, requests[1] as TraceRequest);
    const inFlight = requests.slice(2).map((request) => writeUntilAccepted(sink, request));
    setTimeout(() => {
      void proxy.stop().then(() => setTimeout(() => void proxy.start(), 300));
    }, 5);
    const attempts = await Promise.all(inFlight);
    expect(Math.max(...attempts), 'some writes met the second outage').toBeGreaterThan(1);
    // At-least-once: everything is delivered again once more.
    for (const request of requests) await writeUntilAccepted(sink, request);

    expect(await sink.isReady()).toBe(true);
    expect(await dumpTables(db.store)).toEqual(await dumpTables(reference.store));
  });

  it('recovers when the server ends its sessions', async () => {
    const sink = new StoreSink(db.store);
    const before = await dumpTables(db.store);
    await terminateConnections(db.database?.name as string);
    for (const request of requests) await writeUntilAccepted(sink, request);
    expect(await dumpTables(db.store)).toEqual(before);
    const [row] = await queryRows<{ n: string }>(db.store, 'SELECT count(*) AS n FROM conversations');
    expect(Number(row?.n)).toBe(requests.length);
  });
});
