// Runs the built `convotel` as a user does: a child process, its stdout, stderr and exit code.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/convotel.js', import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `convotel …args` with a clean environment (times in UTC) plus `env`; killed after `timeoutMs`. */
export function runCli(args: readonly string[], env: Record<string, string> = {}, timeoutMs = 20_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env['PATH'] ?? '', TZ: 'UTC', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`convotel ${args.join(' ')} ran over ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The cells of a table line printed by the CLI (columns are two or more spaces apart). */
export function cellsOf(line: string): string[] {
  return line.trim().split(/\s{2,}/);
}

/** The table lines of `stdout` whose first cell is `key`. */
export function rowOf(stdout: string, key: string): string[] | undefined {
  const line = stdout.split('\n').find((l) => cellsOf(l)[0] === key);
  return line === undefined ? undefined : cellsOf(line);
}
