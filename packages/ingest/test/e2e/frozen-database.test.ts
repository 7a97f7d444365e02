// A database that stops answering without closing anything (the postmaster and its backends
// SIGSTOPped: a hung host, a partition that drops packets) must not hold requests past the
// sender's timeout: the write gives up after CONVOTEL_DB_TIMEOUT_MS and answers 503, the health
// check answers unready, and once it thaws the sender's retry lands every span once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveIngest, type RunningIngest } from '../../src/index.js';
import { countRows, healthStatus, postTraces, sendUntilAccepted } from '../helpers/ingest-client.js';
import { recordTurnSpans, serializeTracesJson } from '../helpers/otlp-fixtures.js';
import { ThrowawayCluster } from '../helpers/pg-cluster.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
let cluster: ThrowawayCluster;
let ingest: RunningIngest;

beforeAll(async () => {
  cluster = await ThrowawayCluster.create();
  ingest = await serveIngest({
    env: { DATABASE_URL: cluster.url(), CONVOTEL_OTLP_PORT: '0', CONVOTEL_OTLP_HOST: '127.0.0.1', CONVOTEL_DB_TIMEOUT_MS: '1500' },
    logger: quiet,
  });
}, 60_000);

afterAll(async () => {
  await ingest?.close();
  await cluster?.destroy();
});

describe('a frozen database', () => {
  it('answers 503 before the sender gives up, fails the health check, and stores the retried turns once after it thaws', async () => {
    const before = serializeTracesJson(recordTurnSpans());
    await sendUntilAccepted(ingest.port, before);

    const during = serializeTracesJson(recordTurnSpans());
    await cluster.freeze();
    try {
      // The sender's own timeout (10 s, the OTLP exporters' default) must not be what ends it.
      const refused = await postTraces(ingest.port, during, { timeoutMillis: 10_000 });
      expect(refused).toMatchObject({ kind: 'answer', status: 503 });
      expect(await healthStatus(ingest.port)).toBe(503);
    } finally {
      await cluster.thaw();
    }
    await sendUntilAccepted(ingest.port, during);
    await sendUntilAccepted(ingest.port, before);
    expect(await countRows(cluster.url(), 'llm_calls')).toBe(2);
    expect(await countRows(cluster.url(), 'steps')).toBe(2);
  }, 60_000);
});
