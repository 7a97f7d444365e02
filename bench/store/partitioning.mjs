// Partitioning benchmark: the raw tables before (schema 0009, one table each) and after (0010,
// weekly range partitions), side by side on the same rows. Generates N raw rows over --days days
// ending now with INSERT … SELECT generate_series in SQL (not through the ingest: ten million
// rows through it would take hours here; the rows have the columns and spread the queries read)
// into a database at 0009, copies it (CREATE DATABASE … TEMPLATE) and upgrades the copy to 0010,
// timing the upgrade. Then, on both, --repeat times each: 30-day and 24-hour exact-path queries of
// the API (overview, LLM analysis by model and by user, through @convotel/query in `exact` mode);
// then retention (`cleanup`, the ingest's timer's code) stepping its cutoff day by day and to
// week ends: rows deleted vs partitions dropped. Prints table sizes.
//
// Usage: npm run build && node bench/store/partitioning.mjs [-- --rows 10000000 --days 30 --repeat 3 --keep]
// --rows 200000 checks the script in a minute. Needs PostgreSQL at 127.0.0.1:5432 (user postgres,
// trust auth) or CONVOTEL_BENCH_ADMIN_URL. Creates and drops its own two databases.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createReadDb, getLlmAnalysis, getOverview } from '@convotel/query';
import { cleanup, createPostgresStore, migrate, readMigrations } from '@convotel/store';
import pg from 'pg';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    days: { type: 'string', default: '30' },
    repeat: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
});
const ROWS = Number(args.rows);
const DAYS = Number(args.days);
const REPEAT = Number(args.repeat);
const ADMIN_URL = process.env.CONVOTEL_BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DAY_MS = 86_400_000;
const BEFORE = 'convotel_bench_part_0009';
const AFTER = 'convotel_bench_part_0010';
// Raw rows by table: a call has about one step beside it, a tenth of the spans are SQL, a tenth of the rows log records.
const SHARES = { llm_calls: 0.4, steps: 0.4, db_queries: 0.1, events: 0.1 };

const log = (line) => console.log(line);
const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const urlOf = (name) => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
};

