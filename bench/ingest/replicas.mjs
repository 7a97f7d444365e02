// Ingest replicas benchmark: the bench traffic (generate.mjs: realistic voice-agent traces, gzip
// protobuf, in two halves of distinct conversations) sent to one `convotel serve --only ingest`
// on a fresh database, and to two of them on each of two other databases, in rotating runs on
// emptied tables so every setup sees the same machine. "2, mixed": the requests alternate
// between the replicas in pairs; every request holds turns of many conversations, so one
// conversation's turns, and some traces' spans, reach both replicas at once (harder than the
// Collector's load_balancing by trace id). "2, by conv": each half to its own replica, so no
// conversation reaches both (what routing by conversation would give); only rollup rows are
// shared. Prints spans/s of each run, where the CPU went, transactions the replicas ran again,
// the median and range of each two-replica setup over one, and at the end compares every table
// of the databases row by row (the same rows, or the differences).
//
// Usage: node bench/ingest/replicas.mjs [--spans 60000 --rounds 3 --clients 8 --request-spans 1024]
// --clients: concurrent senders in all (two replicas: half each).
// --standby: afterwards, one replica writing to a throwaway cluster of its own (initdb on a free
// port, fsync off) with a streaming hot standby: how far the standby's replay trails the
// primary's WAL under this load (what a read replica's lag would be), and whether LISTEN works
// there. Needs the server's tools (pg_config --bindir); run as root, they run as `postgres`.
// Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth) or CONVOTEL_BENCH_ADMIN_URL,
// and a built workspace (`npm run build`). Creates and drops its own databases.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import os, { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port.mjs';
import { generateBodies } from './generate.mjs';
import { readCpuSeconds, readMachineCpu } from './proc.mjs';
import { percentile, sendAll } from './send.mjs';
import { stopIngestProcess, untilIngestListens } from './ingest-process.mjs';

const { values: args } = parseArgs({
  options: {
    spans: { type: 'string', default: '60000' },
    rounds: { type: 'string', default: '3' },
    clients: { type: 'string', default: '8' },
    'request-spans': { type: 'string', default: '1024' },
    standby: { type: 'boolean', default: false },
  },
});
const SPANS = Number(args.spans);
const ROUNDS = Number(args.rounds);
const CLIENTS = Number(args.clients);
const REQUEST_SPANS = Number(args['request-spans']);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error(`--rounds must be a whole number ≥ 1, got ${args.rounds}`);
if (!Number.isInteger(CLIENTS) || CLIENTS < 2) throw new Error(`--clients must be a whole number ≥ 2, got ${args.clients}`);
const ADMIN_URL = process.env.CONVOTEL_BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CLI = fileURLToPath(new URL('../../packages/cli/bin/convotel.js', import.meta.url));

const log = (...parts) => console.log(...parts);
const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** `convotel serve --only ingest` on `databaseUrl`; resolves once it listens. */
async function startIngest(databaseUrl) {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'serve', '--only', 'ingest'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, CONVOTEL_OTLP_PORT: String(port), CONVOTEL_OTLP_HOST: '127.0.0.1', CONVOTEL_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await untilIngestListens(child);
  child.stdout.resume();
  return { child, port };
}

async function stopIngest({ child }) {
  await stopIngestProcess(child);
}

