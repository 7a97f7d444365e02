// `convotel serve` as a user runs it: one process, ingest and API on one embedded store. A
// conversation sent by the real SDK to the printed ingest URL is read back from the printed API URL.
import { init, startConversation, step } from '@convotel/instrumentation';
import { LIVE_CHANNEL, TRACES } from '@convotel/store';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { postTurn } from '../../api/test/helpers/otlp-turn.js';
import { createTestDatabase } from '../../store/test/helpers/db.js';
import { startServe, stopServe, urlIn, type ServeProcess } from './helpers/serve-process.js';

const started: ServeProcess[] = [];

/** Starts `convotel serve …` (stopped after each test) and resolves once it printed `wanted` lines. */
async function serve(args: readonly string[], wanted: number, env: Record<string, string> = {}): Promise<ServeProcess> {
  const entry = await startServe(args, wanted, env);
  started.push(entry);
  return entry;
}

afterEach(async () => {
  for (const entry of started.splice(0)) await stopServe(entry);
});

describe('convotel serve', () => {
  it('runs ingest, API and web app on one store and prints the three URLs', async () => {
    const entry = await serve(['--otlp-port', '0', '--port', '0'], 3);
    const [ingestLine, apiLine, webLine] = entry.lines;
    expect(ingestLine).toMatch(/^convotel ingest: http:\/\/localhost:\d+ .*store: pglite$/);
    expect(apiLine).toMatch(/^convotel api: http:\/\/127\.0\.0\.1:\d+\/api\/v1 .*local clients only$/);
    expect(webLine).toMatch(/^convotel web: http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(urlIn(webLine!), { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain('<div id="app"></div>');
    const ingestUrl = urlIn(ingestLine);
    const apiUrl = urlIn(apiLine);

    const sdk = init({ serviceName: 'serve-test', endpoint: ingestUrl.origin, http: false, pg: false, openai: false, anthropic: false });
    const call = startConversation({ conversationId: 'served-1', userId: 'u-1', agentName: 'support', channel: 'chat' });
    await call.turn({}, () => step('tool', {}, () => undefined));
    call.end('hangup');
    await sdk.shutdown();

    const response = await fetch(new URL('/api/v1/conversations', apiUrl.origin));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: Array<{ conversation_id: string; turns: number; agent_name: string }> };
    expect(body.items).toEqual([expect.objectContaining({ conversation_id: 'served-1', turns: 1, agent_name: 'support' })]);
    expect((await fetch(new URL('/readyz', apiUrl.origin))).status).toBe(200);
    expect(await stopServe(entry)).toBe(0);
  });

  it('runs only the API with --only api, and requires a key once keys are configured', async () => {
    const entry = await serve(['--only', 'api', '--port', '0'], 1, { CONVOTEL_API_KEYS: 'k-1,k-2' });
    expect(entry.lines[0]).toMatch(/^convotel api: http:\/\/localhost:\d+\/api\/v1 .*Bearer key required$/);
    const apiUrl = urlIn(entry.lines[0]);
    const overview = new URL('/api/v1/overview', apiUrl.origin);
    expect((await fetch(overview)).status).toBe(401);
    expect((await fetch(overview, { headers: { authorization: 'Bearer k-2' } })).status).toBe(200);
  });

  it('logs at CONVOTEL_LOG_LEVEL, and warns of 127.0.0.1 only when another interface was asked for', async () => {
    const quiet = await serve(['--only', 'api', '--port', '0'], 1, { CONVOTEL_LOG_LEVEL: 'warn' });
    expect(quiet.stderr()).toBe('');
    const asked = await serve(['--only', 'api', '--port', '0'], 1, { CONVOTEL_LOG_LEVEL: 'info', CONVOTEL_API_HOST: '0.0.0.0' });
    // Standard error is its own pipe: its lines may arrive after the printed URL.
    await vi.waitFor(() => expect(asked.stderr()).toContain('without authentication'));
    expect(asked.stderr()).toContain('listening on 127.0.0.1 instead of 0.0.0.0');
  });

  it('runs only the ingest with --only ingest', async () => {
    const entry = await serve(['--only', 'ingest', '--otlp-port', '0'], 1);
    expect(entry.lines[0]).toMatch(/^convotel ingest: /);
    expect((await fetch(new URL('/healthz', urlIn(entry.lines[0]).origin))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(entry.lines.filter((line) => line.startsWith('convotel api'))).toEqual([]);
  });

  it('refuses an unknown --only', async () => {
    await expect(serve(['--only', 'web'], 1)).rejects.toThrow(/--only.*web|Allowed choices/);
  });

  it('turns the live feed off with --no-live: a posted turn is not announced on PostgreSQL, and GET /live answers 404 live_disabled', async () => {
    const database = await createTestDatabase();
    const listener = new pg.Client({ connectionString: database.url });
    try {
      await listener.connect();
      const heard: string[] = [];
      listener.on('notification', (message) => heard.push(message.payload ?? ''));
      await listener.query(`LISTEN "${LIVE_CHANNEL}"`);
      const entry = await serve(['--no-live', '--otlp-port', '0', '--port', '0'], 2, { DATABASE_URL: database.url });
      const [ingestLine, apiLine] = entry.lines;

      const live = await fetch(new URL('/api/v1/live', urlIn(apiLine).origin), { headers: { accept: 'text/event-stream' } });
      expect(live.status).toBe(404);
      expect(((await live.json()) as { error: { code: string } }).error.code).toBe('live_disabled');

      // Resolves once committed; notifications come in commit order, so the marker sent after it is heard after any notice of the turn.
      await postTurn(Number(urlIn(ingestLine).port), { conversationId: 'not-announced', startMs: Date.now() - 2000 });
      await listener.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, 'marker']);
      await vi.waitFor(() => expect(heard).toContain('marker'));
      expect(heard).toEqual(['marker']);
      const counted = await listener.query<{ turns: number }>(`SELECT count(*)::int AS turns FROM ${TRACES.name}`);
      expect(counted.rows[0]?.turns).toBe(1);
      expect(await stopServe(entry)).toBe(0);
    } finally {
      await listener.end();
      await database.drop();
    }
  });
});
