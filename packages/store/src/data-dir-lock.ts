// One process per PGlite data folder. PGlite takes no lock of its own: two servers on one
// folder both start, both acknowledge, and leave it corrupt (rows invisible through the index,
// duplicate keys). A lock file created atomically (`open … 'wx'`) names its holder; a holder
// that is gone (dead pid on this host, or an earlier boot) leaves a stale file that the next
// start takes over. Not mtime-based (proper-lockfile): a long-running server would have to
// refresh it on a timer, and a busy event loop would let a second server steal it.
import { readFileSync, unlinkSync } from 'node:fs';
import { mkdir, open, readFile, realpath, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Name of the lock file inside the data folder. */
export const LOCK_FILE_NAME = 'convotel.lock';

/** Who holds a data folder, as written in its lock file. */
export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  /** ISO time the lock was taken. */
  readonly startedAt: string;
  /** Linux boot id: a lock from an earlier boot is stale whatever process now has its pid. */
  readonly bootId?: string | undefined;
}

/** The data folder is held by another live process (or its lock file cannot be read). */
export class DataDirInUseError extends Error {
  readonly code = 'CONVOTEL_DATA_DIR_IN_USE';
  readonly dataDir: string;
  /** Undefined when the lock file is unreadable. */
  readonly holder: LockHolder | undefined;
  constructor(message: string, options: { dataDir: string; holder: LockHolder | undefined }) {
    super(message);
    this.name = 'DataDirInUseError';
    this.dataDir = options.dataDir;
    this.holder = options.holder;
  }
}

/** A held data-folder lock. */
export interface DataDirLock {
  /** Path of the lock file. */
  readonly path: string;
  /** Removes the lock file (once; later calls do nothing). */
  release(): Promise<void>;
}

/** Lock files this process holds, path → content: removed at exit, and told apart from a stale file naming our pid. */
const heldLocks = new Map<string, string>();
let isExitHookInstalled = false;

/**
 * Takes the data folder's lock, creating the folder if needed, or throws
 * {@link DataDirInUseError} naming the holder. A stale lock is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  // One key per folder however it is spelled (relative, through a symlink).
  const path = join(await realpath(dataDir), LOCK_FILE_NAME);
  const holder: LockHolder = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), bootId: readBootId() };
  const content = `${JSON.stringify(holder)}\n`;
  // Each pass either creates the file, finds a live holder, or removes a stale file and retries.
  for (let attempt = 1; attempt <= 20; attempt += 1) {
    if (await createExclusive(path, content)) return hold(path, content);
    const found = await readHolder(path);
    if (found === 'absent') continue;
    if (found === 'unreadable') {
      // The holder may be between creating the file and writing it: look again shortly.
      if (attempt < 3) {
        await sleep(50);
        continue;
      }
      throw new DataDirInUseError(
        `the data folder ${dataDir} is locked by ${path}, which cannot be read (a process may have died while creating it); ` +
          'if no convotel process uses the folder, delete that file',
        { dataDir, holder: undefined },
      );
    }
    if (!isStale(found.holder, path)) {
      throw new DataDirInUseError(
        `the data folder ${dataDir} is in use by process ${found.holder.pid} on host ${found.holder.hostname} (started ${found.holder.startedAt}); ` +
          `stop it or set CONVOTEL_DATA_DIR to another folder (lock file ${path})`,
        { dataDir, holder: found.holder },
      );
    }
    await removeStaleLock(path, found.raw);
  }
  throw new DataDirInUseError(`the data folder ${dataDir}: could not take its lock ${path} (other processes keep taking it)`, { dataDir, holder: undefined });
}

/** `open(path, 'wx')`: true when this call created the file. */
async function createExclusive(path: string, content: string): Promise<boolean> {
  let file;
  try {
    file = await open(path, 'wx');
  } catch (error) {
    if (isErrorCode(error, 'EEXIST')) return false;
    throw error;
  }
  // Ours from the moment the file exists: another taker in this process that reads it before
  // it is written and synced must see a held lock naming our pid, not a stale one.
  heldLocks.set(path, content);
  try {
    await file.writeFile(content);
    // On disk before anyone relies on it: a lock left empty by a power cut would need deleting by hand.
    await file.sync();
  } catch (error) {
    heldLocks.delete(path);
    await file.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw error;
  }
  await file.close();
  return true;
}

function hold(path: string, content: string): DataDirLock {
  heldLocks.set(path, content);
  if (!isExitHookInstalled) {
    isExitHookInstalled = true;
    // Runs on process.exit() and a natural end; a process killed by a signal leaves a stale lock.
    process.on('exit', releaseHeldLocksSync);
  }
  return {
    path,
    release: async () => {
      if (heldLocks.get(path) !== content) return;
      heldLocks.delete(path);
      // Only our own file: never one another process took over meanwhile.
      const found = await readHolder(path);
      if (found !== 'absent' && found !== 'unreadable' && found.raw === content) await unlink(path).catch(() => undefined);
    },
  };
}

function releaseHeldLocksSync(): void {
  for (const [path, content] of heldLocks) {
    try {
      if (readFileSync(path, 'utf8') === content) unlinkSync(path);
    } catch {
      // Gone already, or unreadable: nothing of ours to remove.
    }
  }
  heldLocks.clear();
}

type FoundHolder = { holder: LockHolder; raw: string } | 'absent' | 'unreadable';

async function readHolder(path: string): Promise<FoundHolder> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return 'absent';
    throw error;
  }
  const holder = parseHolder(raw);
  return holder === undefined ? 'unreadable' : { holder, raw };
}

function parseHolder(raw: string): LockHolder | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return undefined;
    const { pid, hostname: host, startedAt, bootId } = value as Record<string, unknown>;
    if (!Number.isInteger(pid) || typeof host !== 'string' || typeof startedAt !== 'string') return undefined;
    return { pid: pid as number, hostname: host, startedAt, bootId: typeof bootId === 'string' ? bootId : undefined };
  } catch {
    return undefined;
  }
}

/**
 * A holder on another host cannot be checked (a shared network folder): it is never stale.
 * On this host it is stale when it ran before the last boot, when no process has its pid, or
 * when the pid is ours and this process does not hold the file (a restarted container's pid 1).
 */
function isStale(holder: LockHolder, path: string): boolean {
  if (holder.hostname !== hostname()) return false;
  const bootId = readBootId();
  if (holder.bootId !== undefined && bootId !== undefined && holder.bootId !== bootId) return true;
  if (holder.pid === process.pid) return !heldLocks.has(path);
  return !isProcessAlive(holder.pid);
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return !isErrorCode(error, 'ESRCH');
  }
}

/**
 * Removes a stale lock file, but only while it still has the content judged stale. The check and
 * the unlink run under a guard file, so two processes taking over at once cannot remove the lock
 * the first of them has just created. The guard lives for milliseconds: one older than 10 s was
 * left by a process that died in between, and is removed.
 */
async function removeStaleLock(path: string, staleRaw: string): Promise<void> {
  const guard = `${path}.takeover`;
  if (!(await createExclusive(guard, `${process.pid}\n`))) {
    const guardStat = await stat(guard).catch(() => undefined);
    if (guardStat !== undefined && Date.now() - guardStat.mtimeMs > 10_000) await unlink(guard).catch(() => undefined);
    else await sleep(20);
    return;
  }
  try {
    const found = await readHolder(path);
    if (found !== 'absent' && found !== 'unreadable' && found.raw === staleRaw) await unlink(path).catch(() => undefined);
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

function readBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function isErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
