// Real databases for store tests: a uniquely named PostgreSQL database on the machine's server
// (dropped afterwards; the test FAILS when the server is unreachable, it never skips), or an
// in-memory PGlite. Plus a TCP proxy to take "the database" down and bring it back.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { migrate, readMigrations } from '../../src/migrate.js';
import { createPgliteStore } from '../../src/pglite.js';
import { createPostgresStore } from '../../src/postgres.js';
import type { Store } from '../../src/store.js';
import { HISTOGRAM_BOUNDS } from '../../src/tables/histogram-bounds.js';
import { TABLES } from '../../src/tables/schema.js';
import type { Table } from '../../src/tables/table.js';

/** Server the tests use: 127.0.0.1:5432, trust auth, user postgres, database `test`. */
export const ADMIN_URL = process.env['CONVOTEL_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export type StoreKind = 'postgres' | 'pglite';
export const STORE_KINDS: readonly StoreKind[] = ['postgres', 'pglite'];

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is required for the store tests and is unreachable at ${ADMIN_URL}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database with a unique name. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `convotel_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Ends every session connected to a database (what a server restart does to clients). */
export async function terminateConnections(databaseName: string): Promise<void> {
  await withAdmin((client) =>
    client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [databaseName]),
  );
}

export interface TestStore {
  readonly store: Store;
  readonly kind: StoreKind;
  readonly database: TestDatabase | undefined;
  close(): Promise<void>;
}

/** Migrates to `version` (default: every migration). */
async function migrateTo(store: Store, version: number | undefined): Promise<void> {
  const migrations = await readMigrations();
  await migrate(store, version === undefined ? migrations : migrations.filter((migration) => migration.version <= version));
}

/** A store of the given kind on a fresh database, migrated to `version` (default: the latest). */
export async function openTestStore(kind: StoreKind, options: { port?: number; version?: number } = {}): Promise<TestStore> {
  if (kind === 'pglite') {
    const store = await createPgliteStore();
    await migrateTo(store, options.version);
    return { store, kind, database: undefined, close: () => store.close() };
  }
  const database = await createTestDatabase();
  const url = new URL(database.url);
  if (options.port !== undefined) url.port = String(options.port);
  const store = createPostgresStore({ connectionString: url.toString(), connectionTimeoutMillis: 2000 });
  try {
    await migrateTo(store, options.version);
  } catch (error) {
    await store.close();
    await database.drop();
    throw error;
  }
  return {
    store,
    kind,
    database,
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
}

/**
 * A store of `kind` for the tests of one describe block: opened before them, emptied before
 * each, closed after. Read `.store` inside the tests (it exists once the block has started).
 */
export function useEmptiedStore(kind: StoreKind): { readonly store: Store } {
  let opened: TestStore | undefined;
  beforeAll(async () => {
    opened = await openTestStore(kind);
  });
  afterAll(async () => {
    await opened?.close();
  });
  beforeEach(async () => {
    if (opened !== undefined) await truncateAll(opened.store);
  });
  return {
    get store(): Store {
      if (opened === undefined) throw new Error('the test store is not open yet');
      return opened.store;
    },
  };
}

/** Tables written by the ingest (all but the reference data), with the key their dumps are ordered by. */
export const DATA_TABLES: readonly Table[] = TABLES.filter((table) => table !== HISTOGRAM_BOUNDS);

/** Empties every data table (between tests sharing a database). */
export async function truncateAll(store: Store): Promise<void> {
  await store.withClient((client) => client.exec(`TRUNCATE ${DATA_TABLES.join(', ')}`));
}

/** Every row of every data table as JSON, in key order: equal dumps mean equal stores. */
export async function dumpTables(store: Store): Promise<Record<string, unknown[]>> {
  const dump: Record<string, unknown[]> = {};
  for (const table of DATA_TABLES) {
    const { rows } = await store.withClient((client) => client.query<{ row: unknown }>(`SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY ${table.key.join(', ')}`));
    dump[table.name] = rows.map((row) => (typeof row.row === 'string' ? JSON.parse(row.row) : row.row));
  }
  return dump;
}

export async function queryRows<R = Record<string, unknown>>(store: Store, sql: string, params: readonly unknown[] = []): Promise<R[]> {
  return store.withClient(async (client) => (await client.query<R>(sql, params)).rows);
}

/** A TCP proxy in front of PostgreSQL that can be stopped (connections cut, port refusing) and started again. */
export class PostgresProxy {
  readonly #target: { host: string; port: number };
  #server: net.Server | undefined;
  readonly #sockets = new Set<net.Socket>();
  port = 0;

  constructor(target: { host: string; port: number } = { host: new URL(ADMIN_URL).hostname, port: Number(new URL(ADMIN_URL).port || 5432) }) {
    this.#target = target;
  }

  async start(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.#target.port, this.#target.host);
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.#server = server;
  }

  /** Refuses new connections and cuts the open ones. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
