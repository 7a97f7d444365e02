// Started while PostgreSQL is away, the server comes up anyway (a Collector in front retries
// 503s; exiting would only put it in a restart loop): 503 and unready until the database
// appears, then it migrates on its own and the sender's retry lands every span once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveIngest, type RunningIngest } from '../../src/index.js';
import { createTestDatabase, PostgresProxy, type TestDatabase } from '../helpers/db.js';
import { countRows, healthStatus, postTraces, sendUntilAccepted, waitUntil } from '../helpers/ingest-client.js';
import { recordTurnSpans, serializeTracesJson } from '../helpers/otlp-fixtures.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const proxy = new PostgresProxy();
let database: TestDatabase;
let ingest: RunningIngest | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  // Take a port for the proxy, then close it: the database is "down" at the server's start.
  await proxy.start();
  await proxy.stop();
});

afterAll(async () => {
  await ingest?.close();
  await proxy.stop();
  await database?.drop();
});

describe('a database that is down when the server starts', () => {
  it('starts, answers 503 and unready, then migrates once the database is up and stores the retried turn once', async () => {
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    ingest = await serveIngest({
      env: { DATABASE_URL: viaProxy.toString(), CONVOTEL_OTLP_PORT: '0', CONVOTEL_OTLP_HOST: '127.0.0.1' },
      logger: quiet,
    });
    const body = serializeTracesJson(recordTurnSpans());

    expect(await postTraces(ingest.port, body)).toMatchObject({ kind: 'answer', status: 503, code: 'CONVOTEL_STORE_UNAVAILABLE' });
    expect(await healthStatus(ingest.port)).toBe(503);

    await proxy.start();
    const port = ingest.port;
    await waitUntil(async () => (await healthStatus(port)) === 200, 'the server migrated the database');
    await sendUntilAccepted(port, body);
    await sendUntilAccepted(port, body);
    expect(await countRows(database.url, 'llm_calls')).toBe(1);
  }, 60_000);
});
