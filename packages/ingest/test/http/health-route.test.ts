import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/otlp-server.js';
import { FailingSink, RecordingSink } from '../helpers/otlp-sinks.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('GET /healthz', () => {
  it('answers 200 once the store accepts data', async () => {
    server = await startTestServer(new RecordingSink());
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers 503 while migrations are pending or the database is unreachable', async () => {
    const sink = new RecordingSink();
    sink.isReadyValue = false;
    server = await startTestServer(sink);
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable' });
  });

  it('answers 503 and logs when the readiness check itself fails', async () => {
    server = await startTestServer(new FailingSink());
    expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
    expect(server.logged).toEqual([expect.objectContaining({ level: 'warn', message: 'ingest: readiness check failed' })]);
  });
});
