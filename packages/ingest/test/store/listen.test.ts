// Store.listen: NOTIFYs committed on any connection reach the listener, nothing of a rolled-back
// transaction does, and on PostgreSQL a listening connection that breaks is reopened (the gap
// is reported) and hears again.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestStore, STORE_KINDS, type TestStore } from '../helpers/db.js';

let db: TestStore | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

async function until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(STORE_KINDS)('Store.listen (%s)', (kind) => {
  it('hears committed notifications in commit order, and none of a rolled-back transaction', async () => {
    db = await openTestStore(kind);
    const heard: string[] = [];
    const listener = await db.store.listen('test_channel', { onNotification: (payload) => heard.push(payload) });
    await db.store.transaction(async (tx) => {
      await tx.query(`SELECT pg_notify('test_channel', 'a')`);
      await tx.query(`SELECT pg_notify('test_channel', 'b')`);
    });
    await db.store
      .transaction(async (tx) => {
        await tx.query(`SELECT pg_notify('test_channel', 'rolled back')`);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await db.store.transaction((tx) => tx.query(`SELECT pg_notify('other_channel', 'x'), pg_notify('test_channel', 'c')`));
    await until(() => heard.length >= 3);
    expect(heard).toEqual(['a', 'b', 'c']);
    await listener.close();
    await db.store.transaction((tx) => tx.query(`SELECT pg_notify('test_channel', 'after close')`));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heard).toEqual(['a', 'b', 'c']);
  });
});

describe('Store.listen on PostgreSQL', () => {
  it('reopens a listening connection that was killed, reporting the gap', async () => {
    db = await openTestStore('postgres');
    const events: string[] = [];
    const listener = await db.store.listen('test_channel', {
      onNotification: (payload) => events.push(payload),
      onLost: () => events.push('lost'),
      onRestored: () => events.push('restored'),
    });
    const admin = new pg.Client({ connectionString: db.database!.url });
    await admin.connect();
    try {
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'convotel-listen'`);
      await until(() => events.includes('restored'));
      await admin.query(`SELECT pg_notify('test_channel', 'again')`);
      await until(() => events.includes('again'));
      expect(events).toEqual(['lost', 'restored', 'again']);
    } finally {
      await admin.end();
      await listener.close();
    }
  });
});
