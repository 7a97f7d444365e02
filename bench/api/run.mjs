// Read-side benchmark: a voice and chat agent's traffic over 30 days (conversations, turns, stt /
// llm / tool / tts steps, LLM calls with failures worded as the providers word them, SQL spans),
// loaded with the store's bulk path (COPY through `insertAll`) into a database at schema version
// 2, which every later migration then upgrades, backfilling its rollups from the raw rows (the
// rollups the ingest would have written: test/store/summary/window-rollups.test.ts holds the two
// equal). Then every analysis route of the API, over HTTP, for a 24 h and a 30 d window: p50/p95
// latency beside the same question through @convotel/query in `auto` mode and in `exact` mode
// (raw rows), their ratio, whether counts and sums of the two answers agree, and the largest
// relative error of their percentiles.
//
// Usage: npm run bench:api [-- --calls 1000000 --conversations 100000 --days 30 --samples 20
//          --budget-ms 2000 --keep]
// The defaults are the issue's size, 1M calls in 100k conversations (several minutes here: the
// load is COPY, raw answers over 30 days take a second each, so a cell stops after --budget-ms
// with at least 3 runs); --calls 20000 --conversations 2000 checks the script in a minute. Needs
// PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth) or CONVOTEL_BENCH_ADMIN_URL, and a
// built workspace (`npm run build`). Creates and drops its own database (--keep leaves it, and
// prints its URL).
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { SILENT_LOGGER, startApi } from '@convotel/api';
import {
  createReadDb,
  getBusiestHours,
  getCompare,
  getConversation,
  getCosts,
  getErrorAnalysis,
  getLlmAnalysis,
  getOverview,
  getSqlAnalysis,
  getStepStats,
  getTimeseries,
  getTrace,
  listConversations,
  listLlmCalls,
} from '@convotel/query';
import { createPostgresStore, LATENCY_BUCKET_BOUNDS_MS, migrate, readMigrations, TABLES } from '@convotel/store';
import pg from 'pg';
import { generate, toBulkRows } from './generate.mjs';

const { values: args } = parseArgs({
  options: {
    calls: { type: 'string', default: '1000000' },
    conversations: { type: 'string', default: '100000' },
    days: { type: 'string', default: '30' },
    samples: { type: 'string', default: '20' },
    'budget-ms': { type: 'string', default: '2000' },
    keep: { type: 'boolean', default: false },
  },
});
const CALLS = Number(args.calls);
const CONVERSATIONS = Number(args.conversations);
const DAYS = Number(args.days);
const SAMPLES = Number(args.samples);
const BUDGET_MS = Number(args['budget-ms']);
const MIN_SAMPLES = Math.min(3, SAMPLES);
if (!(CALLS >= CONVERSATIONS && CONVERSATIONS >= 1)) throw new Error('--calls must be at least --conversations, which must be at least 1');
const ADMIN_URL = process.env.CONVOTEL_BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const HOUR_MS = 3_600_000;
/** The conversation detail's goal (DESIGN.md §5). */
const CONVERSATION_DETAIL_GOAL_MS = 20;

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
  // Every migration after 2, whichever the workspace has: each backfills from the rows loaded.
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

/**
 * p50/p95 of runs of `fn` after one warm-up run, and its last answer: SAMPLES runs, or fewer (at
 * least MIN_SAMPLES) once they have taken BUDGET_MS.
 */
async function measure(fn) {
  await fn();
  const times = [];
  let value;
  let spent = 0;
  while (times.length < SAMPLES && (times.length < MIN_SAMPLES || spent < BUDGET_MS)) {
    const run = await timed(fn);
    times.push(run.ms);
    spent += run.ms;
    value = run.value;
  }
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), runs: times.length, value };
}

function relativeError(estimate, exact) {
  if (estimate === null || exact === null) return estimate === exact ? 0 : Number.POSITIVE_INFINITY;
  return exact === 0 ? Math.abs(estimate) : Math.abs(estimate - exact) / Math.abs(exact);
}

const sameSum = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/** Whether two overview answers agree on every count and sum (costs to 1e-9 USD). */
function compareOverviews(a, b) {
  const keys = ['conversations', 'active_conversations', 'turns', 'failed_turns', 'llm_calls', 'failed_llm_calls', 'input_tokens', 'output_tokens', 'interruptions'];
  const costs = ['total', 'llm', 'stt', 'tts', 'other'];
  const models = JSON.stringify(a.top_models.map((m) => [m.model, m.calls])) === JSON.stringify(b.top_models.map((m) => [m.model, m.calls]));
  const mismatches = [
    ...keys.filter((key) => a[key] !== b[key]).map((key) => `${key}: ${a[key]} ≠ ${b[key]}`),
    ...costs.filter((key) => !sameSum(a.cost_usd[key], b.cost_usd[key])).map((key) => `cost_usd.${key}: ${a.cost_usd[key]} ≠ ${b.cost_usd[key]}`),
    ...(models ? [] : ['top_models']),
  ];
  let error = 0;
  for (const group of ['turn_latency_ms', 'perceived_latency_ms']) {
    for (const key of ['p50', 'p95', 'p99']) error = Math.max(error, relativeError(a[group][key], b[group][key]));
  }
  return { agree: mismatches.length === 0, mismatches, error, percentiles: true };
}

