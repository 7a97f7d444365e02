import { afterEach, describe, expect, it } from 'vitest';
import { bearerToken } from '../../src/http/bearer-auth.js';
import { recordTurnSpans, serializeTracesProtobuf } from '../helpers/otlp-fixtures.js';
import { startTestServer, type TestServer } from '../helpers/otlp-server.js';
import { RecordingSink } from '../helpers/otlp-sinks.js';

const TOKEN = 'sk-ingest-2f9c1e7a4b';
const PROTOBUF = { 'content-type': 'application/x-protobuf' };

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('ingest bearer token', () => {
  it('answers 401 without the token when one is configured, and stores nothing', async () => {
    const sink = new RecordingSink();
    server = await startTestServer(sink, { ingestToken: TOKEN });
    const body = serializeTracesProtobuf(recordTurnSpans());

    for (const authorization of [undefined, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN]) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (authorization !== undefined) headers.authorization = authorization;
      const response = await server.post('/v1/traces', body, headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(((await response.json()) as { message: string }).message).toMatch(/bearer token/);
    }
    expect(sink.traces).toHaveLength(0);
  });

  it('accepts the token with any casing of the scheme', async () => {
    const sink = new RecordingSink();
    server = await startTestServer(sink, { ingestToken: TOKEN });
    const body = serializeTracesProtobuf(recordTurnSpans());
    expect((await server.post('/v1/traces', body, { ...PROTOBUF, authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await server.post('/v1/logs', Buffer.alloc(0), { ...PROTOBUF, authorization: `bearer ${TOKEN}` })).status).toBe(200);
    expect(sink.spans).toHaveLength(3);
  });

  it('checks the token before reading the body', async () => {
    server = await startTestServer(new RecordingSink(), { ingestToken: TOKEN, maxBodyBytes: 1024 });
    const response = await server.post('/v1/traces', Buffer.alloc(4096), { 'content-type': 'text/plain' });
    expect(response.status).toBe(401);
  });

  it('leaves /healthz open', async () => {
    server = await startTestServer(new RecordingSink(), { ingestToken: TOKEN });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('lets everything through when no token is configured', async () => {
    server = await startTestServer(new RecordingSink());
    expect((await server.post('/v1/traces', Buffer.alloc(0), PROTOBUF)).status).toBe(200);
  });
});

describe('bearerToken', () => {
  it('reads the token of a Bearer header and nothing else', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('BEARER  abc ')).toBe('abc');
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken('Token abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
