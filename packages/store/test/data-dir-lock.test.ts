// One process per PGlite data folder: a second store is refused while the first is open, the
// lock goes with close(), and a lock whose holder is gone is taken over.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '../src/create-store.js';
import { DataDirInUseError, LOCK_FILE_NAME, lockDataDir, type LockHolder } from '../src/data-dir-lock.js';
import { queryRows } from './helpers/db.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function newDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'convotel-lock-'));
  dirs.push(dir);
  return dir;
}

/** The pid of a process that has exited (and so names no live process, barring reuse). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

async function writeLock(dir: string, holder: Partial<LockHolder>): Promise<void> {
  const full = { pid: 1, hostname: hostname(), startedAt: '2025-01-01T00:00:00.000Z', ...holder };
  await writeFile(join(dir, LOCK_FILE_NAME), `${JSON.stringify(full)}\n`);
}

async function readLock(dir: string): Promise<LockHolder> {
  return JSON.parse(await readFile(join(dir, LOCK_FILE_NAME), 'utf8')) as LockHolder;
}

describe('the PGlite data folder lock', () => {
  it("refuses a second store on the folder while the first is open, naming the holder, and leaves the first's data intact", async () => {
    const dir = await newDataDir();
    const first = await createStore({ dataDir: dir });
    try {
      await first.withClient((client) => client.query("INSERT INTO conversations (conversation_id) VALUES ('first')"));
      const refused = createStore({ dataDir: dir });
      await expect(refused).rejects.toBeInstanceOf(DataDirInUseError);
      await expect(refused).rejects.toThrow(
        new RegExp(`the data folder ${dir} is in use by process ${process.pid} on host ${hostname()} \\(started .+\\); stop it or set CONVOTEL_DATA_DIR`),
      );
      expect(await queryRows(first, 'SELECT conversation_id FROM conversations')).toEqual([{ conversation_id: 'first' }]);
      await first.withClient((client) => client.query("INSERT INTO conversations (conversation_id) VALUES ('after')"));
    } finally {
      await first.close();
    }
    const reopened = await createStore({ dataDir: dir });
    try {
      expect(await queryRows(reopened, 'SELECT conversation_id FROM conversations ORDER BY 1')).toEqual([
        { conversation_id: 'after' },
        { conversation_id: 'first' },
      ]);
    } finally {
      await reopened.close();
    }
  });

  it('removes its lock file on close(), so a new store opens the folder', async () => {
    const dir = await newDataDir();
    const first = await createStore({ dataDir: dir });
    expect((await readLock(dir)).pid).toBe(process.pid);
    await first.close();
    await expect(readFile(join(dir, LOCK_FILE_NAME))).rejects.toMatchObject({ code: 'ENOENT' });
    const second = await createStore({ dataDir: dir });
    await second.close();
  });

  it('removes its lock file when the process exits without closing the store', async () => {
    const dir = await newDataDir();
    // The built module in a real process (`npm run build` first): process.exit() skips close().
    const lockModule = fileURLToPath(new URL('../dist/data-dir-lock.js', import.meta.url));
    const script = `const { lockDataDir } = await import(${JSON.stringify(lockModule)}); await lockDataDir(${JSON.stringify(dir)}); console.log('held'); process.exit(0);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
    const [code] = await once(child, 'close');
    expect({ code, output }).toEqual({ code: 0, output: 'held\n' });
    await expect(readFile(join(dir, LOCK_FILE_NAME))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('takes over a lock whose process is no longer alive', async () => {
    const dir = await newDataDir();
    await writeLock(dir, { pid: await deadPid() });
    const store = await createStore({ dataDir: dir });
    try {
      expect(await readLock(dir)).toMatchObject({ pid: process.pid, hostname: hostname() });
    } finally {
      await store.close();
    }
  });

  it('takes over a lock from an earlier boot even though a live process now has its pid', async () => {
    const dir = await newDataDir();
    await writeLock(dir, { pid: process.ppid, bootId: 'an-earlier-boot' });
    const lock = await lockDataDir(dir);
    expect((await readLock(dir)).pid).toBe(process.pid);
    await lock.release();
  });

  it('refuses a lock held by a live process of this host', async () => {
    const dir = await newDataDir();
    await writeLock(dir, { pid: process.ppid });
    await expect(lockDataDir(dir)).rejects.toThrow(`in use by process ${process.ppid} on host ${hostname()}`);
    expect((await readLock(dir)).pid).toBe(process.ppid);
  });

  it('refuses a lock held on another host, whose process it cannot check', async () => {
    const dir = await newDataDir();
    await writeLock(dir, { pid: await deadPid(), hostname: 'another-host' });
    await expect(lockDataDir(dir)).rejects.toThrow('on host another-host');
  });

  it('refuses an unreadable lock file and says to delete it', async () => {
    const dir = await newDataDir();
    await writeFile(join(dir, LOCK_FILE_NAME), '');
    await expect(lockDataDir(dir)).rejects.toThrow(/cannot be read .*delete that file/);
  });

  it('lets exactly one of several concurrent takers have a stale lock', async () => {
    const dir = await newDataDir();
    await writeLock(dir, { pid: await deadPid() });
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => lockDataDir(dir)));
    const held = results.filter((result) => result.status === 'fulfilled');
    expect(held).toHaveLength(1);
    for (const result of results) if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(DataDirInUseError);
    await held[0]!.value.release();
  });
});
