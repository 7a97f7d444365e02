// A built web app served beside the API on the same port: HTML for page URLs, gzip-ed immutable
// assets, the page's settings, and the API's own answers untouched.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SILENT_LOGGER, parseApiConfig, startApi, type RunningApi } from '../src/index.js';
import { openTestStore, type TestStore } from './helpers/databases.js';

const INDEX = '<!doctype html><title>convotel</title><div id="app"></div>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))});`;

let dir: string;
let side: TestStore;
let api: RunningApi;

interface Raw {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** A GET whose body is read as sent (fetch would inflate it). */
function get(path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: api.port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'convotel-web-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), INDEX);
  await writeFile(join(dir, 'assets', 'index-abc123.js'), SCRIPT);
  await writeFile(join(dir, 'assets', 'index-abc123.js.gz'), gzipSync(SCRIPT));
  side = await openTestStore('pglite');
  api = await startApi({ store: side.store, port: 0, logger: SILENT_LOGGER, webApp: { dir, grafanaUrl: 'https://grafana.example.com' } });
});

afterAll(async () => {
  await api?.close();
  await side?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('web app beside the API', () => {
  it('answers every page URL that asks for HTML with index.html, never cached', async () => {
    for (const path of ['/', '/conversations/conv-1?hours=24', '/live', '/no/such/page']) {
      const answer = await get(path, { accept: 'text/html,application/xhtml+xml' });
      expect(answer.status, path).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^text\/html/);
      expect(answer.headers['cache-control']).toBe('no-cache');
      expect(answer.body.toString()).toBe(INDEX);
    }
  });

  it('sends a fingerprinted asset gzip-ed to a browser that takes gzip, plain to one that does not, cached for good', async () => {
    const zipped = await get('/assets/index-abc123.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-type']).toMatch(/javascript/);
    expect(zipped.headers['cache-control']).toContain('immutable');
    expect(zipped.body.length).toBeLessThan(SCRIPT.length / 10);
    const plain = await get('/assets/index-abc123.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(SCRIPT);
  });

  it('answers a missing asset with the JSON 404, not the page', async () => {
    const answer = await get('/assets/index-gone.js', { accept: '*/*' });
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body.toString())).toMatchObject({ error: { code: 'not_found' } });
  });

  it('leaves the API alone: routes answer JSON, unknown API paths 404 JSON even when HTML is asked for', async () => {
    const overview = await get('/api/v1/overview', { accept: 'text/html,*/*' });
    expect(overview.status).toBe(200);
    expect(overview.headers['content-type']).toMatch(/^application\/json/);
    const unknown = await get('/api/v1/nothing-here', { accept: 'text/html' });
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/json/);
    expect((await get('/healthz', { accept: 'text/html' })).body.toString()).toBe('{"status":"ok"}');
  });

  it("tells the page Grafana's address and whether the live feed runs", async () => {
    const answer = await get('/app-config.json');
    expect(JSON.parse(answer.body.toString())).toEqual({ grafana_url: 'https://grafana.example.com', is_live_enabled: true });
  });
});

describe('CONVOTEL_GRAFANA_URL', () => {
  it('is read without its trailing slash, and refused when it is not an http(s) URL', () => {
    expect(parseApiConfig({ CONVOTEL_GRAFANA_URL: 'http://grafana:3000/' }).grafanaUrl).toBe('http://grafana:3000');
    expect(parseApiConfig({}).grafanaUrl).toBeUndefined();
    expect(() => parseApiConfig({ CONVOTEL_GRAFANA_URL: 'grafana:3000' })).toThrow(/CONVOTEL_GRAFANA_URL/);
  });
});
