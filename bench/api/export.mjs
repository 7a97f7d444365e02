// Export benchmark: GET /api/v1/export/llm-calls of a large window from `convotel serve --only
// api` (a child process) on a fresh PostgreSQL database, read by a client as fast as it takes
// it. Prints rows/s and MB/s per format, and the API process's resident memory before and at
// its peak (VmHWM), so "constant memory" is a number.
//
// Rows: realistic LLM calls from the ingest benchmark's generator (the real OpenTelemetry SDK's
// spans, sent through a running ingest), then copied in SQL with fresh span ids up to --rows
// (loading 1M rows span by span through the ingest would take most of the run).
//
// Usage: npm run bench:api:export [-- --rows 200000 --formats csv,ndjson --seed-spans 30000 --runs 2
//          --cpu-prof <dir>]
// --rows: LLM calls to export (1000000 is the figure; loading them takes a few minutes);
// --cpu-prof: the API process writes a V8 CPU profile there when it exits; --keep: leave the
// database for a look afterwards (its URL is printed).
// Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth) or CONVOTEL_BENCH_ADMIN_URL,
// and a built workspace (`npm run build`). Creates and drops its own database.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freePort } from '../ingest/free-port.mjs';
import { generateBodies } from '../ingest/generate.mjs';
import { readMemory, sampleMemory } from '../ingest/proc.mjs';
import { sendAll } from '../ingest/send.mjs';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    formats: { type: 'string', default: 'csv,ndjson' },
    keep: { type: 'boolean', default: false },
    'seed-spans': { type: 'string', default: '30000' },
    runs: { type: 'string', default: '2' },
    'cpu-prof': { type: 'string' },
  },
});
const ROWS = Number(args.rows);
const FORMATS = args.formats.split(',');
const SEED_SPANS = Number(args['seed-spans']);
const RUNS = Number(args.runs);
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

/** `convotel serve` with `args` on the bench database; resolves with the child once `pattern` is printed. */
async function serve(databaseUrl, serveArgs, env, pattern, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, CLI, 'serve', ...serveArgs], {
    env: { ...process.env, DATABASE_URL: databaseUrl, CONVOTEL_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text) => (stderr = (stderr + text).slice(-4000)));
  await new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (text) => {
      stdout += text;
      if (pattern.test(stdout)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`convotel serve exited with ${code}: ${stderr}`)));
  });
  return child;
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** Seed calls through the ingest, then copies of them in SQL up to ROWS. */
async function load(databaseUrl) {
  const port = await freePort();
  const ingest = await serve(databaseUrl, ['--only', 'ingest', '--otlp-port', String(port)], {}, /convotel ingest:/);
  try {
    const generated = generateBodies({ totalSpans: SEED_SPANS, spansPerRequest: 1024 });
    const sent = await sendAll({ port, bodies: generated.bodies, clients: 4 });
    log(`seed: ${fmt(sent.acceptedLlmCalls)} LLM calls in ${fmt(generated.counts.conversations)} conversations through the ingest (${fmt(sent.seconds, 1)} s)`);
  } finally {
    await stop(ingest);
  }
  return withClient(databaseUrl, async (client) => {
    await client.query('SET synchronous_commit = off');
    const seed = Number((await client.query('SELECT count(*) AS n FROM llm_calls')).rows[0].n);
    const copies = Math.max(0, Math.ceil(ROWS / seed) - 1);
    const { rows: columns } = await client.query(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'llm_calls' ORDER BY ordinal_position`,
    );
    const names = columns.map((c) => `"${c.column_name}"`);
    const values = columns.map((c) => (c.column_name === 'span_id' ? `substr(md5(span_id || ':' || g), 1, 16)` : `"${c.column_name}"`));
    const startedAt = performance.now();
    if (copies > 0) {
      await client.query(`INSERT INTO llm_calls (${names.join(', ')}) SELECT ${values.join(', ')} FROM llm_calls CROSS JOIN generate_series(1, $1) AS g`, [copies]);
    }
    await client.query('ANALYZE llm_calls');
    const total = Number((await client.query(`SELECT count(*) AS n FROM llm_calls WHERE billing <> 'duplicate'`)).rows[0].n);
    log(`copies: ${fmt(copies)} of each in SQL (${fmt((performance.now() - startedAt) / 1000, 1)} s): ${fmt(total)} LLM calls to export`);
    return total;
  });
}

/** One export read to its end: rows, bytes, seconds, the API's RSS before and its peak during. */
async function exportOnce(apiPort, apiPid, format) {
  const before = readMemory(apiPid);
  const sampler = sampleMemory(apiPid, 100);
  const startedAt = performance.now();
  const response = await fetch(`http://127.0.0.1:${apiPort}/api/v1/export/llm-calls?hours=3&format=${format}`);
  if (response.status !== 200) throw new Error(`export answered ${response.status}: ${await response.text()}`);
  let bytes = 0;
  let newlines = 0;
  let firstByteMs;
  for await (const chunk of response.body) {
    firstByteMs ??= performance.now() - startedAt;
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines += 1;
  }
  const seconds = (performance.now() - startedAt) / 1000;
  const samples = sampler.stop();
  const peakRssMb = Math.max(before.rssMb, ...samples.map((sample) => sample.rssMb));
  // CSV: a header row; fields with line breaks add lines, so rows are counted by the server's own count below.
  return { format, bytes, newlines, seconds, firstByteMs, rssBeforeMb: before.rssMb, peakRssMb };
}

async function main() {
  const name = `convotel_bench_export_${process.pid}`;
  await withClient(ADMIN_URL, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  let api;
  try {
    const total = await load(databaseUrl);
    const apiPort = await freePort();
    const profile = args['cpu-prof'] === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', args['cpu-prof']];
    api = await serve(databaseUrl, ['--only', 'api', '--port', String(apiPort)], {}, /convotel api:/, profile);
    log(`\nexport of ${fmt(total)} LLM calls (GET /api/v1/export/llm-calls?hours=3) from \`convotel serve --only api\`, read as fast as the client takes it:`);
    log('format  run  rows/s     MB/s   MB      first byte  API RSS before → peak (MB)');
    for (const format of FORMATS) {
      for (let run = 1; run <= RUNS; run += 1) {
        const result = await exportOnce(apiPort, api.pid, format);
        const rows = format === 'ndjson' ? result.newlines : total;
        if (format === 'ndjson' && rows !== total) throw new Error(`NDJSON had ${rows} lines for ${total} rows`);
        log(
          `${format.padEnd(7)} ${String(run).padEnd(4)} ${fmt(rows / result.seconds).padStart(9)}  ${fmt(result.bytes / 1e6 / result.seconds, 1).padStart(5)}  ${fmt(result.bytes / 1e6, 0).padStart(5)}  ${fmt(result.firstByteMs).padStart(7)} ms  ${fmt(result.rssBeforeMb, 0)} → ${fmt(result.peakRssMb, 0)}`,
        );
      }
    }
    const final = readMemory(api.pid);
    log(`API process peak RSS over the whole run (VmHWM): ${fmt(final.peakMb, 0)} MB`);
  } finally {
    if (api !== undefined) await stop(api);
    if (args.keep) log(`kept the database: ${databaseUrl}`);
    else await withClient(ADMIN_URL, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

await main();
