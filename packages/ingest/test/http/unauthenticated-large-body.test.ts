// A sender without the token may already be writing a large body when the 401 is decided (the
// token is checked before the body is read). It must get that 401, not a broken pipe or a reset
// (which it would retry forever), and its keep-alive connection must stay usable.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { gzipSync, constants as zlib } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/otlp-server.js';
import { RecordingSink } from '../helpers/otlp-sinks.js';

const TOKEN = 'sk-ingest-large-body';
const MIB = 1024 * 1024;
const BODY_BYTES = 50 * MIB;
const PROTOBUF = { 'content-type': 'application/x-protobuf' };

/** What a Node `http.request` got: the answer, whether it reused a kept-alive socket, and any socket error. */
interface NodeAnswer {
  readonly status: number | undefined;
  readonly wwwAuthenticate: string | undefined;
  readonly body: string;
  readonly reusedSocket: boolean;
  readonly error: string | undefined;
}

/**
 * POSTs `body` with Content-Length and `req.end(body)`, and settles once the request is closed,
 * so a socket error raised while the body is still being written is seen too.
 */
function nodePost(agent: http.Agent, url: string, body: Buffer, headers: Record<string, string>): Promise<NodeAnswer> {
  return new Promise((resolve) => {
    let status: number | undefined;
    let wwwAuthenticate: string | undefined;
    let text = '';
    let error: string | undefined;
    const req = http.request(`${url}/v1/traces`, { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      status = res.statusCode;
      wwwAuthenticate = res.headers['www-authenticate'];
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('error', (e: NodeJS.ErrnoException) => (error ??= e.code ?? e.message));
    });
    req.on('error', (e: NodeJS.ErrnoException) => (error ??= e.code ?? e.message));
    req.on('close', () => resolve({ status, wwwAuthenticate, body: text, reusedSocket: req.reusedSocket, error }));
    req.end(body);
  });
}

let server: TestServer | undefined;
const agents: http.Agent[] = [];
afterEach(async () => {
  for (const agent of agents.splice(0)) agent.destroy();
  await server?.close();
  server = undefined;
});

function keepAliveAgent(): http.Agent {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  return agent;
}

describe('a large body sent without the bearer token', () => {
  let plain: Buffer;
  let gzipped: Buffer;
  beforeAll(() => {
    // Random bytes: the gzip body stays about as large as the plain one.
    plain = randomBytes(BODY_BYTES);
    gzipped = gzipSync(plain, { level: zlib.Z_BEST_SPEED });
    expect(gzipped.length).toBeGreaterThan(BODY_BYTES);
  });

  for (const encoding of ['identity', 'gzip'] as const) {
    it(`gets its 401 over Node's http client (${encoding}), and the kept-alive connection answers the next request`, async () => {
      const sink = new RecordingSink();
      server = await startTestServer(sink, { ingestToken: TOKEN });
      const agent = keepAliveAgent();
      const headers = encoding === 'gzip' ? { ...PROTOBUF, 'content-encoding': 'gzip' } : PROTOBUF;

      const first = await nodePost(agent, server.url, encoding === 'gzip' ? gzipped : plain, headers);
      expect(first).toMatchObject({ status: 401, wwwAuthenticate: 'Bearer', error: undefined });
      expect(first.body).toMatch(/bearer token/);

      const second = await nodePost(agent, server.url, Buffer.alloc(0), { ...PROTOBUF, authorization: `Bearer ${TOKEN}` });
      expect(second).toMatchObject({ status: 200, error: undefined, reusedSocket: true });
      expect(sink.traces).toHaveLength(0);
    });
  }

  for (const encoding of ['identity', 'gzip'] as const) {
    it(`gets its 401 over fetch (${encoding}), and the next request is answered`, async () => {
      const sink = new RecordingSink();
      server = await startTestServer(sink, { ingestToken: TOKEN });
      const headers = encoding === 'gzip' ? { ...PROTOBUF, 'content-encoding': 'gzip' } : PROTOBUF;

      // fetch rejects on a socket error, so reaching the status is the "no EPIPE/ECONNRESET" check.
      const response = await fetch(`${server.url}/v1/traces`, { method: 'POST', headers, body: encoding === 'gzip' ? gzipped : plain });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      // A protobuf google.rpc.Status: its message is plain UTF-8 inside.
      expect(Buffer.from(await response.arrayBuffer()).toString()).toMatch(/bearer token/);

      const next = await fetch(`${server.url}/v1/traces`, { method: 'POST', headers: { ...PROTOBUF, authorization: `Bearer ${TOKEN}` }, body: Buffer.alloc(0) });
      expect(next.status).toBe(200);
      await next.arrayBuffer();
    });
  }
});