/** Every ordinary or partitioned table of `public` (partitions through their parent), from the catalog. */
async function listTables(client) {
  const { rows } = await client.query(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname`,
  );
  return rows.map((row) => row.name);
}

/** Tables the ingest writes: all but the migrations' bookkeeping and reference data. */
const REFERENCE_TABLES = new Set(['schema_migrations', 'histogram_bounds']);
/** Columns set to the time of the write, left out of the comparison. */
const WRITE_TIME_COLUMNS = { schema_migrations: ['applied_at'] };

/** Table → its rows as sorted JSON text. */
async function readAllRows(url) {
  return withClient(url, async (client) => {
    const result = {};
    for (const name of await listTables(client)) {
      const { rows } = await client.query(`SELECT (to_jsonb(t) - $1::text[])::text AS row FROM ${pg.escapeIdentifier(name)} t`, [WRITE_TIME_COLUMNS[name] ?? []]);
      result[name] = rows.map((row) => row.row).sort();
    }
    return result;
  });
}

/** Tables whose rows differ as multisets: { table: { left, right, onlyLeft, onlyRight } }. */
function diffRows(left, right) {
  const differences = {};
  for (const name of [...new Set([...Object.keys(left), ...Object.keys(right)])].sort()) {
    const counts = new Map();
    for (const row of left[name] ?? []) counts.set(row, (counts.get(row) ?? 0) + 1);
    for (const row of right[name] ?? []) counts.set(row, (counts.get(row) ?? 0) - 1);
    const onlyLeft = [...counts].filter(([, n]) => n > 0).length;
    const onlyRight = [...counts].filter(([, n]) => n < 0).length;
    if (onlyLeft + onlyRight > 0) differences[name] = { left: left[name]?.length ?? 0, right: right[name]?.length ?? 0, onlyLeft, onlyRight };
  }
  return differences;
}

/** Transactions the replicas ran again (deadlock, serialization failure, a trace another replica created meanwhile), from their /metrics. */
async function retriedTransactions(ingests) {
  let sum = 0;
  for (const { port } of ingests) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    sum += Number(/^convotel_ingest_db_errors_total\{kind="retried"\} (\d+)/m.exec(text)?.[1] ?? 0);
  }
  return sum;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const range = (values, digits = 0) => `${fmt(median(values), digits)} (${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)})`;

/** CPU seconds of the PostgreSQL backends the ingests of one database hold open. */
async function backendCpu(admin, databaseName) {
  const { rows } = await admin.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'convotel-ingest'`, [databaseName]);
  return new Map(rows.map(({ pid }) => [pid, readCpuSeconds(pid)]));
}

function cpuDelta(before, after) {
  let sum = 0;
  for (const [pid, seconds] of after) sum += seconds - (before.get(pid) ?? 0);
  return sum;
}

/** A PostgreSQL tool (initdb, pg_ctl, pg_basebackup), as `postgres` when run as root (initdb refuses root). */
async function pgTool(tool, toolArgs) {
  const binary = `${execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim()}/${tool}`;
  const command = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', binary, ...toolArgs]] : [binary, toolArgs];
  return (await promisify(execFile)(...command)).stdout;
}

function ownedTempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (process.getuid?.() === 0) {
    const [, , uid, gid] = readFileSync('/etc/passwd', 'utf8').split('\n').find((line) => line.startsWith('postgres:')).split(':');
    chownSync(dir, Number(uid), Number(gid));
  }
  return dir;
}

/** Starts a cluster in `dataDir` on a free port: trust on 127.0.0.1, replication allowed, fsync off (it is thrown away). */
async function startCluster(dataDir) {
  const port = await freePort();
  const settings = [`port = ${port}`, `listen_addresses = '127.0.0.1'`, `unix_socket_directories = '${dataDir}'`, 'fsync = off', 'full_page_writes = off', 'wal_level = replica', 'max_wal_senders = 4', 'hot_standby = on'];
  appendFileSync(join(dataDir, 'postgresql.auto.conf'), `${settings.join('\n')}\n`);
  await pgTool('pg_ctl', ['-D', dataDir, '-l', join(dataDir, 'server.log'), '-w', 'start']);
  return { dataDir, port, url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}` };
}

async function createPrimary() {
  const dataDir = ownedTempDir('convotel-bench-primary-');
  await pgTool('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  appendFileSync(join(dataDir, 'pg_hba.conf'), 'host replication all 127.0.0.1/32 trust\n');
  writeFileSync(join(dataDir, 'postgresql.auto.conf'), '');
  return startCluster(dataDir);
}

async function createStandby(primary) {
  const dataDir = ownedTempDir('convotel-bench-standby-');
  await pgTool('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', dataDir, '-R', '-X', 'stream']);
  return startCluster(dataDir);
}

async function destroyCluster(cluster) {
  await pgTool('pg_ctl', ['-D', cluster.dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
  rmSync(cluster.dataDir, { recursive: true, force: true });
}

/** An LSN ('16/B374D848') as a byte position. */
const lsnBytes = (lsn) => {
  const [high, low] = lsn.split('/');
  return Number((BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`));
};

/**
 * One replica on a throwaway primary with a hot standby; while the bodies are sent, samples the
 * primary's WAL position and the standby's replay position every 20 ms. A sample's lag is how
 * long the standby took to replay past the position the primary had then: how long a read on the
 * standby would miss what a notice just announced.
 */
