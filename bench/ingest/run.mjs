// Ingest benchmark: realistic conversation traces (real OpenTelemetry SDK, gzip protobuf) sent
// by concurrent clients to `convotel serve` (a child process) on a fresh PostgreSQL database,
// against plain COPY of the same rows into copies of the same tables; then a sustained
// overload. Prints spans/s of both, their ratio, request latency, and the ingest's memory.
//
// Usage: npm run bench:ingest [-- --spans 200000 --clients 8 --request-spans 1024
//          --overload-seconds 20 --overload-clients 96 --impatient --cpu-prof <dir>
//          --ingest-node-arg <flag> --ingest-stdout <file>]
// --impatient: overload clients resend a refused request after 100 ms instead of honouring
// Retry-After; --cpu-prof: the ingest writes a V8 CPU profile there when it exits;
// --ingest-node-arg: a Node flag for the ingest (repeatable, e.g. --ingest-node-arg=--trace-gc-nvp);
// --ingest-stdout: the ingest's standard output (where such traces go) is written to that file.
// Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth) or CONVOTEL_BENCH_ADMIN_URL,
// and a built workspace (`npm run build`). Creates and drops its own database.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { runCopyBaseline } from './copy-baseline.mjs';
import { generateBodies, variantBodies } from './generate.mjs';
import { readCpuSeconds, readMachineCpu, readMemory, sampleMemory } from './proc.mjs';
import { percentile, sendAll } from './send.mjs';

const { values: args } = parseArgs({
  options: {
    spans: { type: 'string', default: '200000' },
    clients: { type: 'string', default: '8' },
    'request-spans': { type: 'string', default: '1024' },
    'overload-seconds': { type: 'string', default: '20' },
    'overload-clients': { type: 'string', default: '96' },
    'cpu-prof': { type: 'string' },
    'ingest-node-arg': { type: 'string', multiple: true, default: [] },
    'ingest-stdout': { type: 'string' },
    impatient: { type: 'boolean', default: false },
  },
});
const SPANS = Number(args.spans);
const CLIENTS = Number(args.clients);
const REQUEST_SPANS = Number(args['request-spans']);
const OVERLOAD_SECONDS = Number(args['overload-seconds']);
const OVERLOAD_CLIENTS = Number(args['overload-clients']);
const ADMIN_URL = process.env.CONVOTEL_BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CLI = fileURLToPath(new URL('../../packages/cli/bin/convotel.js', import.meta.url));

const log = (...parts) => console.log(...parts);
const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function withAdmin(fn) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `convotel serve` on the bench database; resolves once it listens. */
async function startIngest(databaseUrl, port) {
  const nodeArgs = [...args['ingest-node-arg'], ...(args['cpu-prof'] === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', args['cpu-prof']])];
  const child = spawn(process.execPath, [...nodeArgs, CLI, 'serve'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, CONVOTEL_OTLP_PORT: String(port), CONVOTEL_OTLP_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The ingest logs every 503; keep the first lines and count the rest.
  child.logged = { lines: 0, first: [] };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text) => {
    for (const line of text.split('\n')) {
      if (line === '') continue;
      child.logged.lines += 1;
      if (child.logged.first.length < 3) child.logged.first.push(line);
    }
  });
  let output = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ingest did not start: ${output}`)), 30_000);
    child.stdout.on('data', (data) => {
      output += data;
      if (output.includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`ingest exited with ${code}: ${output}`)));
  });
  if (args['ingest-stdout'] === undefined) child.stdout.resume();
  else child.stdout.pipe(createWriteStream(args['ingest-stdout']));
  return child;
}

async function stopIngest(child) {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await once(child, 'exit');
  clearTimeout(timer);
}

/** CPU seconds of the ingest's PostgreSQL backends (they live as long as its pool keeps them). */
async function backendCpuSeconds(db, databaseName) {
  const { rows } = await db.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'convotel-ingest'`, [databaseName]);
  return new Map(rows.map(({ pid }) => [pid, readCpuSeconds(pid)]));
}

function cpuDelta(before, after) {
  let sum = 0;
  for (const [pid, seconds] of after) sum += seconds - (before.get(pid) ?? 0);
  return sum;
}

async function countRows(db) {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM llm_calls)::int AS llm_calls, (SELECT count(*) FROM steps)::int AS steps,
            (SELECT count(*) FROM traces)::int AS traces, (SELECT count(*) FROM conversations)::int AS conversations`,
  );
  return rows[0];
}

/** Max RSS per second of run time, as "t=… MB" pairs. */
function rssTimeline(samples) {
  const bySecond = new Map();
  for (const { atMs, rssMb } of samples) {
    const second = Math.floor(atMs / 1000);
    bySecond.set(second, Math.max(bySecond.get(second) ?? 0, rssMb));
  }
  return [...bySecond.entries()];
}

const databaseName = `convotel_bench_${process.pid}`;
const databaseUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${databaseName}` }).toString();

