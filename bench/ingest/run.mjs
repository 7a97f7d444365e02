// Ingest benchmark: realistic conversation traces (real OpenTelemetry SDK, gzip protobuf) sent
// by concurrent clients to `convotel serve` (a child process) on a fresh PostgreSQL database,
// against plain COPY of the same rows into copies of the same tables, measured in interleaved
// pairs (ingest, COPY, ingest, COPY, …) so that both sides of a ratio see the same machine;
// then a sustained overload. Prints spans/s and CPU µs per span of both sides per pair, the
// median of the pairwise ratios with their range, request latency, and the ingest's memory.
//
// Usage: npm run bench:ingest [-- --spans 200000 --pairs 3 --clients 8 --request-spans 1024
//          --overload-seconds 20 --overload-clients 96 --impatient --cpu-prof <dir>
//          --ingest-node-arg <flag> --ingest-stdout <file>]
// --spans: spans per ingest run (a small number such as 5000 checks the script quickly);
// --pairs: ingest + COPY pairs (default 3); --overload-seconds 0 skips the overload;
// --impatient: overload clients resend a refused request after 100 ms instead of honouring
// Retry-After; --cpu-prof: the ingest writes a V8 CPU profile there when it exits;
// --ingest-node-arg: a Node flag for the ingest (repeatable, e.g. --ingest-node-arg=--trace-gc-nvp);
// --ingest-stdout: the ingest's standard output (where such traces go) is written to that file.
// Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth) or CONVOTEL_BENCH_ADMIN_URL,
// and a built workspace (`npm run build`). Creates and drops its own database.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { runCopyBaseline } from './copy-baseline.mjs';
import { freePort } from './free-port.mjs';
import { generateBodies, variantBodies } from './generate.mjs';
import { readCpuSeconds, readMachineCpu, readMemory, sampleMemory } from './proc.mjs';
import { percentile, sendAll } from './send.mjs';
import { stopIngestProcess, untilIngestListens } from './ingest-process.mjs';

