import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore, IN_MEMORY_DATA_DIR, storeOptionsFromEnv } from '../src/create-store.js';
import { isSchemaCurrent, migrate, MigrationError, readMigrations } from '../src/migrate.js';
import { createPostgresStore } from '../src/postgres.js';
import { createTestDatabase, openTestStore, queryRows, STORE_KINDS } from './helpers/db.js';

describe.each(STORE_KINDS)('migrate (%s)', (kind) => {
  it('applies numbered migrations once and records them', async () => {
    const db = await openTestStore(kind);
    try {
      const again = await migrate(db.store);
      const migrations = await readMigrations();
      expect(again.applied).toEqual([]);
      expect(again.version).toBe(migrations.at(-1)?.version);
      const recorded = await queryRows<{ version: number; name: string }>(db.store, 'SELECT version, name FROM schema_migrations ORDER BY version');
      expect(recorded).toEqual(migrations.map(({ version, name }) => ({ version, name })));
      expect(await db.store.withClient((client) => isSchemaCurrent(client))).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('refuses a migration changed after it was applied', async () => {
    const db = await openTestStore(kind);
    try {
      const [first, ...rest] = await readMigrations();
      const edited = { ...first!, sql: `${first!.sql}\n-- edited`, checksum: 'edited' };
      await expect(migrate(db.store, [edited, ...rest])).rejects.toBeInstanceOf(MigrationError);
    } finally {
      await db.close();
    }
  });
});

describe('migrate (postgres, concurrent)', () => {
  it('lets several processes migrate the same database at once', async () => {
    const database = await createTestDatabase();
    const stores = Array.from({ length: 4 }, () => createPostgresStore({ connectionString: database.url }));
    try {
      const results = await Promise.all(stores.map((store) => migrate(store)));
      expect(results.map((result) => result.applied.length).sort()).toEqual([0, 0, 0, (await readMigrations()).length]);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
      await database.drop();
    }
  });

  it('runs a migration longer than the store time limits (a backfill), and makes a second process wait for it', async () => {
    const database = await createTestDatabase();
    const limits = { connectionString: database.url, writeTimeoutMillis: 300, statementTimeoutMillis: 300 };
    const stores = [createPostgresStore(limits), createPostgresStore(limits)];
    try {
      const slow = { version: 1, name: 'slow_backfill', sql: 'SELECT pg_sleep(1.2); CREATE TABLE backfilled (id integer)', checksum: 'slow' };
      const results = await Promise.all(stores.map((store) => migrate(store, [slow])));
      expect(results.map((result) => result.applied.length).sort()).toEqual([0, 1]);
      // Outside migrations the limits hold.
      await expect(stores[0]!.transaction((tx) => tx.query('SELECT pg_sleep(1)'))).rejects.toThrow();
    } finally {
      await Promise.all(stores.map((store) => store.close()));
      await database.drop();
    }
  });
});

describe('createStore', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('reads DATABASE_URL and CONVOTEL_DATA_DIR', () => {
    expect(storeOptionsFromEnv({ DATABASE_URL: 'postgres://x/y', CONVOTEL_DATA_DIR: '/data' })).toEqual({ databaseUrl: 'postgres://x/y', dataDir: '/data' });
    expect(storeOptionsFromEnv({ DATABASE_URL: ' ' })).toEqual({ databaseUrl: undefined, dataDir: undefined });
  });

  it('uses PostgreSQL when DATABASE_URL is set', async () => {
    const database = await createTestDatabase();
    const store = await createStore({ databaseUrl: database.url });
    try {
      expect(store.kind).toBe('postgres');
      expect(await store.withClient((client) => isSchemaCurrent(client))).toBe(true);
    } finally {
      await store.close();
      await database.drop();
    }
  });

  it('uses embedded PGlite in the data folder otherwise, and keeps its data', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'convotel-'));
    dirs.push(dir);
    const store = await createStore({ dataDir: dir });
    expect(store.kind).toBe('pglite');
    await store.withClient((client) => client.query("INSERT INTO conversations (conversation_id) VALUES ('kept')"));
    await store.close();
    const reopened = await createStore({ dataDir: dir });
    try {
      expect(await queryRows(reopened, 'SELECT conversation_id FROM conversations')).toEqual([{ conversation_id: 'kept' }]);
    } finally {
      await reopened.close();
    }
  });

  it('keeps PGlite in memory for memory://', async () => {
    const store = await createStore({ dataDir: IN_MEMORY_DATA_DIR });
    try {
      expect(await store.withClient((client) => isSchemaCurrent(client))).toBe(true);
    } finally {
      await store.close();
    }
  });
});
