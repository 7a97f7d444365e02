// Ingest throughput of several builds side by side: `convotel serve --only ingest` from each
// built checkout (`npm run build` done there; give their folders), on a fresh database per run,
// the same generated traffic sent by concurrent clients, rounds alternating the builds' order so
// that each sees the same machine. Every table the ingest writes that exists in the build's
// schema is emptied after the warm-up. Prints spans/s per build and round, and their range.
//
// Usage: node bench/ingest/compare-builds.mjs [--spans 60000 --rounds 3 --clients 8] <checkout> <checkout> …
// (e.g. a `git archive` of the base commit, built, beside this worktree). Needs PostgreSQL at
// 127.0.0.1:5432 (user postgres, trust auth) or CONVOTEL_BENCH_ADMIN_URL.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port.mjs';
import { generateBodies } from './generate.mjs';
import { sendAll } from './send.mjs';

const { values: args, positionals: checkouts } = parseArgs({
  options: { spans: { type: 'string', default: '60000' }, rounds: { type: 'string', default: '3' }, clients: { type: 'string', default: '8' } },
  allowPositionals: true,
});
if (checkouts.length === 0) throw new Error('give the built checkouts to compare');
const ROUNDS = Number(args.rounds);
const CLIENTS = Number(args.clients);
const ADMIN_URL = process.env.CONVOTEL_BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// Raw tables and rollups; those a build's schema lacks are skipped.
const TABLES = ['conversations', 'traces', 'llm_calls', 'steps', 'db_queries', 'events', 'llm_hourly', 'llm_daily', 'step_hourly', 'step_daily', 'conversation_hourly', 'turn_hourly', 'turn_daily',
  'usage_daily', 'usage_hourly', 'sql_hourly', 'sql_daily', 'error_occurrences', 'cost_hourly', 'cost_daily', 'conversation_keys', 'trace_turns', 'span_edges'];

const warmup = generateBodies({ totalSpans: 20_000, spansPerRequest: 1024, seed: 3 });
const main = generateBodies({ totalSpans: Number(args.spans), spansPerRequest: 1024, seed: 7 });
console.log(`${main.counts.spans} spans (${main.counts.conversations} conversations, ${main.bodies.length} requests), ${CLIENTS} clients, ${ROUNDS} rounds`);

async function withAdmin(sql) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** One run of the main traffic through the build in `checkout`: spans/s, and the turns stored. */
async function run(checkout, index, round) {
  const name = `convotel_compare_${process.pid}_${index}_${round}`;
  const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
  await withAdmin(`CREATE DATABASE ${name}`);
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(checkout, 'packages/cli/bin/convotel.js'), 'serve', '--only', 'ingest'], {
    env: { ...process.env, DATABASE_URL: url, CONVOTEL_OTLP_PORT: String(port), CONVOTEL_OTLP_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.resume();
  let output = '';
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (data) => {
      output += data;
      if (output.includes('convotel ingest:')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`ingest exited with ${code}: ${output}`)));
  });
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await sendAll({ port, bodies: warmup.bodies, clients: CLIENTS });
    const { rows } = await db.query('SELECT t FROM unnest($1::text[]) AS t WHERE to_regclass(t) IS NOT NULL', [TABLES]);
    await db.query(`TRUNCATE ${rows.map((row) => row.t).join(', ')}`);
    await db.query('CHECKPOINT');
    const sent = await sendAll({ port, bodies: main.bodies, clients: CLIENTS });
    const stored = (await db.query('SELECT count(*)::int AS n FROM traces')).rows[0].n;
    return { rate: main.counts.spans / sent.seconds, stored, refused: sent.refused503 };
  } finally {
    await db.end();
    child.kill('SIGTERM');
    await once(child, 'exit');
    await withAdmin(`DROP DATABASE ${name}`);
  }
}

const rates = checkouts.map(() => []);
for (let round = 1; round <= ROUNDS; round += 1) {
  const order = checkouts.map((_, i) => i);
  if (round % 2 === 0) order.reverse();
  for (const i of order) {
    const result = await run(checkouts[i], i, round);
    rates[i].push(result.rate);
    const complete = result.stored === main.counts.turns ? '' : ` — stored ${result.stored} of ${main.counts.turns} turns`;
    console.log(`round ${round} ${checkouts[i]}: ${Math.round(result.rate)} spans/s (${result.refused} answered 503)${complete}`);
  }
}
for (const [i, checkout] of checkouts.entries()) {
  console.log(`${checkout}: ${rates[i].map(Math.round).join(', ')} spans/s (${Math.round(Math.min(...rates[i]))}–${Math.round(Math.max(...rates[i]))})`);
}
