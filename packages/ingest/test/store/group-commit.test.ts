// Group commit, observed in the database itself: every row carries in `xmin` the id of the
// transaction that wrote it, so counting distinct `xmin` counts the transactions behind the
// rows. PGlite is PostgreSQL too and numbers its transactions the same way.
import { describe, expect, it } from 'vitest';
import { StoreSink, type StoreSinkOptions } from '../../src/store/store-sink.js';
import { writeTraceRequest } from '../../src/pipeline/write-request.js';
import type { Store } from '@convotel/store';
import { queryRows, STORE_KINDS, useEmptiedStore } from '../helpers/db.js';
import { Ids, sdkConversation, T0, MS, toTraceRequest, type SpanItem } from '../helpers/spans.js';
import { eachOnce, storedCounts } from '../helpers/stored-spans.js';

const REQUESTS = 24;
const TURNS = 2;

/** Rows of `llm_calls` by the transaction that inserted them, each row tagged with the request it came from. */
async function requestsByTransaction(db: { readonly store: Store }, requestOfTrace: ReadonlyMap<string, number>): Promise<Map<string, Set<number>>> {
  // xid has no ordering or min/max in SQL; as text it groups fine.
  const rows = await queryRows<{ xid: string; trace_id: string }>(db.store, 'SELECT xmin::text AS xid, trace_id FROM llm_calls');
  const byTransaction = new Map<string, Set<number>>();
  for (const row of rows) {
    const request = requestOfTrace.get(row.trace_id);
    if (request === undefined) throw new Error(`row of an unknown trace ${row.trace_id}`);
    const requests = byTransaction.get(row.xid) ?? new Set<number>();
    requests.add(request);
    byTransaction.set(row.xid, requests);
  }
  return byTransaction;
}

describe.each(STORE_KINDS)('group commit (%s)', (kind) => {
  const db = useEmptiedStore(kind);

  /** Sends REQUESTS requests at once, each its own conversation, and waits for every answer. */
  async function writeConcurrently(options: StoreSinkOptions): Promise<{ items: SpanItem[]; requestOfTrace: Map<string, number> }> {
    const sink = new StoreSink(db.store, options);
    const ids = new Ids(77);
    const requests = Array.from({ length: REQUESTS }, (_, i) =>
      sdkConversation(ids, { conversationId: `conv-group-${i}`, turns: TURNS, startNs: T0 + BigInt(i) * 60_000n * MS }),
    );
    const results = await Promise.all(requests.map((items) => writeTraceRequest(sink, toTraceRequest(items), 1000)));
    expect(results.map((result) => result.rejected)).toEqual(requests.map(() => 0));
    const requestOfTrace = new Map<string, number>();
    requests.forEach((items, i) => {
      for (const { span } of items) requestOfTrace.set(span.traceId, i);
    });
    return { items: requests.flat(), requestOfTrace };
  }

  it('commits concurrent requests in fewer transactions than requests, several requests to a transaction, each span once', async () => {
    const { items, requestOfTrace } = await writeConcurrently({});

    const byTransaction = await requestsByTransaction(db, requestOfTrace);
    expect(byTransaction.size).toBeGreaterThan(0);
    expect(byTransaction.size).toBeLessThan(REQUESTS);
    const largest = Math.max(...[...byTransaction.values()].map((requests) => requests.size));
    expect(largest).toBeGreaterThan(1);
    // Every request's rows came from exactly one transaction (no request split across commits).
    const transactionsOfRequest = new Map<number, number>();
    for (const requests of byTransaction.values()) for (const request of requests) transactionsOfRequest.set(request, (transactionsOfRequest.get(request) ?? 0) + 1);
    expect([...transactionsOfRequest.values()]).toEqual(Array.from({ length: REQUESTS }, () => 1));

    expect(await storedCounts(db.store, items)).toEqual(eachOnce(items));
    // Counters count each span once too: a request applied twice would double them.
    const conversations = await queryRows<{ turns: number; llm_calls: number }>(db.store, 'SELECT turns, llm_calls FROM conversations');
    expect(conversations).toEqual(Array.from({ length: REQUESTS }, () => ({ turns: TURNS, llm_calls: TURNS })));
  });

  it('counts one transaction per request when batches hold one request (the counting method sees transactions)', async () => {
    const { items, requestOfTrace } = await writeConcurrently({ maxBatchRows: 1 });

    const byTransaction = await requestsByTransaction(db, requestOfTrace);
    expect(byTransaction.size).toBe(REQUESTS);
    expect([...byTransaction.values()].every((requests) => requests.size === 1)).toBe(true);
    expect(await storedCounts(db.store, items)).toEqual(eachOnce(items));
  });
});
