// A throwaway PostgreSQL cluster of our own (initdb on a free port, in a temporary folder), for
// the cases that must not touch the shared server: a standby after failover, a frozen
// postmaster. Run as the `postgres` user when the tests run as root (initdb refuses root).
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
// The server's tools (initdb, pg_ctl, pg_basebackup) are not on PATH in Debian's packages.
const PG_BIN = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();

/** Runs a PostgreSQL tool, as `postgres` when we are root. */
async function pgTool(tool: string, args: readonly string[]): Promise<string> {
  const binary = `${PG_BIN}/${tool}`;
  const asRoot = process.getuid?.() === 0;
  const { stdout } = asRoot ? await run('runuser', ['-u', 'postgres', '--', binary, ...args]) : await run(binary, [...args]);
  return stdout;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function ownedTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (process.getuid?.() === 0) {
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
  }
  return dir;
}

function postgresIds(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  if (line === undefined) throw new Error('no postgres user to run a throwaway cluster as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** One running cluster: trust auth on 127.0.0.1, replication allowed. */
export class ThrowawayCluster {
  private constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {}

  /** initdb + start. */
  static async create(): Promise<ThrowawayCluster> {
    const dataDir = ownedTempDir('convotel-pg-');
    await pgTool('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    const cluster = new ThrowawayCluster(dataDir, await freePort());
    appendFileSync(join(dataDir, 'pg_hba.conf'), 'host replication all 127.0.0.1/32 trust\n');
    cluster.#configure();
    await cluster.start();
    return cluster;
  }

  /** A hot standby of this cluster (pg_basebackup -R), started: it answers and refuses writes. */
  async createStandby(): Promise<ThrowawayCluster> {
    const dataDir = ownedTempDir('convotel-pg-standby-');
    await pgTool('pg_basebackup', ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-D', dataDir, '-R', '-X', 'stream']);
    const standby = new ThrowawayCluster(dataDir, await freePort());
    standby.#configure();
    await standby.start();
    return standby;
  }

  #configure(): void {
    // Own port and socket folder; small, fast, no fsync: it is thrown away.
    const settings = [
      `port = ${this.port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${this.dataDir}'`,
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      'shared_buffers = 16MB',
      'max_connections = 30',
      'wal_level = replica',
      'max_wal_senders = 4',
      'hot_standby = on',
    ];
    writeFileSync(join(this.dataDir, 'postgresql.auto.conf'), `${readAutoConf(this.dataDir)}${settings.join('\n')}\n`);
  }

  /** `postgres://postgres@127.0.0.1:<port>/<database>`. */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    await pgTool('pg_ctl', ['-D', this.dataDir, '-l', join(this.dataDir, 'server.log'), '-w', 'start']);
  }

  /** The standby becomes a primary (what a failover does). */
  async promote(): Promise<void> {
    await pgTool('pg_ctl', ['-D', this.dataDir, '-w', 'promote']);
  }

  /** SIGSTOP to the postmaster and every backend: connections open, nothing answers. */
  async freeze(): Promise<void> {
    await this.#signalAll('-STOP');
  }

  async thaw(): Promise<void> {
    await this.#signalAll('-CONT');
  }

  async #signalAll(signal: string): Promise<void> {
    const postmaster = Number(readFileSync(join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = await run('pgrep', ['-P', String(postmaster)]).then(
      ({ stdout }) => stdout.split('\n').filter((pid) => pid !== ''),
      () => [] as string[],
    );
    // Children first when stopping, so none is left running to notice its parent stopped.
    const pids = signal === '-STOP' ? [...children, String(postmaster)] : [String(postmaster), ...children];
    await run('kill', [signal, ...pids]);
  }

  /** Stops it at once and deletes its files. */
  async destroy(): Promise<void> {
    await this.thaw().catch(() => undefined);
    await pgTool('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

function readAutoConf(dataDir: string): string {
  try {
    return readFileSync(join(dataDir, 'postgresql.auto.conf'), 'utf8');
  } catch {
    return '';
  }
}
