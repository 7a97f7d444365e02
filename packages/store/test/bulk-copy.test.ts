// Bulk inserts through COPY, with rows encoded ahead (`prefetch`) or on the spot, and bulk
// updates by key, on both stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkRows, SqlValue } from '../src/store.js';
import { openTestStore, type TestStore } from './helpers/db.js';

interface Item {
  readonly id: number;
  readonly note: string;
}

// Rows of ~1 KiB: several COPY chunks of 256 KiB each.
function itemsOf(count: number): Item[] {
  return Array.from({ length: count }, (_, id) => ({ id, note: `${id}:${'x'.repeat(1000)}\t\\ end` }));
}

function bulkOf(items: readonly Item[], failAt = -1): BulkRows<Item> {
  return {
    table: 'bulk_items',
    columns: [
      { name: 'id', type: 'integer', get: (item): SqlValue => item.id },
      {
        name: 'note',
        type: 'text',
        get: (item): SqlValue => {
          if (item.id === failAt) throw new Error(`cannot encode item ${item.id}`);
          return item.note;
        },
      },
    ],
    rows: items,
  };
}

describe.each(['postgres', 'pglite'] as const)('bulk COPY (%s)', (kind) => {
  let db: TestStore;
  beforeAll(async () => {
    db = await openTestStore(kind);
    await db.store.withClient((client) => client.exec('CREATE TABLE bulk_items (id integer PRIMARY KEY, note text NOT NULL)'));
  });
  afterAll(async () => {
    await db?.close();
  });

  async function stored(): Promise<{ count: number; notes: string[] }> {
    return db.store.withClient(async (client) => {
      const { rows } = await client.query<{ id: number; note: string }>('SELECT id, note FROM bulk_items ORDER BY id');
      await client.exec('TRUNCATE bulk_items');
      return { count: rows.length, notes: rows.map((row) => row.note) };
    });
  }

  it('stores every row encoded ahead, in full, also when the copy starts before encoding ends', async () => {
    const early = itemsOf(3000);
    const late = itemsOf(3000).map((item) => ({ ...item, id: item.id + 3000 }));
    await db.store.transaction(async (tx) => {
      const earlyBulk = bulkOf(early);
      const lateBulk = bulkOf(late);
      tx.prefetch(earlyBulk);
      tx.prefetch(lateBulk);
      // A few turns of the event loop: part of `early` is encoded ahead, `late` barely started.
      for (let i = 0; i < 3; i += 1) await new Promise((resolve) => setImmediate(resolve));
      await tx.insertAll(earlyBulk);
      await tx.insertAll(lateBulk);
    });
    const { count, notes } = await stored();
    expect(count).toBe(6000);
    expect(notes).toEqual([...early, ...late].map((item) => item.note));
  });

  it('fails the insert, and the transaction, when a row encoded ahead cannot be encoded', async () => {
    const bulk = bulkOf(itemsOf(3000), 2500);
    const attempt = db.store.transaction(async (tx) => {
      tx.prefetch(bulk);
      await new Promise((resolve) => setImmediate(resolve));
      await tx.insertAll(bulk);
    });
    await expect(attempt).rejects.toThrow('cannot encode item 2500');
    expect((await stored()).count).toBe(0);
  });

  it('updates the rows with matching keys only, also when used twice in one transaction', async () => {
    const items = itemsOf(3000);
    await db.store.transaction((tx) => tx.insertAll(bulkOf(items)));
    const changed = (from: number, to: number, tag: string): Item[] => items.slice(from, to).map((item) => ({ ...item, note: `${tag} ${item.id}\t\\ é` }));
    await db.store.transaction(async (tx) => {
      await tx.updateAll({ ...bulkOf(changed(1000, 2500, 'first')), key: 'id' });
      await tx.query(`UPDATE bulk_items SET note = 'set between' WHERE id < 1100`);
      // Must not apply the first call's rows again (Postgres reuses one staging table).
      await tx.updateAll({ ...bulkOf(changed(2600, 2700, 'second')), key: 'id' });
    });
    const { count, notes } = await stored();
    expect(count).toBe(3000);
    const expected = items.map((item) => {
      if (item.id < 1100) return 'set between';
      if (item.id < 2500) return `first ${item.id}\t\\ é`;
      if (item.id >= 2600 && item.id < 2700) return `second ${item.id}\t\\ é`;
      return item.note;
    });
    expect(notes).toEqual(expected);
  });
});
