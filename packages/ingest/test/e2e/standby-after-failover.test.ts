// A database that answers but cannot be written (a hot standby, as after a failover) is an
// outage, not bad data: 503 + Retry-After and an unready health check until it is promoted,
// then the sender's retry lands every span once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '@convotel/store';
import { serveIngest, type RunningIngest } from '../../src/index.js';
import { countRows, healthStatus, postTraces, sendUntilAccepted, waitUntil } from '../helpers/ingest-client.js';
import { recordTurnSpans, serializeTracesJson } from '../helpers/otlp-fixtures.js';
import { ThrowawayCluster } from '../helpers/pg-cluster.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
let primary: ThrowawayCluster;
let standby: ThrowawayCluster;
let ingest: RunningIngest;

beforeAll(async () => {
  primary = await ThrowawayCluster.create();
  // The schema exists on the primary and reaches the standby by replication.
  await (await createStore({ databaseUrl: primary.url() })).close();
  standby = await primary.createStandby();
  await waitUntil(async () => (await countRows(standby.url(), 'schema_migrations')) > 0, 'the standby has the schema');
  ingest = await serveIngest({
    env: { DATABASE_URL: standby.url(), CONVOTEL_OTLP_PORT: '0', CONVOTEL_OTLP_HOST: '127.0.0.1' },
    logger: quiet,
  });
}, 60_000);

afterAll(async () => {
  await ingest?.close();
  await standby?.destroy();
  await primary?.destroy();
});

describe('a read-only database', () => {
  it('answers 503 with Retry-After and fails the health check until the standby is promoted, then stores the retried turn once', async () => {
    const body = serializeTracesJson(recordTurnSpans());

    const refused = await postTraces(ingest.port, body);
    expect(refused).toMatchObject({ kind: 'answer', status: 503, code: 'CONVOTEL_STORE_UNAVAILABLE' });
    expect(Number((refused as { retryAfter: string }).retryAfter)).toBeGreaterThan(0);
    expect(await healthStatus(ingest.port)).toBe(503);

    await standby.promote();
    await waitUntil(async () => (await healthStatus(ingest.port)) === 200, 'the health check sees a writable database');
    await sendUntilAccepted(ingest.port, body);
    await sendUntilAccepted(ingest.port, body);
    expect(await countRows(standby.url(), 'llm_calls')).toBe(1);
    expect(await countRows(standby.url(), 'steps')).toBe(1);
  }, 60_000);
});
