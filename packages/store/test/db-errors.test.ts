// Which failures are transient (answered 503, retried by the sender) and which connections are
// dropped. Errors PostgreSQL and pg raise cheaply are taken from a real server; the others
// (a broken connection, a full server, a process out of descriptors) are built with the same
// shape: a `code` (SQLSTATE or errno) and a message.
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDiscardedConnectionError, isTransientDbError } from '../src/db-errors.js';
import { createTestDatabase, type TestDatabase } from './helpers/db.js';

/** An error shaped like the ones pg (SQLSTATE) and Node (errno) raise. */
function errorWithCode(code: string, message = `error ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

describe('database errors raised by a real server', () => {
  let database: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query('CREATE TABLE item (id int PRIMARY KEY)');
    await client.query('INSERT INTO item VALUES (1)');
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  /** The error `sql` fails with (each statement on its own: a failed one aborts nothing else). */
  async function errorOf(sql: string): Promise<unknown> {
    return client.query(sql).then(
      () => {
        throw new Error(`expected ${sql} to fail`);
      },
      (error: unknown) => error,
    );
  }

  it('are transient for a read-only transaction (25006), a missing table (42P01) and a statement timeout (57014)', async () => {
    const readOnly = await (async () => {
      await client.query('BEGIN READ ONLY');
      try {
        return await errorOf('INSERT INTO item VALUES (2)');
      } finally {
        await client.query('ROLLBACK');
      }
    })();
    expect(readOnly).toMatchObject({ code: '25006' });
    expect(isTransientDbError(readOnly)).toBe(true);
    expect(isDiscardedConnectionError(readOnly)).toBe(true);

    const missing = await errorOf('SELECT * FROM no_such_table');
    expect(missing).toMatchObject({ code: '42P01' });
    expect(isTransientDbError(missing)).toBe(true);

    await client.query("SET statement_timeout = '20ms'");
    const timedOut = await errorOf('SELECT pg_sleep(5)');
    await client.query('RESET statement_timeout');
    expect(timedOut).toMatchObject({ code: '57014' });
    expect(isTransientDbError(timedOut)).toBe(true);
  });

  it("are not transient for the request's own bad values: unique violation (23505), numeric out of range (22003), invalid text (22P02)", async () => {
    const duplicate = await errorOf('INSERT INTO item VALUES (1)');
    const outOfRange = await errorOf('SELECT 2147483648::int');
    const invalidText = await errorOf("SELECT 'x'::int");
    expect([duplicate, outOfRange, invalidText]).toMatchObject([{ code: '23505' }, { code: '22003' }, { code: '22P02' }]);
    for (const error of [duplicate, outOfRange, invalidText]) expect(isTransientDbError(error)).toBe(false);
    expect(isDiscardedConnectionError(duplicate)).toBe(false);
  });

  it("is transient, and drops the connection, for pg's client-side query timeout", async () => {
    const impatient = new pg.Client({ connectionString: database.url, query_timeout: 50 });
    await impatient.connect();
    try {
      const error = await impatient.query('SELECT pg_sleep(5)').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ message: 'Query read timeout' });
      expect(isTransientDbError(error)).toBe(true);
      expect(isDiscardedConnectionError(error)).toBe(true);
    } finally {
      // The abandoned statement still runs on the server: end the session, ending it too.
      await impatient.end();
    }
  });

  it("is transient for pg's pool waiting too long for a free connection", async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 1, connectionTimeoutMillis: 50 });
    const held = await pool.connect();
    try {
      const error = await pool.connect().then(
        (extra) => extra.release(),
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ message: 'timeout exceeded when trying to connect' });
      expect(isTransientDbError(error)).toBe(true);
    } finally {
      held.release();
      await pool.end();
    }
  });

  it('is transient, and drops the connection, for a connect that times out on a server that never answers', async () => {
    // Accepts connections and never answers: a frozen database.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    // Through a pool, as the store connects (a lone pg.Client says only "timeout expired").
    const frozen = new pg.Pool({ host: '127.0.0.1', port: (silent.address() as net.AddressInfo).port, user: 'postgres', connectionTimeoutMillis: 50 });
    try {
      const error = await frozen.connect().then(
        (client) => client.release(),
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ message: 'Connection terminated due to connection timeout' });
      expect(isTransientDbError(error)).toBe(true);
      expect(isDiscardedConnectionError(error)).toBe(true);
    } finally {
      await frozen.end();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('isTransientDbError', () => {
  it('is true for a broken connection (08006), too many connections (53300) and this process out of descriptors or memory', () => {
    for (const code of ['08006', '53300', 'EMFILE', 'ENFILE', 'ENOMEM', '25006', '42P01', '57014']) {
      expect(isTransientDbError(errorWithCode(code)), code).toBe(true);
    }
  });

  it("is true for pg's timeouts, known by their message", () => {
    expect(isTransientDbError(new Error('Query read timeout'))).toBe(true);
    expect(isTransientDbError(new Error('timeout exceeded when trying to connect'))).toBe(true);
  });

  it("is false for the request's own values and for bugs of ours", () => {
    for (const code of ['23505', '22003', '22P02']) expect(isTransientDbError(errorWithCode(code)), code).toBe(false);
    expect(isTransientDbError(new TypeError("Cannot read properties of undefined (reading 'length')"))).toBe(false);
  });
});

describe('isDiscardedConnectionError', () => {
  it('drops the connection after a read-only server, a broken connection, a reset socket or an abandoned query', () => {
    expect(isDiscardedConnectionError(errorWithCode('25006'))).toBe(true);
    expect(isDiscardedConnectionError(errorWithCode('08006'))).toBe(true);
    expect(isDiscardedConnectionError(errorWithCode('ECONNRESET', 'read ECONNRESET'))).toBe(true);
    expect(isDiscardedConnectionError(new Error('Query read timeout'))).toBe(true);
  });

  it('keeps the connection after a unique violation', () => {
    expect(isDiscardedConnectionError(errorWithCode('23505', 'duplicate key value violates unique constraint'))).toBe(false);
  });
});