function compareSeries(a, b, isPercentile) {
  if (a.points.length !== b.points.length) return { agree: false, mismatches: [`points: ${a.points.length} ≠ ${b.points.length}`], error: 0, percentiles: isPercentile };
  let error = 0;
  const mismatches = [];
  a.points.forEach((point, i) => {
    const other = b.points[i];
    if (point.t !== other.t) mismatches.push(`points[${i}].t: ${point.t} ≠ ${other.t}`);
    if (isPercentile) error = Math.max(error, relativeError(point.value, other.value));
    else if (!sameSum(point.value, other.value)) mismatches.push(`points[${i}].value: ${point.value} ≠ ${other.value}`);
  });
  return { agree: mismatches.length === 0, mismatches, error, percentiles: isPercentile };
}

// Percentile fields: p10…p99 alone or in a name (p95_ms, p50_latency_ms).
const PERCENTILE_KEY = /(?:^|_)p\d\d(?:_|$)/;

/**
 * Two answers to one question, field by field: percentiles (and the fields the auto answer lists
 * as approximate) by their relative error, every other number to 1e-9, everything else equal.
 * `approximate` and compare's deltas (differences of compared figures) are left out.
 */
function compareAnswers(auto, exact) {
  const approximate = Array.isArray(auto?.approximate) ? auto.approximate : [];
  const isApproximate = (path, key) =>
    PERCENTILE_KEY.test(key) || approximate.some((name) => path === name || path.startsWith(`${name}.`) || key === name);
  const result = { agree: true, mismatches: [], error: 0, percentiles: false };
  const differ = (path, a, b) => {
    result.agree = false;
    if (result.mismatches.length < 3) result.mismatches.push(`${path}: ${JSON.stringify(a)?.slice(0, 80)} ≠ ${JSON.stringify(b)?.slice(0, 80)}`);
  };
  const walk = (a, b, path, key) => {
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length) differ(`${path}.length`, a.length, b.length);
      for (let i = 0; i < Math.min(a.length, b.length); i += 1) walk(a[i], b[i], `${path}[${i}]`, key);
    } else if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (k === 'approximate' || k.startsWith('delta_')) continue;
        walk(a[k], b[k], path === '' ? k : `${path}.${k}`, k);
      }
    } else if (isApproximate(path.replace(/\[\d+\]/g, ''), key) && (typeof a === 'number' || typeof b === 'number')) {
      result.percentiles = true;
      result.error = Math.max(result.error, relativeError(a ?? null, b ?? null));
    } else if (typeof a === 'number' && typeof b === 'number') {
      if (!sameSum(a, b)) differ(path, a, b);
    } else if (a !== b) differ(path, a, b);
  };
  walk(JSON.parse(JSON.stringify(auto)), JSON.parse(JSON.stringify(exact)), '', '');
  return result;
}

/**
 * The window functions' options. Their signatures are moving from `(db, params, now)` to
 * `(db, params, { now, mode })` (ReadOptions); this value is both a Date and those options, so
 * the bench asks each function the same way whichever spelling it has today (one with `now`
 * alone ignores `mode`: its auto and exact answers are then both raw).
 */
function readOptions(nowMs, mode) {
  return Object.assign(new Date(nowMs), { now: new Date(nowMs), mode });
}

