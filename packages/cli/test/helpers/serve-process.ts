// `convotel serve` as a child process on its own embedded store (a temporary data folder),
// resolved once it printed the lines wanted (its URLs).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './run-cli.js';

export interface ServeProcess {
  readonly child: ChildProcess;
  /** What it printed on stdout, a line each. */
  readonly lines: string[];
  readonly dataDir: string;
  /** What it wrote on stderr so far. */
  readonly stderr: () => string;
}

/** Starts `convotel serve …args` and resolves once it printed `wanted` lines. */
export async function startServe(args: readonly string[], wanted: number, env: Record<string, string> = {}): Promise<ServeProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'convotel-serve-'));
  const child = spawn(process.execPath, [BIN, 'serve', ...args], {
    env: { PATH: process.env['PATH'] ?? '', CONVOTEL_DATA_DIR: dataDir, CONVOTEL_LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const entry: ServeProcess = { child, lines: [], dataDir, stderr: () => stderr };
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
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
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return entry;
}

/** SIGTERM, then its exit code; the data folder is removed. */
export async function stopServe(entry: ServeProcess): Promise<number | null> {
  const code =
    entry.child.exitCode ??
    (await new Promise<number | null>((resolve) => {
      entry.child.once('exit', (exitCode) => resolve(exitCode));
      entry.child.kill('SIGTERM');
    }));
  await rm(entry.dataDir, { recursive: true, force: true });
  return code;
}

/** The first http:// URL in a line `convotel serve` printed. */
export function urlIn(line: string | undefined): URL {
  const match = /http:\/\/\S+?(?=[\s,)]|$)/.exec(line ?? '');
  if (match === null) throw new Error(`no URL in ${line}`);
  return new URL(match[0]);
}
