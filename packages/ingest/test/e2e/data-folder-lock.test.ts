// Two `convotel` processes on one PGlite data folder, as users start them (the built CLI,
// `npm run build` first): the second refuses to start and the first keeps serving; a server
// killed with SIGKILL leaves a stale lock that the next start takes over.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/create-store.js';
import { LOCK_FILE_NAME, type LockHolder } from '../../src/store/data-dir-lock.js';
import { queryRows } from '../helpers/db.js';
import { recordTurnSpans, serializeTracesProtobuf } from '../helpers/otlp-fixtures.js';

const CLI = fileURLToPath(new URL('../../../cli/bin/convotel.js', import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Only what the CLI needs: no DATABASE_URL from the caller's environment. */
function cliEnv(dataDir: string): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'], CONVOTEL_DATA_DIR: dataDir, CONVOTEL_OTLP_HOST: '127.0.0.1' };
}

interface Started {
  readonly child: ChildProcess;
  /** Port when it listens; undefined when it exited first. */
  readonly port: number | undefined;
  readonly stderr: () => string;
}

/** `convotel serve --otlp-port 0 --port 0`, resolved once its ingest listens or it exits. */
async function startServe(dataDir: string): Promise<Started> {
  // The API on a free port too: two servers, or another test's, must not meet on 8080.
  const child = spawn(process.execPath, [CLI, 'serve', '--otlp-port', '0', '--port', '0'], { env: cliEnv(dataDir), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const port = await new Promise<number | undefined>((resolve) => {
    child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      const match = /convotel ingest: http:\/\/[^\s:]+:(\d+)/.exec(stdout);
      if (match) resolve(Number(match[1]));
    });
    // 'close', not 'exit': its standard error is read to the end by then.
    child.once('close', () => resolve(undefined));
  });
  return { child, port, stderr: () => stderr };
}

/** Runs a CLI command to its end: exit code and standard error. */
function runCli(dataDir: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: cliEnv(dataDir) }, (error, _stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stderr }),
    );
  });
}

async function postTurn(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body: serializeTracesProtobuf(recordTurnSpans()),
  });
  return response.status;
}

async function countLlmCalls(dataDir: string): Promise<number> {
  const store = await createStore({ dataDir });
  try {
    return Number((await queryRows<{ n: number }>(store, 'SELECT count(*)::int AS n FROM llm_calls'))[0]!.n);
  } finally {
    await store.close();
  }
}

async function newDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'convotel-e2e-lock-'));
  dirs.push(dir);
  return dir;
}

describe('convotel processes on one PGlite data folder', () => {
  it('refuses a second serve, migrate and cleanup with a message naming the first server, which keeps serving', async () => {
    const dataDir = await newDataDir();
    const first = await startServe(dataDir);
    expect(first.port).toBeDefined();
    expect(await postTurn(first.port!)).toBe(200);

    const second = await startServe(dataDir);
    expect(second.port).toBeUndefined();
    expect(second.child.exitCode).toBe(1);
    const inUse = `the data folder ${dataDir} is in use by process ${first.child.pid}`;
    expect(second.stderr()).toContain(inUse);
    for (const command of [['migrate'], ['cleanup', '--older-than', '1d']]) {
      const result = await runCli(dataDir, command);
      expect({ command, code: result.code }).toEqual({ command, code: 1 });
      expect(result.stderr).toContain(inUse);
    }

    expect((await fetch(`http://127.0.0.1:${first.port}/healthz`)).status).toBe(200);
    expect(await postTurn(first.port!)).toBe(200);
    first.child.kill('SIGTERM');
    const [code] = await once(first.child, 'exit');
    expect(code).toBe(0);
    await expect(readFile(join(dataDir, LOCK_FILE_NAME))).rejects.toMatchObject({ code: 'ENOENT' });
    // Each post is a new turn (fresh trace ids): both kept, nothing from the refused processes.
    expect(await countLlmCalls(dataDir)).toBe(2);
  }, 90_000);

  it('takes over the lock a server killed with SIGKILL left, keeping what it acknowledged', async () => {
    const dataDir = await newDataDir();
    const killed = await startServe(dataDir);
    expect(await postTurn(killed.port!)).toBe(200);
    killed.child.kill('SIGKILL');
    await once(killed.child, 'exit');
    const left = JSON.parse(await readFile(join(dataDir, LOCK_FILE_NAME), 'utf8')) as LockHolder;
    expect(left.pid).toBe(killed.child.pid);

    const next = await startServe(dataDir);
    expect(next.port).toBeDefined();
    expect((await fetch(`http://127.0.0.1:${next.port}/healthz`)).status).toBe(200);
    next.child.kill('SIGTERM');
    await once(next.child, 'exit');
    expect(await countLlmCalls(dataDir)).toBe(1);
  }, 90_000);
});