/** Every question of one window: its route and query, and the same question to @convotel/query. */
function questionsOf(window, hours) {
  const { from, to } = window;
  const middle = new Date((Date.parse(from) + Date.parse(to)) / 2).toISOString();
  const questions = [
    { route: 'GET /overview', path: '/overview', query: window, ask: (db, o) => getOverview(db, window, o), compare: compareOverviews },
  ];
  for (const [metric, interval] of [
    ['turns', 'hour'],
    ['cost_usd', 'day'],
    ['llm_calls', 'hour'],
    ['turn_p95_ms', 'day'],
    ['conversations', 'day'],
  ]) {
    questions.push({
      route: `GET /timeseries ${metric}/${interval}`,
      path: '/timeseries',
      query: { ...window, metric, interval },
      ask: (db, o) => getTimeseries(db, { ...window, metric, interval }, o, { mode: o.mode }),
      compare: (a, b) => compareSeries(a, b, metric === 'turn_p95_ms'),
    });
  }
  questions.push({ route: 'GET /steps/stats', path: '/steps/stats', query: window, ask: (db, o) => getStepStats(db, window, o) });
  for (const groupBy of ['model', 'provider', 'call_type', 'user', 'function', 'agent']) {
    questions.push({
      route: `GET /llm-calls/analysis ${groupBy}`,
      path: '/llm-calls/analysis',
      query: { ...window, group_by: groupBy },
      ask: (db, o) => getLlmAnalysis(db, { ...window, groupBy }, o),
    });
  }
  for (const [by, interval] of [['model'], ['user'], ['agent'], ['model', 'day']]) {
    const query = interval === undefined ? { ...window, by } : { ...window, by, interval };
    questions.push({ route: `GET /costs ${by}${interval === undefined ? '' : `/${interval}`}`, path: '/costs', query, ask: (db, o) => getCosts(db, { ...window, by, interval }, o) });
  }
  questions.push(
    { route: 'GET /errors', path: '/errors', query: window, ask: (db, o) => getErrorAnalysis(db, window, o) },
    { route: 'GET /sql-queries/analysis', path: '/sql-queries/analysis', query: window, ask: (db, o) => getSqlAnalysis(db, window, o) },
    {
      route: 'GET /compare (halves)',
      path: '/compare',
      query: { before_from: from, before_to: middle, after_from: middle, after_to: to },
      ask: (db, o) => getCompare(db, { beforeFrom: from, beforeTo: middle, afterFrom: middle, afterTo: to }, o),
    },
    { route: 'GET /busiest-hours', path: '/busiest-hours', query: window, ask: (db, o) => getBusiestHours(db, window, o) },
    { route: 'GET /llm-calls', path: '/llm-calls', query: window, ask: (db, o) => listLlmCalls(db, window, o) },
  );
  for (const sort of ['recent', 'slowest', 'costliest']) {
    questions.push({ route: `GET /conversations ${sort}`, path: '/conversations', query: { ...window, sort }, ask: (db, o) => listConversations(db, { ...window, sort }, o) });
  }
  return questions.map((question) => ({ compare: compareAnswers, ...question, hours }));
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
    const t = loaded.totals;
    const rows = t.llmCalls + t.turns + t.steps + t.dbQueries + t.conversations;
    log(
      `  loaded ${fmt(t.llmCalls)} calls, ${fmt(t.turns)} turns, ${fmt(t.steps)} steps, ${fmt(t.dbQueries)} SQL spans, ${fmt(t.conversations)} conversations ` +
        `with COPY in ${fmt(loaded.loadSeconds, 1)} s (${fmt(rows / loaded.loadSeconds)} rows/s); v2 rollups ${fmt(loaded.rollupSeconds, 1)} s; ` +
        `migrations ${loaded.applied.join(', ')} (with their backfills) ${fmt(loaded.migrateSeconds, 1)} s`,
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
    const auto = readOptions(nowMs, 'auto');
    const exact = readOptions(nowMs, 'exact');
    // Fixed ends (the load took a while): the route and both computations answer the same window.
    const windowOf = (hours) => ({ from: new Date(nowMs - hours * HOUR_MS).toISOString(), to: new Date(nowMs).toISOString() });
    const table = [];
    for (const [label, hours] of [
      ['24 h', 24],
      ['30 d', DAYS * 24],
    ]) {
      for (const question of questionsOf(windowOf(hours), hours)) {
        if (process.stdout.isTTY) process.stdout.write(`\r\x1b[K  measuring ${question.route} (${label})`);
        const routed = await measure(() => get(question.path, question.query));
        const queried = await measure(() => question.ask(db, auto));
        const raw = await measure(() => question.ask(db, exact));
        const approximate = routed.value.approximate ?? queried.value.approximate;
        table.push({
          route: question.route,
          window: label,
          route_ms: routed,
          query_ms: queried,
          raw_ms: raw,
          ...question.compare(queried.value, raw.value),
          approximate: Array.isArray(approximate) ? approximate : [],
        });
      }
    }
    // Single rows, no window: the detail pages of random conversations and turns.
    const { rows: picks } = await store.withClient((client) =>
      client.query(`SELECT conversation_id, (SELECT trace_id FROM traces t WHERE t.conversation_id = c.conversation_id LIMIT 1) AS trace_id
                      FROM conversations c ORDER BY random() LIMIT ${SAMPLES + 1}`),
    );
    const cycle = (key) => {
      let next = 0;
      return () => picks[next++ % picks.length][key];
    };
    for (const [route, path, key, ask] of [
      ['GET /conversations/:id', '/conversations/', 'conversation_id', getConversation],
      ['GET /traces/:id', '/traces/', 'trace_id', getTrace],
    ]) {
      const routeId = cycle(key);
      const queryId = cycle(key);
      table.push({
        route,
        window: '—',
        route_ms: await measure(() => get(`${path}${routeId()}`, {})),
        query_ms: await measure(() => ask(db, queryId())),
      });
    }
    if (process.stdout.isTTY) process.stdout.write('\r\x1b[K');
    printTable(table);
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

// The raw tables the answers are computed from; every other table of the schema is derived from them.
const RAW_TABLES = ['conversations', 'traces', 'llm_calls', 'steps', 'db_queries', 'events', 'histogram_bounds'];

async function logRollupSizes(store) {
  const derived = TABLES.map((table) => table.name).filter((name) => !RAW_TABLES.includes(name));
  const { rows } = await store.withClient((client) =>
    client.query(
      `SELECT t.name, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', t.name), false, true, '')))[1]::text::bigint AS rows,
              pg_total_relation_size(t.name::regclass) AS bytes
         FROM unnest($1::text[]) AS t(name)`,
      [[...derived, 'llm_calls', 'traces', 'steps', 'db_queries']],
    ),
  );
  const { rows: buckets } = await store.withClient((client) => client.query('SELECT avg(cardinality(duration_bucket_index))::float8 AS n FROM turn_hourly'));
  const mb = (bytes) => `${fmt(Number(bytes) / 1048576)} MB`;
  const ofDerived = rows.filter((r) => derived.includes(r.name));
  const raw = rows.filter((r) => !derived.includes(r.name)).reduce((sum, r) => sum + Number(r.bytes), 0);
  log(`  derived tables (${fmt(buckets[0].n, 1)} duration buckets per turn_hourly row on average):`);
  log(`    ${ofDerived.map((r) => `${r.name} ${fmt(Number(r.rows))} rows, ${mb(r.bytes)}`).join('; ')}`);
  log(`    together ${mb(ofDerived.reduce((sum, r) => sum + Number(r.bytes), 0))} beside ${mb(raw)} of llm_calls, traces, steps and db_queries`);
}

function errorCell(row) {
  if (row.raw_ms === undefined) return '';
  if (!row.percentiles) return '—';
  if (row.error === 0 && row.approximate.length === 0) return 'exact';
  return `${fmt(row.error * 100, 2)}%`;
}

function printTable(rows) {
  const header = ['route', 'window', 'p50 ms', 'p95 ms', 'query p95', 'raw p95', 'raw/query', 'counts = raw', 'pct error', 'approximate'];
  const lines = rows.map((row) => [
    row.route,
    row.window,
    fmt(row.route_ms.p50, 1),
    fmt(row.route_ms.p95, 1),
    fmt(row.query_ms.p95, 1),
    row.raw_ms === undefined ? '' : fmt(row.raw_ms.p95, 1),
    row.raw_ms === undefined ? '' : `${fmt(row.raw_ms.p95 / row.query_ms.p95, 1)}×`,
    row.agree === undefined ? '' : row.agree ? 'yes' : 'NO',
    errorCell(row),
    row.approximate === undefined ? '' : row.approximate.join(', '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i].length)));
  const left = (i) => i < 2 || i === header.length - 1;
  const render = (cells) => `| ${cells.map((cell, i) => (left(i) ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  log('');
  log(render(header));
  log(`|${widths.map((w, i) => (left(i) ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const line of lines) log(render(line));
  log('');
  log(`p50/p95: up to ${SAMPLES} requests each through HTTP after one warm-up (fewer, at least ${MIN_SAMPLES}, once a cell has taken`);
  log(`${fmt(BUDGET_MS)} ms: p95 is then the slowest run); the API picks rollups beyond 48 h. query p95: the same question through`);
  log('@convotel/query in auto mode, no HTTP; raw p95: in exact mode (raw rows), no HTTP; raw/query: their ratio (~1× where a question');
  log('has no rollup path yet). counts = raw: every other field of the two answers equal (numbers to 1e-9). pct error: largest relative');
  log('error of the percentile fields (p10…p99, p95_ms, p95_latency_ms, …, and the fields listed as approximate) of the auto answer');
  log("against the exact one; — where the answer has none. approximate: the answer's own list.");
  const detail = rows.find((row) => row.route === 'GET /conversations/:id');
  if (detail !== undefined) {
    log(`GET /conversations/:id: p95 ${fmt(detail.route_ms.p95, 1)} ms against the goal of ${CONVERSATION_DETAIL_GOAL_MS} ms (${detail.route_ms.p95 < CONVERSATION_DETAIL_GOAL_MS ? 'met' : 'NOT met'}).`);
  }
  const disagreements = rows.filter((row) => row.agree === false);
  if (disagreements.length > 0) {
    log('');
    log('Where auto and exact answers differ:');
    for (const row of disagreements) log(`  ${row.route} (${row.window}): ${row.mismatches.join('; ')}`);
  }
}

await main();