async function measureStandby(bodies, counts) {
  let ingest;
  try {
    const primary = await createPrimary();
    clusters.push(primary);
    const standby = await createStandby(primary);
    clusters.push(standby);
    await withClient(primary.url(), (client) => client.query('CREATE DATABASE convotel_bench_standby'));
    ingest = await startIngest(primary.url('convotel_bench_standby'));
    const listenError = await withClient(standby.url('convotel_bench_standby'), (client) =>
      client.query('LISTEN convotel_live').then(() => 'none: LISTEN worked', (error) => error.message),
    );
    await sendAll({ port: ingest.port, bodies: warmup.bodies, clients: CLIENTS });
    const onPrimary = new pg.Client({ connectionString: primary.url('convotel_bench_standby') });
    const onStandby = new pg.Client({ connectionString: standby.url('convotel_bench_standby') });
    await onPrimary.connect();
    await onStandby.connect();
    const written = [];
    const replayed = [];
    let isSending = true;
    const sample = async () => {
      while (isSending) {
        const at = performance.now();
        const [p, s] = await Promise.all([onPrimary.query('SELECT pg_current_wal_lsn()::text AS lsn'), onStandby.query('SELECT pg_last_wal_replay_lsn()::text AS lsn')]);
        written.push({ at, bytes: lsnBytes(p.rows[0].lsn) });
        replayed.push({ at: performance.now(), bytes: lsnBytes(s.rows[0].lsn) });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const sampling = sample();
    const startedAt = performance.now();
    await sendAll({ port: ingest.port, bodies: bodies.filter(Boolean), clients: CLIENTS });
    const seconds = (performance.now() - startedAt) / 1000;
    // Keep sampling until the standby has replayed everything written.
    const end = lsnBytes((await onPrimary.query('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn);
    const deadline = performance.now() + 60_000;
    while (replayed.at(-1).bytes < end && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    isSending = false;
    await sampling;
    const lags = written.map(({ at, bytes }) => {
      const caughtUp = replayed.find((r) => r.bytes >= bytes && r.at >= at);
      return caughtUp === undefined ? Infinity : caughtUp.at - at;
    });
    const behind = written.map(({ bytes }, i) => Math.max(0, bytes - replayed[i].bytes));
    const stored = await withClient(standby.url('convotel_bench_standby'), async (db) => (await db.query('SELECT count(*)::int AS n FROM llm_calls')).rows[0].n);
    await onPrimary.end();
    await onStandby.end();
    log('');
    log(`standby: one replica on a throwaway primary (fsync off) with a streaming hot standby, ${fmt(counts.spans)} spans at ${fmt(counts.spans / seconds)} spans/s`);
    log(
      `  replay lag (time until the standby replayed past the primary's WAL position of a sample; sampled every 20 ms), ${lags.length} samples: ` +
        `p50 ${fmt(percentile(lags, 50))} ms, p99 ${fmt(percentile(lags, 99))} ms, max ${fmt(Math.max(...lags))} ms; ` +
        `bytes behind: p50 ${fmt(percentile(behind, 50) / 1024)} KiB, max ${fmt(Math.max(...behind) / 1024)} KiB`,
    );
    log(`  WAL written: ${fmt((end - written[0].bytes) / 1024 / 1024, 1)} MiB (${fmt((end - written[0].bytes) / counts.spans)} B/span); LLM calls on the standby afterwards: ${fmt(stored)} of ${fmt(counts.llmCalls + warmup.counts.llmCalls)} sent (warm-up included)`);
    log(`  LISTEN on the standby: ${listenError}`);
  } finally {
    if (ingest !== undefined) await stopIngest(ingest);
    await destroyClusters();
  }
}

/** Throwaway clusters of the standby phase, newest last (destroyed standby first). */
const clusters = [];
async function destroyClusters() {
  while (clusters.length > 0) await destroyCluster(clusters.pop());
}

const suffix = `${process.pid}`;
const setups = [
  { label: '1 replica', name: 'one', replicas: 1, replicaOf: () => 0 },
  // Requests 0, 1 to replica 0, requests 2, 3 to replica 1, …: both halves' conversations reach both replicas.
  { label: '2, mixed', name: 'mixed', replicas: 2, replicaOf: (i) => Math.floor(i / 2) % 2 },
  // Even requests (half A) to replica 0, odd ones (half B) to replica 1: no conversation reaches both.
  { label: '2, by conv', name: 'byconv', replicas: 2, replicaOf: (i) => i % 2 },
].map((setup) => {
  const databaseName = `convotel_bench_${setup.name}_${suffix}`;
  return { ...setup, databaseName, url: Object.assign(new URL(ADMIN_URL), { pathname: `/${databaseName}` }).toString(), ingests: [], runs: [] };
});

log(
  `convotel ingest replicas benchmark — ${fmt(SPANS)} spans × ${ROUNDS} rounds of (${setups.map((setup) => setup.label).join(', ')}), ` +
    `${CLIENTS} clients in all, ~${REQUEST_SPANS} spans per request (gzip protobuf)`,
);
let t = performance.now();
const warmup = generateBodies({ totalSpans: Math.min(20_000, SPANS), spansPerRequest: REQUEST_SPANS, seed: 3 });
// Two halves of other conversations (and traces), their requests interleaved: A0, B0, A1, B1, …
const halves = [7, 11].map((seed) => generateBodies({ totalSpans: Math.ceil(SPANS / 2), spansPerRequest: REQUEST_SPANS, seed }));
const bodies = [];
for (let i = 0; i < Math.max(...halves.map((half) => half.bodies.length)); i += 1) {
  // A missing body keeps the parity (even: half A, odd: half B) with an empty slot, dropped below.
  for (const half of halves) bodies.push(half.bodies[i]);
}
const c = Object.fromEntries(Object.keys(halves[0].counts).map((key) => [key, halves[0].counts[key] + halves[1].counts[key]]));
log(
  `generated in ${fmt((performance.now() - t) / 1000, 1)} s: ${fmt(c.spans)} spans = ${fmt(c.conversations)} conversations, ${fmt(c.turns)} turns, ` +
    `${fmt(c.steps)} steps, ${fmt(c.llmCalls)} LLM calls; ${bodies.filter(Boolean).length} requests`,
);

const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
// Interrupted: stop the replicas and drop the databases before leaving.
process.once('SIGINT', () => {
  log('interrupted: stopping the replicas, dropping the databases');
  cleanUp().finally(() => process.exit(130));
});
let isCleaned = false;
async function cleanUp() {
  if (isCleaned) return;
  isCleaned = true;
  for (const setup of setups) for (const ingest of setup.ingests) await stopIngest(ingest).catch(() => undefined);
  for (const setup of setups) await admin.query(`DROP DATABASE IF EXISTS ${setup.databaseName} WITH (FORCE)`).catch(() => undefined);
  await destroyClusters();
  await admin.end();
}
const serverVersion = (await admin.query('SHOW server_version')).rows[0].server_version;
log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), Node ${process.version}, PostgreSQL ${serverVersion} at 127.0.0.1 (one server for every database)`);
try {
  for (const setup of setups) {
    await admin.query(`CREATE DATABASE ${setup.databaseName}`);
    // One after the other: the first migrates the fresh database, the next finds it migrated.
    for (let i = 0; i < setup.replicas; i += 1) setup.ingests.push(await startIngest(setup.url));
  }

  /** Sends `list` to the setup's replicas (request i to replica `replicaOf(i)`), the clients shared out. */
  const sendTo = async (setup, list) => {
    const n = setup.ingests.length;
    const startedAt = performance.now();
    const sent = await Promise.all(
      setup.ingests.map(({ port }, k) =>
        sendAll({ port, bodies: list.filter((body, i) => body !== undefined && setup.replicaOf(i) === k), clients: Math.floor(CLIENTS / n) }),
      ),
    );
    return { seconds: (performance.now() - startedAt) / 1000, sent };
  };

  // Warm-up (JIT, pools) of every replica, on other conversations.
  for (const setup of setups) await sendTo(setup, warmup.bodies);

  const run = async (setup) => {
    await withClient(setup.url, async (db) => {
      const tables = (await listTables(db)).filter((name) => !REFERENCE_TABLES.has(name));
      await db.query(`TRUNCATE ${tables.map((name) => pg.escapeIdentifier(name)).join(', ')}`);
      await db.query('CHECKPOINT');
    });
    const read = async () => ({
      retried: await retriedTransactions(setup.ingests),
      ingest: setup.ingests.map(({ child }) => readCpuSeconds(child.pid)),
      backends: await backendCpu(admin, setup.databaseName),
      machine: readMachineCpu(),
    });
    const cpu0 = await read();
    const { seconds, sent } = await sendTo(setup, bodies);
    const cpu1 = await read();
    const counts = await withClient(setup.url, async (db) =>
      (await db.query(`SELECT (SELECT count(*) FROM llm_calls)::int AS llm_calls, (SELECT count(*) FROM steps)::int AS steps, (SELECT count(*) FROM traces)::int AS traces, (SELECT count(*) FROM conversations)::int AS conversations`)).rows[0],
    );
    const ingestCpu = cpu1.ingest.reduce((sum, value, i) => sum + value - (cpu0.ingest[i] ?? 0), 0);
    const postgresCpu = cpuDelta(cpu0.backends, cpu1.backends);
    const machineCpu = cpu1.machine.busy - cpu0.machine.busy;
    const result = {
      seconds,
      rate: c.spans / seconds,
      ingestCores: ingestCpu / seconds,
      postgresCores: postgresCpu / seconds,
      // The bench's own senders, other work on the machine, PostgreSQL's background processes.
      otherCores: Math.max(0, machineCpu - ingestCpu - postgresCpu) / seconds,
      // CPU the ingest processes and their backends spent per span: what a replica costs, whatever else runs.
      cpuUsPerSpan: ((ingestCpu + postgresCpu) * 1e6) / c.spans,
      retried: cpu1.retried - cpu0.retried,
      latencies: sent.flatMap((s) => s.latencies),
      refused503: sent.reduce((sum, s) => sum + s.refused503, 0),
      isComplete: counts.llm_calls === c.llmCalls && counts.steps === c.steps && counts.traces === c.turns && counts.conversations === c.conversations,
    };
    setup.runs.push(result);
    log(
      `  ${setup.label.padEnd(10)}: ${fmt(result.rate).padStart(6)} spans/s in ${fmt(seconds, 2)} s; cores busy: ingest ${fmt(result.ingestCores, 2)}, ` +
        `postgres ${fmt(result.postgresCores, 2)}, anything else ${fmt(result.otherCores, 2)} (of ${os.cpus().length}); ` +
        `ingest + postgres CPU ${fmt(result.cpuUsPerSpan)} µs/span; ` +
        `p50 ${fmt(percentile(result.latencies, 50))} ms, p99 ${fmt(percentile(result.latencies, 99))} ms; 503: ${result.refused503}; ` +
        `transactions run again: ${result.retried}; ` +
        `rows match the generated spans: ${result.isComplete ? 'yes' : `NO ${JSON.stringify(counts)}`}`,
    );
  };

  log('');
  for (let round = 1; round <= ROUNDS; round += 1) {
    log(`round ${round}/${ROUNDS}`);
    // A different one first each round, so none always runs right after another's checkpoint.
    for (let k = 0; k < setups.length; k += 1) await run(setups[(round - 1 + k) % setups.length]);
  }

  const [one, ...pairs] = setups;
  log('');
  log('median (min–max) of the rounds:');
  for (const setup of setups) {
    log(
      `  ${setup.label.padEnd(10)}: ${range(setup.runs.map((r) => r.rate))} spans/s; ingest + postgres CPU ${range(setup.runs.map((r) => r.cpuUsPerSpan))} µs/span; ` +
        `cores busy: ingest ${range(setup.runs.map((r) => r.ingestCores), 2)}, postgres ${range(setup.runs.map((r) => r.postgresCores), 2)}, ` +
        `anything else ${range(setup.runs.map((r) => r.otherCores), 2)}; transactions run again ${range(setup.runs.map((r) => r.retried))}`,
    );
  }
  for (const pair of pairs) {
    const ratio = (pick) => one.runs.map((run, i) => pick(pair.runs[i]) / pick(run));
    log(`  ${pair.label} / ${one.label}: spans/s ${range(ratio((r) => r.rate), 2)}; CPU per span ${range(ratio((r) => r.cpuUsPerSpan), 2)}`);
  }

  // Every database now holds the last round's rows of the same bodies: they must be equal.
  log('');
  const rowsOfOne = await readAllRows(one.url);
  let isEqual = true;
  for (const pair of pairs) {
    const differences = diffRows(rowsOfOne, await readAllRows(pair.url));
    isEqual &&= Object.keys(differences).length === 0;
    log(
      Object.keys(differences).length === 0
        ? `equality: the ${Object.keys(rowsOfOne).length} tables of '${pair.label}' hold the same rows as '${one.label}' (write-time columns left out: ${JSON.stringify(WRITE_TIME_COLUMNS)})`
        : `equality: '${pair.label}' DIFFERS from '${one.label}': ${JSON.stringify(differences)}`,
    );
  }
  if (!isEqual || setups.some((setup) => setup.runs.some((r) => !r.isComplete))) process.exitCode = 1;
  if (args.standby) await measureStandby(bodies, c);
} finally {
  await cleanUp();
}