log(`convotel ingest benchmark — ${SPANS.toLocaleString('en-US')} spans, ${CLIENTS} clients, ~${REQUEST_SPANS} spans per request (gzip protobuf)`);
let t = performance.now();
const warmup = generateBodies({ totalSpans: 30_000, spansPerRequest: REQUEST_SPANS, seed: 3 });
const main = generateBodies({ totalSpans: SPANS, spansPerRequest: REQUEST_SPANS, seed: 7 });
const c = main.counts;
log(
  `generated in ${fmt((performance.now() - t) / 1000, 1)} s: ${fmt(c.spans)} spans = ${fmt(c.conversations)} conversations, ${fmt(c.turns)} turns, ` +
    `${fmt(c.steps)} steps, ${fmt(c.llmCalls)} LLM calls; ${fmt(c.attributesPerSpan, 1)} attributes/span; ` +
    `${main.bodies.length} requests, ${fmt(main.bodies.reduce((s, b) => s + b.raw.length, 0) / c.spans)} B/span protobuf, ` +
    `${fmt(main.bodies.reduce((s, b) => s + b.gzip.length, 0) / c.spans)} B/span gzip`,
);

const serverVersion = await withAdmin(async (admin) => {
  await admin.query(`CREATE DATABASE ${databaseName}`);
  return (await admin.query('SHOW server_version')).rows[0].server_version;
});
log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), Node ${process.version}, PostgreSQL ${serverVersion} at 127.0.0.1`);
let ingest;
const db = new pg.Client({ connectionString: databaseUrl });
try {
  const port = await freePort();
  ingest = await startIngest(databaseUrl, port);
  await db.connect();

  // Warm-up (JIT, pool, staging tables) on other conversations, then empty the tables.
  await sendAll({ port, bodies: warmup.bodies, clients: CLIENTS });
  await db.query('TRUNCATE conversations, traces, llm_calls, steps, db_queries, events, llm_hourly, step_hourly');
  await db.query('CHECKPOINT');

  // 1. Ingest: every request acknowledged = committed.
  const memory = sampleMemory(ingest.pid);
  const readCpu = async () => ({
    ingest: readCpuSeconds(ingest.pid),
    backends: await backendCpuSeconds(db, databaseName),
    bench: process.cpuUsage(),
    machine: readMachineCpu(),
  });
  const cpu0 = await readCpu();
  const sent = await sendAll({ port, bodies: main.bodies, clients: CLIENTS });
  const cpu1 = await readCpu();
  memory.stop();
  const peakAfterMain = readMemory(ingest.pid)?.peakMb ?? NaN;
  const stored = await countRows(db);
  const ingestRate = c.spans / sent.seconds;
  const isComplete = stored.llm_calls === c.llmCalls && stored.steps === c.steps && stored.traces === c.turns && stored.conversations === c.conversations;

  // 2. COPY of the same rows into empty copies of the same tables.
  const copy = await runCopyBaseline(databaseUrl);
  const copyRate = c.spans / copy.seconds;

  log('');
  log('phase 1 — ingest vs COPY of the same rows');
  console.table({
    'ingest (HTTP → decode → normalize → idempotent write + summaries)': {
      seconds: fmt(sent.seconds, 2),
      'spans/s': fmt(ingestRate),
      'rows/s': fmt(copy.rows / sent.seconds),
    },
    'plain COPY FROM STDIN, one stream (median of 3)': { seconds: fmt(copy.seconds, 2), 'spans/s': fmt(copyRate), 'rows/s': fmt(copy.rows / copy.seconds) },
  });
  log(`COPY loads: ${copy.runs.map((seconds) => `${fmt(c.spans / seconds)} spans/s`).join(', ')}`);
  log(`rows: ${fmt(copy.rows)} (${Object.entries(copy.tables).map(([table, rows]) => `${table} ${fmt(rows)}`).join(', ')})`);
  log(`stored rows match the generated spans: ${isComplete ? 'yes' : `NO ${JSON.stringify(stored)}`}`);
  log(`ingest / COPY: ${fmt(ingestRate / copyRate, 2)} (goal ≥ 0.50)`);
  log(
    `request latency: p50 ${fmt(percentile(sent.latencies, 50))} ms, p99 ${fmt(percentile(sent.latencies, 99))} ms, max ${fmt(Math.max(...sent.latencies))} ms` +
      ` (${sent.accepted} requests, ${sent.refused503} answered 503)`,
  );
  const ingestCpu = cpu1.ingest - cpu0.ingest;
  const backendCpu = cpuDelta(cpu0.backends, cpu1.backends);
  const benchCpu = (cpu1.bench.user - cpu0.bench.user + cpu1.bench.system - cpu0.bench.system) / 1e6;
  const machineBusy = cpu1.machine.busy - cpu0.machine.busy;
  const machineTotal = cpu1.machine.total - cpu0.machine.total;
  const others = Math.max(0, machineBusy - ingestCpu - backendCpu - benchCpu);
  log(
    `CPU per span: ingest process ${fmt((ingestCpu * 1e6) / c.spans, 1)} µs, its PostgreSQL backends ${fmt((backendCpu * 1e6) / c.spans, 1)} µs; ` +
      `cores busy: ingest ${fmt(ingestCpu / sent.seconds, 2)}, postgres ${fmt(backendCpu / sent.seconds, 2)}, bench clients ${fmt(benchCpu / sent.seconds, 2)}, ` +
      `anything else on the machine ${fmt(others / sent.seconds, 2)} (of ${fmt(machineTotal / sent.seconds, 0)})`,
  );
  log(`ingest RSS: peak ${fmt(peakAfterMain)} MB (VmHWM, warm-up included), max sampled in phase 1 ${fmt(Math.max(...memory.samples.map((s) => s.rssMb)))} MB`);
  const summary = [
    `spans ${fmt(c.spans)}, rows ${fmt(copy.rows)}`,
    `ingest ${fmt(ingestRate)} spans/s; COPY ${fmt(copyRate)} spans/s (${fmt(copy.rows / copy.seconds)} rows/s); ratio ${fmt(ingestRate / copyRate, 2)}`,
    `request latency p50 ${fmt(percentile(sent.latencies, 50))} ms, p99 ${fmt(percentile(sent.latencies, 99))} ms; ingest peak RSS ${fmt(peakAfterMain)} MB`,
  ];

  // 3. Sustained overload: many more senders than the writers can keep up with, fresh traces.
  if (OVERLOAD_SECONDS > 0) {
    const rounds = Math.min(35, Math.ceil((OVERLOAD_SECONDS * 45_000) / c.spans));
    const overloadBodies = [];
    for (let round = 1; round <= rounds; round += 1) overloadBodies.push(...variantBodies(main, round));
    const overloadMemory = sampleMemory(ingest.pid);
    const startedAt = performance.now();
    const overload = await sendAll({
      port,
      bodies: overloadBodies,
      clients: OVERLOAD_CLIENTS,
      deadlineMs: startedAt + OVERLOAD_SECONDS * 1000,
      // Exporters honour Retry-After (the OTLP spec asks them to); --impatient ones do not.
      pauseAfter503Ms: args.impatient ? () => 100 : (seconds) => seconds * 1000,
    });
    const samples = overloadMemory.stop();
    const timeline = rssTimeline(samples);
    const half = Math.floor(timeline.length / 2);
    const maxOf = (entries) => Math.max(...entries.map(([, mb]) => mb));
    log('');
    log(
      `phase 2 — overload: ${OVERLOAD_CLIENTS} clients for ${OVERLOAD_SECONDS} s, new traces; a refused request is resent ` +
        (args.impatient ? 'after 100 ms' : 'after its Retry-After'),
    );
    log(
      `accepted ${fmt(overload.accepted)} requests = ${fmt(overload.acceptedSpans)} spans (${fmt(overload.acceptedSpans / overload.seconds)} spans/s over ${fmt(overload.seconds, 1)} s); ` +
        `503: ${fmt(overload.refused503)} (with Retry-After: ${fmt(overload.withRetryAfter)}); connections reset: ${overload.connectionResets}` +
        (overload.accepted === overloadBodies.length ? ' — ran out of prepared bodies' : ''),
    );
    log(`latency of accepted requests: p50 ${fmt(percentile(overload.latencies, 50))} ms, p99 ${fmt(percentile(overload.latencies, 99))} ms`);
    log(`ingest RSS per second (MB): ${timeline.map(([second, mb]) => `${second}s ${fmt(mb)}`).join(' | ')}`);
    log(
      `RSS max first half ${fmt(maxOf(timeline.slice(0, half)))} MB, second half ${fmt(maxOf(timeline.slice(half)))} MB; ` +
        `peak (VmHWM) ${fmt(readMemory(ingest.pid)?.peakMb ?? NaN)} MB`,
    );
    log(`ingest log lines: ${fmt(ingest.logged.lines)}${ingest.logged.first.length > 0 ? `, first: ${ingest.logged.first[0]}` : ''}`);
    const after = await countRows(db);
    const isExact = after.llm_calls === c.llmCalls + overload.acceptedLlmCalls && after.steps === c.steps + overload.acceptedSteps;
    log(`rows after overload match the accepted spans (no loss, no double count): ${isExact ? 'yes' : `NO ${JSON.stringify(after)}`}`);
    summary.push(
      `overload ${OVERLOAD_CLIENTS} clients × ${OVERLOAD_SECONDS} s: ${fmt(overload.acceptedSpans / overload.seconds)} spans/s accepted, ` +
        `${fmt(overload.refused503)} × 503 with Retry-After, RSS ${fmt(Math.min(...timeline.slice(2).map(([, mb]) => mb)))}–${fmt(maxOf(timeline))} MB`,
    );
  }
  log('');
  log('summary');
  for (const line of summary) log(`  ${line}`);
} finally {
  await db.end().catch(() => undefined);
  if (ingest !== undefined) await stopIngest(ingest);
  await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`));
}
