// `convotel serve` as a user runs it: one process, ingest and API on one embedded store. A
// conversation sent by the real SDK to the printed ingest URL is read back from the printed API URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { init, startConversation, step } from '@convotel/instrumentation';
import { afterEach, describe, expect, it, vi } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/convotel.js', import.meta.url));

interface Started {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly dataDir: string;
  readonly stderr: () => string;
}

const started: Started[] = [];

/** Starts `convotel serve …` and resolves once it printed `wanted` lines. */
async function serve(args: readonly string[], wanted: number, env: Record<string, string> = {}): Promise<Started> {
  const dataDir = await mkdtemp(join(tmpdir(), 'convotel-serve-'));
  const child = spawn(process.execPath, [BIN, 'serve', ...args], {
    env: { PATH: process.env['PATH'] ?? '', CONVOTEL_DATA_DIR: dataDir, CONVOTEL_LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const entry: Started = { child, lines: [], dataDir, stderr: () => stderr };
  started.push(entry);
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      entry.lines.push(...lines);
      if (entry.lines.length >= wanted) resolve();
    });
    child.once('exit', (code) => reject(new Error(`convotel serve exited with ${code}: ${stderr}`)));
  });
  return entry;
}

async function stop(entry: Started): Promise<number | null> {
  if (entry.child.exitCode !== null) return entry.child.exitCode;
  const exited = new Promise<number | null>((resolve) => entry.child.once('exit', (code) => resolve(code)));
  entry.child.kill('SIGTERM');
  return exited;
}

afterEach(async () => {
  for (const entry of started.splice(0)) {
    await stop(entry);
    await rm(entry.dataDir, { recursive: true, force: true });
  }
});

function urlIn(line: string | undefined): URL {
  const match = /http:\/\/\S+?(?=[\s,)]|$)/.exec(line ?? '');
  if (match === null) throw new Error(`no URL in ${line}`);
  return new URL(match[0]);
}

describe('convotel serve', () => {
  it('runs ingest and API on one store and prints both URLs', async () => {
    const entry = await serve(['--otlp-port', '0', '--port', '0'], 2);
    const [ingestLine, apiLine] = entry.lines;
    expect(ingestLine).toMatch(/^convotel ingest: http:\/\/localhost:\d+ .*store: pglite$/);
    expect(apiLine).toMatch(/^convotel api: http:\/\/127\.0\.0\.1:\d+\/api\/v1 .*local clients only$/);
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
    expect(await stop(entry)).toBe(0);
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
});