async function admin(sql) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** VACUUM ANALYZE on a connection of its own (no statement limits): fresh statistics and visibility maps on both sides. */
async function vacuum(name) {
  const client = new pg.Client({ connectionString: urlOf(name) });
  await client.connect();
  try {
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}

async function timed(work) {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

/** The generation, one statement per table; `now` fixed so both databases hold the same rows. */
function generationSql(nowIso) {
  const n = (table) => Math.round(ROWS * SHARES[table]);
  const conversations = Math.max(1, Math.round(ROWS / 200));
  const traces = Math.max(1, Math.round(ROWS / 40));
  // Row g's time: spread evenly over the window (newest first), a little jitter.
  const at = (count) => `timestamptz '${nowIso}' - ((g - 1 + random() * 0.5) * ${DAYS * DAY_MS} / ${count}) * interval '1 millisecond'`;
  const conversation = `'c' || (g % ${conversations})`;
  const trace = `'t' || (g % ${traces})`;
  return [
    [`conversations`, `INSERT INTO conversations (conversation_id, service_name, agent_name, channel, user_id, started_at, ended_at, first_seen_at, last_seen_at, duration_ms, status, turns, llm_calls, cost_usd)
      SELECT 'c' || g, 'svc', 'agent-' || (g % 5), CASE WHEN g % 3 = 0 THEN 'voice' ELSE 'chat' END, 'u' || (g % 1000), t, t + interval '5 minutes', t, t + interval '5 minutes', 300000,
             CASE WHEN g % 50 = 0 THEN 'error' ELSE 'completed' END, 8, 16, 0.02
        FROM generate_series(0, ${conversations - 1}) g, LATERAL (SELECT ${at(conversations)} AS t) x`],
    [`traces`, `INSERT INTO traces (trace_id, conversation_id, has_genai, service_name, root_is_turn, started_at, ended_at, duration_ms, status, first_seen_at, last_seen_at, turn_index)
      SELECT 't' || g, ${conversation}, true, 'svc', true, t, t + interval '2 seconds', 2000 + (g % 997), CASE WHEN g % 40 = 0 THEN 'error' ELSE 'ok' END, t, t, g % 20
        FROM generate_series(0, ${traces - 1}) g, LATERAL (SELECT ${at(traces)} AS t) x`],
    [`llm_calls`, `INSERT INTO llm_calls (trace_id, span_id, conversation_id, user_id, session_id, billing, span_name, provider, request_model, response_model, operation, call_type,
         input_tokens, output_tokens, cache_read_tokens, total_tokens, cost_usd, cost_source, started_at, ended_at, duration_ms, ttft_ms, finish_reason, status, error_type,
         attributes, source_keys, scope_name, flavour, service_name)
      SELECT ${trace}, 'l' || g, ${conversation}, 'u' || (g % 1000), 's' || (g % 20000), 'call', 'chat gpt-4o', CASE WHEN g % 4 = 0 THEN 'anthropic' ELSE 'openai' END,
             m, m, 'chat', 'chat', 500 + g % 1500, 100 + g % 400, g % 300, 600 + g % 1900, (g % 1000) * 0.000003, 'computed', t, t + (400 + g % 3000) * interval '1 millisecond',
             400 + g % 3000, 150 + g % 500, 'stop', CASE WHEN g % 50 = 0 THEN 'error' ELSE 'ok' END, CASE WHEN g % 50 = 0 THEN 'RateLimitError' END,
             '{"gen_ai.system":"openai"}', '{}', 'openai', 'genai', 'svc'
        FROM generate_series(1, ${n('llm_calls')}) g,
             LATERAL (SELECT ${at(n('llm_calls'))} AS t, (ARRAY['gpt-4o','gpt-4o-mini','claude-sonnet-4','o3-mini','gpt-4.1'])[1 + g % 5] AS m) x`],
    [`steps`, `INSERT INTO steps (trace_id, span_id, conversation_id, kind, name, span_name, started_at, ended_at, duration_ms, status, attributes, source_keys, scope_name, flavour, service_name)
      SELECT ${trace}, 's' || g, ${conversation}, CASE WHEN g % 3 = 0 THEN 'tool' ELSE 'step' END, (ARRAY['stt','tts','retrieval','lookup'])[1 + g % 4], 'step', t,
             t + (50 + g % 900) * interval '1 millisecond', 50 + g % 900, CASE WHEN g % 80 = 0 THEN 'error' ELSE 'ok' END, '{}', '{}', 'convotel', 'convotel', 'svc'
        FROM generate_series(1, ${n('steps')}) g, LATERAL (SELECT ${at(n('steps'))} AS t) x`],
    [`db_queries`, `INSERT INTO db_queries (trace_id, span_id, conversation_id, system, db_name, operation, statement, started_at, duration_ms, returned_rows, status, scope_name, service_name)
      SELECT ${trace}, 'd' || g, ${conversation}, 'postgresql', 'app', 'SELECT', 'SELECT * FROM orders WHERE id = ?' || (g % 50), t, 1 + g % 200, g % 10, 'ok', 'pg', 'svc'
        FROM generate_series(1, ${n('db_queries')}) g, LATERAL (SELECT ${at(n('db_queries'))} AS t) x`],
    [`events`, `INSERT INTO events (event_id, time, severity_number, severity_text, name, message, attributes, conversation_id, trace_id, scope_name, service_name)
      SELECT md5(g::text), t, 9, 'INFO', 'agent.state', 'state changed to listening', '{}', ${conversation}, ${trace}, 'agent', 'svc'
        FROM generate_series(1, ${n('events')}) g, LATERAL (SELECT ${at(n('events'))} AS t) x`],
  ];
}

async function tableSizes(store) {
  const { rows } = await store.withClient((client) =>
    client.query(
      `SELECT t.name, count(*) FILTER (WHERE c.relispartition) AS parts, sum(pg_table_size(c.oid)) AS heap, sum(pg_indexes_size(c.oid)) AS indexes, sum(c.reltuples) AS est
         FROM unnest(ARRAY['llm_calls','steps','db_queries','events','traces','conversations']) WITH ORDINALITY AS t(name, n)
         JOIN pg_class c ON c.oid = t.name::regclass AND c.relkind = 'r' OR c.oid IN (SELECT relid FROM pg_partition_tree(t.name::regclass) WHERE isleaf)
        GROUP BY t.name, t.n ORDER BY t.n`,
    ),
  );
  return rows;
}

async function countRows(store, table) {
  const { rows } = await store.withClient((client) => client.query(`SELECT count(*)::bigint AS n FROM ${table}`));
  return Number(rows[0].n);
}

const mb = (bytes) => `${fmt(Number(bytes) / 1048576)} MB`;
const range = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 1 ? `${fmt(sorted[0])} ms` : `${fmt(sorted[0])}–${fmt(sorted.at(-1))} ms (median ${fmt(sorted[Math.floor(sorted.length / 2)])})`;
};

async function main() {
  const nowMs = Date.now();
  const nowIso = new Date(nowMs).toISOString();
  const migrations = await readMigrations();
  const upTo0009 = migrations.filter((migration) => migration.version <= 9);
  log(`Partitioning bench: ${fmt(ROWS)} raw rows over ${DAYS} days (generated in SQL), ${REPEAT} runs per figure; PostgreSQL at ${new URL(ADMIN_URL).host}`);
  for (const name of [BEFORE, AFTER]) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${BEFORE}`);
  const before = createPostgresStore({ connectionString: urlOf(BEFORE), statementTimeoutMillis: 3_600_000, writeTimeoutMillis: 3_600_000 });
  let after;
  try {
    await migrate(before, upTo0009);
    let generated = 0;
    const client = new pg.Client({ connectionString: urlOf(BEFORE) });
    await client.connect();
    try {
      for (const [table, sql] of generationSql(nowIso)) {
        const { value, ms } = await timed(() => client.query(sql));
        log(`  generated ${fmt(value.rowCount)} ${table} rows in ${fmt(ms / 1000, 1)} s (${fmt(value.rowCount / (ms / 1000))} rows/s, indexes kept up)`);
        if (table !== 'conversations' && table !== 'traces') generated += value.rowCount;
      }
    } finally {
      await client.end();
    }
    await vacuum(BEFORE);
    log(`  ${fmt(generated)} raw rows at schema 0009`);
    await before.close();

    const copy = await timed(() => admin(`CREATE DATABASE ${AFTER} TEMPLATE ${BEFORE}`));
    log(`  copied the database in ${fmt(copy.ms / 1000, 1)} s`);
    after = createPostgresStore({ connectionString: urlOf(AFTER), statementTimeoutMillis: 3_600_000, writeTimeoutMillis: 3_600_000 });
    const upgrade = await timed(() => migrate(after));
    log(`Upgrade 0009 → 0010 (migrations ${upgrade.value.applied.join(', ')}): ${fmt(generated)} raw rows in ${fmt(upgrade.ms / 1000, 1)} s (${fmt(generated / (upgrade.ms / 1000))} rows/s)`);
    await vacuum(AFTER);

    const stores = { '0009': createPostgresStore({ connectionString: urlOf(BEFORE), statementTimeoutMillis: 3_600_000, writeTimeoutMillis: 3_600_000 }), '0010': after };
    try {
      log('');
      log('Table sizes (heap + indexes; 0010: summed over partitions)');
      const sizes = { '0009': await tableSizes(stores['0009']), '0010': await tableSizes(stores['0010']) };
      for (const [i, row] of sizes['0009'].entries()) {
        const next = sizes['0010'][i];
        log(`  ${row.name.padEnd(14)} ~${fmt(Number(row.est)).padStart(11)} rows   0009: ${mb(row.heap)} + ${mb(row.indexes)} idx   0010: ${mb(next.heap)} + ${mb(next.indexes)} idx in ${next.parts} partition(s)`);
      }

      log('');
      log(`Exact-path queries (@convotel/query, mode exact), ${REPEAT} runs each, interleaved`);
      const windowOf = (days) => ({ from: new Date(nowMs - days * DAY_MS).toISOString(), to: nowIso });
      const exact = { now: new Date(nowMs), mode: 'exact' };
      const questions = [];
      for (const [label, days] of [['30 d', DAYS], ['24 h', 1]]) {
        const window = windowOf(days);
        questions.push([`overview (${label})`, (db) => getOverview(db, window, exact)]);
        questions.push([`LLM analysis by model (${label})`, (db) => getLlmAnalysis(db, { ...window, groupBy: 'model' }, exact)]);
        questions.push([`LLM analysis by user (${label})`, (db) => getLlmAnalysis(db, { ...window, groupBy: 'user' }, exact)]);
      }
      const dbs = { '0009': createReadDb(stores['0009'], { statementTimeoutMillis: 600_000 }), '0010': createReadDb(stores['0010'], { statementTimeoutMillis: 600_000 }) };
      for (const [label, ask] of questions) {
        const times = { '0009': [], '0010': [] };
        const answers = {};
        for (let run = 0; run < REPEAT; run += 1) {
          for (const version of ['0009', '0010']) {
            const { value, ms } = await timed(() => ask(dbs[version]));
            times[version].push(ms);
            answers[version] = JSON.stringify(value);
          }
        }
        const same = answers['0009'] === answers['0010'] ? 'same answer' : 'ANSWERS DIFFER';
        log(`  ${label.padEnd(32)} 0009: ${range(times['0009']).padEnd(34)} 0010: ${range(times['0010']).padEnd(34)} ${same}`);
      }

      log('');
      log(`Retention (cleanup, the retention timer's code): the cutoff stepped from the oldest rows, the same steps on both`);
      // Mondays 00:00 UTC after the oldest row: the week ends where 0010 drops a partition.
      const oldest = nowMs - DAYS * DAY_MS;
      const firstMonday = (() => {
        const d = new Date(oldest);
        const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
        return day.getTime() + (((8 - day.getUTCDay()) % 7) || 7) * DAY_MS;
      })();
      const steps = [
        ['to the first week end (0010 drops the oldest partition)', firstMonday],
        ['1 day further (0010: deletes in the boundary week)', firstMonday + DAY_MS],
        ['1 day further', firstMonday + 2 * DAY_MS],
        ['1 day further', firstMonday + 3 * DAY_MS],
        ['to the next week end (0010 drops the partition)', firstMonday + 7 * DAY_MS],
        ['to the next week end (0010 drops the partition)', firstMonday + 14 * DAY_MS],
      ];
      const raw = ['llm_calls', 'steps', 'db_queries', 'events'];
      for (const [label, cutoff] of steps) {
        const cells = [];
        for (const version of ['0009', '0010']) {
          // cleanup's cutoff is now − days: the day count that puts it at `cutoff` from this now.
          const { value, ms } = await timed(() => cleanup(stores[version], (nowMs - cutoff) / DAY_MS, new Date(nowMs)));
          const removed = raw.reduce((sum, table) => sum + (value.deleted[table] ?? 0), 0);
          cells.push(`${version}: ${fmt(ms).padStart(7)} ms, ${fmt(removed).padStart(10)} raw rows${value.dropped.length > 0 ? ` (${value.dropped.length} partitions dropped)` : ''}`);
        }
        log(`  cutoff ${new Date(cutoff).toISOString().slice(0, 16)} ${label}`);
        log(`      ${cells.join('   ')}`);
      }
      const left = { '0009': await countRows(stores['0009'], 'llm_calls'), '0010': await countRows(stores['0010'], 'llm_calls') };
      log(`  llm_calls rows left: 0009 ${fmt(left['0009'])}, 0010 ${fmt(left['0010'])}`);
      log('');
      log('Table sizes after retention (0009 keeps the deleted rows\' space until VACUUM reuses it)');
      const later = { '0009': await tableSizes(stores['0009']), '0010': await tableSizes(stores['0010']) };
      for (const [i, row] of later['0009'].entries()) {
        const next = later['0010'][i];
        log(`  ${row.name.padEnd(14)} 0009: ${mb(row.heap)} + ${mb(row.indexes)} idx   0010: ${mb(next.heap)} + ${mb(next.indexes)} idx in ${next.parts} partition(s)`);
      }
    } finally {
      await stores['0009'].close();
    }
  } finally {
    await after?.close();
    if (!args.keep) for (const name of [BEFORE, AFTER]) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

await main();
