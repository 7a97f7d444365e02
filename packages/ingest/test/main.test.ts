import { describe, expect, it } from 'vitest';
import { DEFAULT_INGEST_CONFIG } from '../src/config.js';
import { startIngestServer } from '../src/main.js';
import { RecordingSink } from './helpers/otlp-sinks.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe('startIngestServer', () => {
  it('listens on a free port when asked for port 0 and closes with keep-alive clients connected', async () => {
    const server = await startIngestServer({
      sink: new RecordingSink(),
      config: { ...DEFAULT_INGEST_CONFIG, host: '127.0.0.1', port: 0 },
      logger: quiet,
    });
    expect(server.port).toBeGreaterThan(0);
    const response = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(response.status).toBe(200);
    await server.close();
    await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
  });

  it('fails to start when the port is taken', async () => {
    const config = { ...DEFAULT_INGEST_CONFIG, host: '127.0.0.1', port: 0 };
    const first = await startIngestServer({ sink: new RecordingSink(), config, logger: quiet });
    await expect(
      startIngestServer({ sink: new RecordingSink(), config: { ...config, port: first.port }, logger: quiet }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await first.close();
  });
});
