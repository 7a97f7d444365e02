// Read-side benchmark: LLM calls in conversations over 30 days, loaded with the store's bulk path
// (COPY through `insertAll`) into a database at schema version 2, which migration 0003 then
// upgrades, backfilling the rollups from the raw rows (the rollups the ingest would have written:
// test/store/summary/window-rollups.test.ts holds the two equal). Then each route of the API,
// over HTTP, for a 24 h and a 30 d window: p50/p95 latency beside the same answer computed by
// plain aggregates over raw rows (the exact path of @convotel/query), their ratio, whether counts
// and sums agree, and the relative error of the percentiles read from rollups.
//
// Usage: npm run bench:api [-- --calls 1000000 --conversations 100000 --days 30 --samples 20 --keep]
// The defaults are the issue's size, 1M calls in 100k conversations (about two minutes here: the
// load is COPY, the raw answers take a second each); --calls 20000 --conversations 2000 checks the
// script in seconds. Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth) or
// CONVOTEL_BENCH_ADMIN_URL, and a built workspace (`npm run build`). Creates and drops its own
// database (--keep leaves it, and prints its URL).
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { SILENT_LOGGER, startApi } from '@convotel/api';
import { createReadDb, getOverview, getTimeseries } from '@convotel/query';
import { createPostgresStore, LATENCY_BUCKET_BOUNDS_MS, migrate, readMigrations } from '@convotel/store';
import pg from 'pg';
import { generate, toBulkRows } from './generate.mjs';

const { values: args } = parseArgs({
  options: {
    calls: { type: 'string', default: '1000000' },
    conversations: { type: 'string', default: '100000' },
    days: { type: 'string', default: '30' },
    samples: { type: 'string', default: '20' },
    keep: { type: 'boolean', default: false },
  },
});
const CALLS = Number(args.calls);
const CONVERSATIONS = Number(args.conversations);
const DAYS = Number(args.days);
const SAMPLES = Number(args.samples);
if (!(CALLS >= CONVERSATIONS && CONVERSATIONS >= 1)) throw new Error('--calls must be at least --conversations, which must be at least 1');
const ADMIN_URL = process.env.CONVOTEL_BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const HOUR_MS = 3_600_000;

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

function percentile(values, fraction) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

