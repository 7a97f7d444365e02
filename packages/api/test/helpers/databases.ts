// Real databases for the read-side tests: a uniquely named PostgreSQL database on the machine's
// server (dropped afterwards; unreachable is a failure, never a skip), or an in-memory PGlite.
import { randomBytes } from 'node:crypto';
import { createStore, type Store } from '@convotel/store';
import pg from 'pg';

export const ADMIN_URL = process.env['CONVOTEL_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export type StoreKind = 'postgres' | 'pglite';

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is required for the API tests and is unreachable at ${ADMIN_URL}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestStore {
  readonly kind: StoreKind;
  readonly store: Store;
  /** The database URL (PostgreSQL only). */
  readonly url: string | undefined;
  close(): Promise<void>;
}

/** A migrated store of `kind` on a fresh database. */
export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'pglite') {
    const store = await createStore({ dataDir: 'memory://' });
    return { kind, store, url: undefined, close: () => store.close() };
  }
  const name = `convotel_api_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const drop = () => withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined);
  let store: Store;
  try {
    store = await createStore({ databaseUrl: url.toString() });
  } catch (error) {
    await drop();
    throw error;
  }
  return {
    kind,
    store,
    url: url.toString(),
    close: async () => {
      await store.close();
      await drop();
    },
  };
}