const { values: args } = parseArgs({
  options: {
    spans: { type: 'string', default: '200000' },
    pairs: { type: 'string', default: '3' },
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
const PAIRS = Number(args.pairs);
if (!Number.isInteger(PAIRS) || PAIRS < 1) throw new Error(`--pairs must be a whole number ≥ 1, got ${args.pairs}`);
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


/** `convotel serve` on the bench database; resolves once it listens. */
async function startIngest(databaseUrl, port) {
  const nodeArgs = [...args['ingest-node-arg'], ...(args['cpu-prof'] === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', args['cpu-prof']])];
  const child = spawn(process.execPath, [...nodeArgs, CLI, 'serve', '--only', 'ingest'], {
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
  await untilIngestListens(child);
  if (args['ingest-stdout'] === undefined) child.stdout.resume();
  else child.stdout.pipe(createWriteStream(args['ingest-stdout']));
  return child;
}

async function stopIngest(child) {
  await stopIngestProcess(child);
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

/** Tables the ingest writes, emptied before each ingest run. */
const DATA_TABLES = ['conversations', 'traces', 'llm_calls', 'steps', 'db_queries', 'events', 'llm_hourly', 'step_hourly'];

async function countRows(db) {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM llm_calls)::int AS llm_calls, (SELECT count(*) FROM steps)::int AS steps,
            (SELECT count(*) FROM traces)::int AS traces, (SELECT count(*) FROM conversations)::int AS conversations`,
  );
  return rows[0];
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A plain-text table: first column left-aligned, the others right-aligned. */
function printTable(headers, rows) {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' │ ');
  return [line(headers), widths.map((width) => '─'.repeat(width)).join('─┼─'), ...rows.map(line)].join('\n');
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

log(`convotel ingest benchmark — ${SPANS.toLocaleString('en-US')} spans × ${PAIRS} interleaved ingest/COPY pairs, ${CLIENTS} clients, ~${REQUEST_SPANS} spans per request (gzip protobuf)`);
let t = performance.now();
const warmup = generateBodies({ totalSpans: Math.min(30_000, SPANS), spansPerRequest: REQUEST_SPANS, seed: 3 });
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

  // Warm-up (JIT, pool, staging tables) on other conversations.
  await sendAll({ port, bodies: warmup.bodies, clients: CLIENTS });

  /** One ingest run of the main bodies on emptied tables: every request acknowledged = committed. */
  const runIngest = async () => {
    await db.query(`TRUNCATE ${DATA_TABLES.join(', ')}`);
    await db.query('CHECKPOINT');
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
    const samples = memory.stop();
    const stored = await countRows(db);
    const ingestCpu = cpu1.ingest - cpu0.ingest;
    const backendCpu = cpuDelta(cpu0.backends, cpu1.backends);
    const benchCpu = (cpu1.bench.user - cpu0.bench.user + cpu1.bench.system - cpu0.bench.system) / 1e6;
    const machineBusy = cpu1.machine.busy - cpu0.machine.busy;
    return {
      seconds: sent.seconds,
      latencies: sent.latencies,
      accepted: sent.accepted,
      refused503: sent.refused503,
      ingestCpu,
      backendCpu,
      benchCpu,
      othersCpu: Math.max(0, machineBusy - ingestCpu - backendCpu - benchCpu),
      machineTotal: cpu1.machine.total - cpu0.machine.total,
      maxRssMb: Math.max(...samples.map((sample) => sample.rssMb)),
      isComplete:
        stored.llm_calls === c.llmCalls && stored.steps === c.steps && stored.traces === c.turns && stored.conversations === c.conversations,
      stored,
    };
  };

  // 1. Interleaved pairs: each ingest run is followed at once by the COPY load of the rows it stored.
  log('');
  log(`phase 1 — ${PAIRS} pairs of ingest, then plain COPY of the rows it stored`);
  const pairs = [];
  let copy;
  for (let pair = 1; pair <= PAIRS; pair += 1) {
    const run = await runIngest();
    copy = await runCopyBaseline(databaseUrl);
    const perSpanUs = (seconds) => (seconds * 1e6) / c.spans;
    const result = {
      ingestRate: c.spans / run.seconds,
      copyRate: c.spans / copy.seconds,
      ratio: copy.seconds / run.seconds,
      ingestProcessUs: perSpanUs(run.ingestCpu),
      ingestBackendsUs: perSpanUs(run.backendCpu),
      copyLoaderUs: perSpanUs(copy.loaderCpuSeconds),
      copyBackendUs: perSpanUs(copy.backendCpuSeconds),
      p50Ms: percentile(run.latencies, 50),
      p99Ms: percentile(run.latencies, 99),
      run,
      copy,
    };
    pairs.push(result);
    log(
      `  pair ${pair}/${PAIRS}: ingest ${fmt(result.ingestRate)} spans/s in ${fmt(run.seconds, 2)} s, COPY ${fmt(result.copyRate)} spans/s in ${fmt(copy.seconds, 2)} s, ` +
        `ratio ${fmt(result.ratio, 2)}; stored rows match the generated spans: ${run.isComplete ? 'yes' : `NO ${JSON.stringify(run.stored)}`}; ` +
        `cores busy during ingest: ingest ${fmt(run.ingestCpu / run.seconds, 2)}, postgres ${fmt(run.backendCpu / run.seconds, 2)}, ` +
        `bench clients ${fmt(run.benchCpu / run.seconds, 2)}, anything else ${fmt(run.othersCpu / run.seconds, 2)} (of ${fmt(run.machineTotal / run.seconds, 0)})`,
    );
  }
  const peakAfterPairs = readMemory(ingest.pid)?.peakMb ?? NaN;
  const stat = (pick) => {
    const values = pairs.map(pick);
    return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
  };
  const columns = [
    { title: 'ingest spans/s', pick: (p) => p.ingestRate, digits: 0 },
    { title: 'COPY spans/s', pick: (p) => p.copyRate, digits: 0 },
    { title: 'ratio', pick: (p) => p.ratio, digits: 2 },
    { title: 'ingest node µs', pick: (p) => p.ingestProcessUs, digits: 1 },
    { title: 'ingest PG µs', pick: (p) => p.ingestBackendsUs, digits: 1 },
    { title: 'COPY loader µs', pick: (p) => p.copyLoaderUs, digits: 1 },
    { title: 'COPY PG µs', pick: (p) => p.copyBackendUs, digits: 1 },
    { title: 'p50 ms', pick: (p) => p.p50Ms, digits: 0 },
    { title: 'p99 ms', pick: (p) => p.p99Ms, digits: 0 },
  ];
  const stats = columns.map((column) => stat(column.pick));
  log('');
  log(
    printTable(
      ['', ...columns.map((column) => column.title)],
      [
        ...pairs.map((p, i) => [`pair ${i + 1}`, ...columns.map((column) => fmt(column.pick(p), column.digits))]),
        ['median', ...stats.map((s, i) => fmt(s.median, columns[i].digits))],
        ['min–max', ...stats.map((s, i) => `${fmt(s.min, columns[i].digits)}–${fmt(s.max, columns[i].digits)}`)],
      ],
    ),
  );
  const [ingestRates, copyRates, ratios, ingestProcess, ingestBackends, copyLoader, copyBackend] = stats;
  const latencies = pairs.flatMap((p) => p.run.latencies);
  log('');
  log('ingest: HTTP → decode → normalize → idempotent write + summaries, on emptied tables; COPY: plain COPY FROM STDIN of the rows that run stored, one stream, into empty copies of the tables');
  log('µs: CPU (user + system) per span of the ingest process (node) or the COPY loader, and of their PostgreSQL backends (PG); p50/p99: ingest request latency');
  log(`rows per run: ${fmt(copy.rows)} (${Object.entries(copy.tables).map(([table, rows]) => `${table} ${fmt(rows)}`).join(', ')})`);
  log(`ingest / COPY: median ${fmt(ratios.median, 2)} of ${PAIRS} pairs, range ${fmt(ratios.min, 2)}–${fmt(ratios.max, 2)} (goal ≥ 0.50)`);
  log(
    `request latency, all pairs: p50 ${fmt(percentile(latencies, 50))} ms, p99 ${fmt(percentile(latencies, 99))} ms, max ${fmt(Math.max(...latencies))} ms` +
      ` (${fmt(pairs.reduce((sum, p) => sum + p.run.accepted, 0))} requests, ${pairs.reduce((sum, p) => sum + p.run.refused503, 0)} answered 503)`,
  );
  log(`ingest RSS: peak ${fmt(peakAfterPairs)} MB (VmHWM, warm-up included), max sampled in phase 1 ${fmt(Math.max(...pairs.map((p) => p.run.maxRssMb)))} MB`);
  const range = (s, digits = 0) => `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
  const summary = [
    `spans ${fmt(c.spans)}, rows ${fmt(copy.rows)}, ${PAIRS} interleaved ingest/COPY pairs; median (min–max) of the pairs:`,
    `ingest ${range(ingestRates)} spans/s; COPY ${range(copyRates)} spans/s; ratio ${range(ratios, 2)}`,
    `CPU µs/span: ingest process ${range(ingestProcess, 1)} + its PostgreSQL backends ${range(ingestBackends, 1)}; ` +
      `COPY loader ${range(copyLoader, 1)} + its backend ${range(copyBackend, 1)}`,
    `request latency p50 ${fmt(percentile(latencies, 50))} ms, p99 ${fmt(percentile(latencies, 99))} ms; ingest peak RSS ${fmt(peakAfterPairs)} MB`,
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