/** The v2 rollups, as the ingest keeps them, from the loaded calls and steps (migration 0003 adds the rest). */
async function aggregateVersion2Rollups(client) {
  const coarse = [...LATENCY_BUCKET_BOUNDS_MS.map((bound, i) => `count(*) FILTER (WHERE duration_ms > ${i === 0 ? -1 : LATENCY_BUCKET_BOUNDS_MS[i - 1]} AND duration_ms <= ${bound})`), `count(*) FILTER (WHERE duration_ms > ${LATENCY_BUCKET_BOUNDS_MS.at(-1)})`].join(', ');
  const hour = `date_trunc('hour', started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;
  await client.query(
    `INSERT INTO llm_hourly (hour, provider, model, call_type, status, count, errors, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
                             reasoning_tokens, cost_usd, latency_sum_ms, latency_min_ms, latency_max_ms, latency_buckets, ttft_sum_ms, ttft_count)
     SELECT ${hour}, coalesce(provider, ''), coalesce(response_model, request_model, ''), call_type, status, count(*), count(*) FILTER (WHERE status = 'error'),
            coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0), coalesce(sum(cache_read_tokens), 0), coalesce(sum(cache_write_tokens), 0),
            coalesce(sum(reasoning_tokens), 0), coalesce(sum(cost_usd), 0), sum(duration_ms)::numeric(24,3), min(duration_ms), max(duration_ms),
            ARRAY[${coarse}], coalesce(sum(ttft_ms), 0)::numeric(24,3), count(ttft_ms)
       FROM llm_calls WHERE billing <> 'duplicate' GROUP BY 1, 2, 3, 4, 5`,
  );
  await client.query(
    `INSERT INTO step_hourly (hour, kind, name, count, errors, cost_usd, latency_sum_ms, latency_min_ms, latency_max_ms, latency_buckets)
     SELECT ${hour}, kind, name, count(*), count(*) FILTER (WHERE status = 'error'), coalesce(sum(cost_usd), 0), sum(duration_ms)::numeric(24,3),
            min(duration_ms), max(duration_ms), ARRAY[${coarse}]
       FROM steps GROUP BY 1, 2, 3`,
  );
}

async function load(store, endMs) {
  const started = performance.now();
  let loaded = 0;
  const totals = await generate({ calls: CALLS, conversations: CONVERSATIONS, days: DAYS, endMs }, async (rows) => {
    await store.transaction(async (tx) => {
      for (const bulk of toBulkRows(rows)) await tx.insertAll(bulk);
    });
    loaded += rows.llmCalls.length;
    if (process.stdout.isTTY) process.stdout.write(`\r  loading: ${fmt(loaded)} / ${fmt(CALLS)} calls`);
  });
  const loadSeconds = (performance.now() - started) / 1000;
  if (process.stdout.isTTY) process.stdout.write('\n');
  const aggregated = performance.now();
  await store.withClient((client) => aggregateVersion2Rollups(client));
  const rollupSeconds = (performance.now() - aggregated) / 1000;
  const migrating = performance.now();
  const result = await migrate(store);
  const migrateSeconds = (performance.now() - migrating) / 1000;
  await store.withClient((client) => client.exec('VACUUM ANALYZE'));
  return { totals, loadSeconds, rollupSeconds, migrateSeconds, applied: result.applied };
}

async function timed(fn) {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

/** p50/p95 of `samples` runs of `fn` (after one warm-up run), and its last answer. */
async function measure(fn) {
  await fn();
  const times = [];
  let value;
  for (let i = 0; i < SAMPLES; i += 1) {
    const run = await timed(fn);
    times.push(run.ms);
    value = run.value;
  }
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), value };
}

function relativeError(estimate, exact) {
  if (estimate === null || exact === null) return estimate === exact ? 0 : Number.POSITIVE_INFINITY;
  return exact === 0 ? Math.abs(estimate) : Math.abs(estimate - exact) / Math.abs(exact);
}

/** Whether two overview answers agree on every count and sum (costs to 1e-9 USD). */
function overviewCountsAgree(a, b) {
  const keys = ['conversations', 'active_conversations', 'turns', 'failed_turns', 'llm_calls', 'failed_llm_calls', 'input_tokens', 'output_tokens', 'interruptions'];
  const costs = ['total', 'llm', 'stt', 'tts', 'other'];
  const models = JSON.stringify(a.top_models.map((m) => [m.model, m.calls])) === JSON.stringify(b.top_models.map((m) => [m.model, m.calls]));
  return keys.every((key) => a[key] === b[key]) && costs.every((key) => Math.abs(a.cost_usd[key] - b.cost_usd[key]) < 1e-9) && models;
}

function overviewPercentileError(a, b) {
  let worst = 0;
  for (const group of ['turn_latency_ms', 'perceived_latency_ms']) {
    for (const key of ['p50', 'p95', 'p99']) worst = Math.max(worst, relativeError(a[group][key], b[group][key]));
  }
  return worst;
}

function seriesAgree(a, b, isPercentile) {
  if (a.points.length !== b.points.length) return { agree: false, error: Number.POSITIVE_INFINITY };
  let worst = 0;
  let agree = true;
  a.points.forEach((point, i) => {
    const other = b.points[i];
    if (point.t !== other.t) agree = false;
    if (isPercentile) worst = Math.max(worst, relativeError(point.value, other.value));
    else if (Math.abs(point.value - other.value) > 1e-9 * Math.max(1, Math.abs(other.value))) agree = false;
  });
  return { agree, error: worst };
}

async function main() {
  const name = `convotel_bench_api_${process.pid}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const store = createPostgresStore({ connectionString: url.toString(), writeTimeoutMillis: 120_000 });
  let api;
  try {
    const version2 = (await readMigrations()).filter((migration) => migration.version <= 2);
    await migrate(store, version2);
    const nowMs = Date.now();
    log(`convotel read-side benchmark: ${fmt(CALLS)} LLM calls in ${fmt(CONVERSATIONS)} conversations over ${DAYS} days (PostgreSQL ${await serverVersion(store)})`);
    const loaded = await load(store, nowMs);
    log(
      `  loaded ${fmt(loaded.totals.llmCalls)} calls, ${fmt(loaded.totals.turns)} turns, ${fmt(loaded.totals.steps)} steps, ${fmt(loaded.totals.conversations)} conversations ` +
        `with COPY in ${fmt(loaded.loadSeconds, 1)} s (${fmt((loaded.totals.llmCalls + loaded.totals.turns + loaded.totals.steps + loaded.totals.conversations) / loaded.loadSeconds)} rows/s); ` +
        `v2 rollups ${fmt(loaded.rollupSeconds, 1)} s; migration ${loaded.applied.join(', ')} (backfill) ${fmt(loaded.migrateSeconds, 1)} s`,
    );
    await logRollupSizes(store);

    api = await startApi({ store, port: 0, host: '127.0.0.1', apiKeys: ['bench-key-0123456789abcdef'], logger: SILENT_LOGGER });
    const base = `http://127.0.0.1:${api.port}/api/v1`;
    const get = async (path, query) => {
      const target = new URL(`${base}${path}`);
      for (const [key, value] of Object.entries(query)) target.searchParams.set(key, String(value));
      const response = await fetch(target, { headers: { authorization: 'Bearer bench-key-0123456789abcdef' } });
      const body = await response.json();
      if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
      return body;
    };
    const db = createReadDb(store, { statementTimeoutMillis: 120_000 });
    const now = new Date(nowMs);
    // Fixed ends (the load took a while): the route and the raw computation answer the same window.
    const windowOf = (hours) => ({ from: new Date(nowMs - hours * HOUR_MS).toISOString(), to: now.toISOString() });
    const windows = [
      ['24 h', windowOf(24)],
      ['30 d', windowOf(DAYS * 24)],
    ];
    const rows = [];
    for (const [label, window] of windows) {
      const overview = await measure(() => get('/overview', window));
      const queried = await measure(() => getOverview(db, window, { now }));
      const rawOverview = await measure(() => getOverview(db, window, { now, mode: 'exact' }));
      rows.push({
        route: 'GET /overview',
        window: label,
        route_ms: overview,
        query_ms: queried,
        raw_ms: rawOverview,
        agree: overviewCountsAgree(overview.value, rawOverview.value),
        error: overviewPercentileError(overview.value, rawOverview.value),
        approximate: overview.value.approximate.length > 0,
      });
      for (const [metric, interval] of [
        ['turns', 'hour'],
        ['cost_usd', 'day'],
        ['llm_calls', 'hour'],
        ['turn_p95_ms', 'day'],
        ['conversations', 'day'],
      ]) {
        const query = { ...window, metric, interval };
        const routed = await measure(() => get('/timeseries', query));
        const queried = await measure(() => getTimeseries(db, { ...window, metric, interval }, now));
        const raw = await measure(() => getTimeseries(db, { ...window, metric, interval }, now, { mode: 'exact' }));
        const { agree, error } = seriesAgree(routed.value, raw.value, metric === 'turn_p95_ms');
        rows.push({
          route: `GET /timeseries ${metric}/${interval}`,
          window: label,
          route_ms: routed,
          query_ms: queried,
          raw_ms: raw,
          agree,
          error,
          approximate: routed.value.approximate,
        });
      }
      // Routes without a rollup path: their latency alone.
      for (const [route, path, query] of [
        ['GET /conversations', '/conversations', { ...window, limit: 50 }],
        ['GET /conversations?sort=costliest', '/conversations', { ...window, limit: 50, sort: 'costliest' }],
        ['GET /busiest-hours', '/busiest-hours', window],
      ]) {
        rows.push({ route, window: label, route_ms: await measure(() => get(path, query)) });
      }
    }
    const ids = await store.withClient((client) => client.query(`SELECT conversation_id FROM conversations ORDER BY random() LIMIT ${SAMPLES + 1}`));
    let next = 0;
    rows.push({ route: 'GET /conversations/:id', window: '-', route_ms: await measure(() => get(`/conversations/${ids.rows[next++ % ids.rows.length].conversation_id}`, {})) });
    printTable(rows);
  } finally {
    await api?.close();
    await store.close();
    if (args.keep) log(`kept ${url}`);
    else await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

async function serverVersion(store) {
  const { rows } = await store.withClient((client) => client.query('SHOW server_version'));
  return rows[0].server_version.split(' ')[0];
}

async function logRollupSizes(store) {
  const { rows } = await store.withClient((client) =>
    client.query(
      `SELECT (SELECT count(*) FROM turn_hourly)::int AS turn_hourly, (SELECT count(*) FROM llm_hourly)::int AS llm_hourly,
              (SELECT count(*) FROM usage_daily)::int AS usage_daily,
              (SELECT avg(cardinality(duration_bucket_index)) FROM turn_hourly)::float8 AS buckets,
              pg_size_pretty(pg_total_relation_size('turn_hourly') + pg_total_relation_size('llm_hourly') + pg_total_relation_size('usage_daily')) AS rollups,
              pg_size_pretty(pg_total_relation_size('llm_calls') + pg_total_relation_size('traces')) AS raw`,
    ),
  );
  const r = rows[0];
  log(
    `  rollups: turn_hourly ${fmt(r.turn_hourly)} rows (${fmt(r.buckets, 1)} duration buckets each on average), llm_hourly ${fmt(r.llm_hourly)}, ` +
      `usage_daily ${fmt(r.usage_daily)}; ${r.rollups} beside ${r.raw} of llm_calls and traces`,
  );
}

function printTable(rows) {
  const header = ['route', 'window', 'p50 ms', 'p95 ms', 'query p95', 'raw p95', 'raw/query', 'counts = raw', 'pct error'];
  const lines = rows.map((row) => [
    row.route,
    row.window,
    fmt(row.route_ms.p50, 1),
    fmt(row.route_ms.p95, 1),
    row.query_ms === undefined ? '' : fmt(row.query_ms.p95, 1),
    row.raw_ms === undefined ? '' : fmt(row.raw_ms.p95, 1),
    row.raw_ms === undefined ? '' : `${fmt(row.raw_ms.p95 / row.query_ms.p95, 1)}×`,
    row.agree === undefined ? '' : row.agree ? 'yes' : 'NO',
    row.raw_ms === undefined ? '' : row.approximate ? `${fmt(row.error * 100, 2)}%` : 'exact',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i].length)));
  const render = (cells) => `| ${cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  log('');
  log(render(header));
  log(`|${widths.map((w, i) => (i < 2 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const line of lines) log(render(line));
  log('');
  log(`p50/p95: ${SAMPLES} requests each through HTTP (the API picks rollups beyond 48 h). query p95: the same question through @convotel/query,`);
  log('no HTTP; raw p95: answered by plain aggregates over raw rows (mode exact), no HTTP; raw/query: their ratio. counts = raw: every count');
  log('and sum equal. pct error: largest relative error of the percentiles read from rollups (overview p50/p95/p99 of turn and perceived');
  log('latency; every bucket of turn_p95_ms) against the exact ones.');
}

await main();
