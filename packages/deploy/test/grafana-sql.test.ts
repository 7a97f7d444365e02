// Every SQL query of every provisioned dashboard (panel targets, variables) and alert rule, run
// on the real PostgreSQL against the migrated schema, on conversations posted through the
// ingest, with Grafana's variables ("All", one value, two values) and macros expanded.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { VOICE_STAGES } from '@convotel/semconv';
import { createPostgresStore, type Store } from '@convotel/store';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type MacroContext, parseInterval, renderQuery, type VariableValue } from '../src/grafana-macros.js';
import { readGrafanaFiles, type GrafanaFiles } from '../src/grafana-provisioning.js';
import { type GrafanaQuery, listAlertQueries, listDashboardQueries } from '../src/grafana-queries.js';
import { seedThroughIngest, type SeededConversation } from './grafana-seed.js';

const ADMIN_URL = process.env['CONVOTEL_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const GRAFANA_DIR = fileURLToPath(new URL('../../../grafana/', import.meta.url));
const HOUR = 3_600_000;
// PostgreSQL type oids Grafana reads as numbers (int2, int4, int8, float4, float8, numeric).
const NUMERIC_OIDS = new Set([20, 21, 23, 700, 701, 1700]);

let files: GrafanaFiles;
let store: Store;
let client: pg.Client;
let databaseName: string;
let seeded: SeededConversation[];
const nowMs = Date.now();

async function admin(sql: string): Promise<void> {
  const connection = new pg.Client({ connectionString: ADMIN_URL });
  await connection.connect();
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}

beforeAll(async () => {
  files = await readGrafanaFiles(GRAFANA_DIR);
  databaseName = `convotel_test_grafana_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${databaseName}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${databaseName}`;
  // The ingest migrates the store it is handed before it listens.
  store = createPostgresStore({ connectionString: url.toString() });
  seeded = await seedThroughIngest(store, nowMs);
  client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
}, 60_000);

afterAll(async () => {
  await client?.end();
  await store?.close();
  if (databaseName !== undefined) await admin(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
});

interface Run {
  readonly columns: readonly string[];
  readonly types: readonly number[];
  readonly rows: readonly Record<string, unknown>[];
}

async function run(sql: string): Promise<Run> {
  const result = await client.query(sql);
  return { columns: result.fields.map((field) => field.name), types: result.fields.map((field) => field.dataTypeID), rows: result.rows as Record<string, unknown>[] };
}

type Json = Record<string, unknown>;
const variablesOf = (dashboard: unknown): Json[] => ((dashboard as { templating?: { list?: Json[] } }).templating?.list ?? []);

/** The options a query variable offers: its query's `__value` column, else its first. */
async function optionsOf(variable: Json, values: Readonly<Record<string, VariableValue>>, context: MacroContext): Promise<string[]> {
  const result = await run(renderQuery(String(variable['query']), values, context));
  const column = result.columns.includes('__value') ? '__value' : (result.columns[0] as string);
  return result.rows.map((row) => String(row[column] ?? ''));
}

type Choice = 'all' | 'one' | 'two';

/** A dashboard's variables as Grafana would set them: query variables to All, their first value or first two; constants and text boxes to their value. */
async function variableValues(dashboard: unknown, choice: Choice, context: MacroContext): Promise<Record<string, VariableValue>> {
  const values: Record<string, VariableValue> = {};
  for (const variable of variablesOf(dashboard)) {
    const name = String(variable['name']);
    if (variable['type'] === 'query') {
      // Variables are resolved in order, so a later one may use an earlier one.
      const options = await optionsOf(variable, values, context);
      // With one value of each earlier variable a later one may offer nothing (Grafana then sends an empty value).
      if (choice === 'all') expect(options.length, `variable ${name} offers no value on the seeded data`).toBeGreaterThan(0);
      if (options.length === 0) options.push('');
      const quoted = variable['multi'] === true || variable['includeAll'] === true;
      if (!quoted) values[name] = { value: options[0] as string, quoted };
      else values[name] = { value: choice === 'all' ? options : choice === 'one' ? options.slice(0, 1) : options.slice(0, 2), quoted };
    } else {
      values[name] = { value: String(variable['query'] ?? ''), quoted: false };
    }
  }
  return values;
}

const CONTEXTS: readonly { readonly label: string; readonly context: MacroContext }[] = [
  { label: 'last 24 hours at 1m', context: { from: new Date(nowMs - 24 * HOUR), to: new Date(nowMs), intervalMs: 60_000 } },
  { label: 'last 30 days at 1h', context: { from: new Date(nowMs - 30 * 24 * HOUR), to: new Date(nowMs), intervalMs: HOUR } },
];

describe('dashboards against the migrated schema', () => {
  test('the seed went through the ingest: every table a dashboard reads holds rows', async () => {
    expect(seeded).toHaveLength(3);
    for (const table of ['conversations', 'turns', 'steps', 'llm_calls', 'events', 'turn_hourly', 'conversation_hourly', 'llm_hourly', 'llm_daily']) {
      const { rows } = await run(`SELECT count(*)::int AS n FROM ${table}`);
      expect(rows[0]?.['n'], table).toBeGreaterThan(0);
    }
  });

  test('every dashboard has queries, and every query goes to the postgres datasource', () => {
    for (const { file, json } of files.dashboards) {
      const queries = listDashboardQueries(json);
      expect(queries.length, file).toBeGreaterThan(0);
      for (const query of queries) expect(query.datasourceUid, `${file} ${query.location}`).toBe('postgres');
    }
  });

  for (const { label, context } of CONTEXTS) {
    for (const choice of ['all', 'one', 'two'] as const) {
      test(`every panel and variable query runs (${label}, variables: ${choice}) and returns the columns its panel names`, async () => {
        for (const { file, json } of files.dashboards) {
          const values = await variableValues(json, choice, context);
          for (const query of listDashboardQueries(json)) {
            const intervalMs = Math.max(context.intervalMs, query.minInterval === undefined ? 0 : parseInterval(query.minInterval));
            const sql = renderQuery(query.text, values, { ...context, intervalMs });
            let result: Run;
            try {
              result = await run(sql);
            } catch (error) {
              throw new Error(`${file} ${query.location} failed: ${(error as Error).message}\n${sql}`, { cause: error });
            }
            for (const column of query.expectedColumns) expect(result.columns, `${file} ${query.location} lacks ${column}`).toContain(column);
            if (query.format === 'time_series') {
              // Grafana's time series need the time column and at least one numeric value column.
              const numeric = result.types.filter((type, i) => NUMERIC_OIDS.has(type) && result.columns[i] !== 'time');
              expect(numeric.length, `${file} ${query.location} returns no numeric column`).toBeGreaterThan(0);
            }
            // With every value selected over the seeded range, every panel shows something.
            if (choice === 'all' && query.kind === 'panel') expect(result.rows.length, `${file} ${query.location} is empty on the seeded data`).toBeGreaterThan(0);
          }
        }
      });
    }
  }

  test('narrowing a variable narrows the data: one service shows fewer turns than All', async () => {
    const overview = files.dashboards.find(({ json }) => (json as Json)['uid'] === 'convotel-overview')?.json;
    const turns = listDashboardQueries(overview).find((query) => query.location.includes('"Turns"')) as GrafanaQuery;
    const context = CONTEXTS[0]?.context as MacroContext;
    const count = async (choice: Choice): Promise<number> => Number((await run(renderQuery(turns.text, await variableValues(overview, choice, context), context))).rows[0]?.['turns']);
    expect(await count('all')).toBe(7);
    expect(await count('one')).toBeLessThan(7);
  });

  test('percentiles and the SLA share read from the rollups\' histograms match the raw turns within 1%', async () => {
    const overview = files.dashboards.find(({ json }) => (json as Json)['uid'] === 'convotel-overview')?.json;
    const queries = listDashboardQueries(overview);
    // One time bucket over the whole range, so the panel's one row covers every turn.
    const context: MacroContext = { from: new Date(nowMs - 24 * HOUR), to: new Date(nowMs), intervalMs: 30 * 24 * HOUR };
    const values = { ...(await variableValues(overview, 'all', context)), sla_ms: { value: '3200', quoted: false } };
    const rowOf = async (place: string): Promise<Record<string, unknown>> => {
      const query = queries.find((candidate) => candidate.location.includes(place)) as GrafanaQuery;
      const { rows } = await run(renderQuery(query.text, values, context));
      expect(rows, place).toHaveLength(1);
      return rows[0] as Record<string, unknown>;
    };
    const durations = (await run('SELECT duration_ms FROM turns ORDER BY duration_ms')).rows.map((row) => Number(row['duration_ms']));
    const atRank = (p: number): number => durations[Math.floor(p * (durations.length - 1))] as number;
    const percentiles = await rowOf('"Turn duration and perceived latency percentiles" target A');
    for (const [p, column] of [[0.5, 'duration p50'], [0.95, 'duration p95'], [0.99, 'duration p99']] as const) {
      expect(Math.abs(Number(percentiles[column]) - atRank(p)) / atRank(p), column).toBeLessThanOrEqual(0.01);
    }
    const perceived = (await run('SELECT perceived_latency_ms AS ms FROM turns ORDER BY 1')).rows.map((row) => Number(row['ms']));
    const p95 = Number((await rowOf('"Perceived latency p95"'))['p95_ms']);
    const exact = perceived[Math.floor(0.95 * (perceived.length - 1))] as number;
    expect(Math.abs(p95 - exact) / exact).toBeLessThanOrEqual(0.01);
    // Turns last 3000, 3060, 3120, 3250, 3310, 3370 and 3500 ms: three of seven within 3200 ms.
    expect(durations).toEqual([3000, 3060, 3120, 3250, 3310, 3370, 3500]);
    expect(Number((await rowOf('"Turns within SLA" target A'))['within_sla'])).toBeCloseTo((100 * 3) / 7, 6);
  });

  test('the drill-down lists the seeded conversation\'s turns with trace ids that link to Tempo', async () => {
    const drill = files.dashboards.find(({ json }) => (json as Json)['uid'] === 'convotel-conversation')?.json;
    const turns = listDashboardQueries(drill).find((query) => query.location.includes('"Turns of')) as GrafanaQuery;
    const conversation = seeded[0] as SeededConversation;
    const context = CONTEXTS[0]?.context as MacroContext;
    const values = { ...(await variableValues(drill, 'all', context)), conversation: { value: conversation.conversationId, quoted: false } };
    const { rows } = await run(renderQuery(turns.text, values, context));
    expect(rows.map((row) => row['trace_id'])).toEqual(conversation.traceIds);
    expect(turns.expectedColumns).toEqual(expect.arrayContaining(['trace_id', 'from_ms', 'to_ms', 'service_name']));
  });
});

describe('the voice-to-voice panels on the seeded voice turns', () => {
  const voice = (): unknown => files.dashboards.find(({ json }) => (json as Json)['uid'] === 'convotel-voice-pipeline')?.json;
  const panelQuery = (title: string): GrafanaQuery => {
    const query = listDashboardQueries(voice()).find((candidate) => candidate.location.includes(`"${title}"`));
    if (query === undefined) throw new Error(`the voice dashboard has no panel "${title}"`);
    return query;
  };
  const runPanel = async (title: string, context: MacroContext): Promise<Run> => {
    const query = panelQuery(title);
    const intervalMs = Math.max(context.intervalMs, query.minInterval === undefined ? 0 : parseInterval(query.minInterval));
    return run(renderQuery(query.text, await variableValues(voice(), 'all', context), { ...context, intervalMs }));
  };
  const day = CONTEXTS[0]?.context as MacroContext;
  // One time bucket over the whole range: the panel's one row covers every seeded turn.
  const whole: MacroContext = { ...day, intervalMs: 30 * 24 * HOUR };

  test('every seeded turn has a voice-to-voice latency, and its contributions sum to it to the microsecond', async () => {
    const stages = VOICE_STAGES.map((stage) => `coalesce(v2v_${stage}_us, 0)`).join(' + ');
    const { rows } = await run(`SELECT voice_to_voice_us::text AS v2v, (${stages})::text AS summed FROM turns`);
    expect(rows).toHaveLength(7);
    for (const row of rows) {
      expect(row['v2v'], 'voice_to_voice_us').not.toBeNull();
      expect(row['summed']).toBe(row['v2v']);
    }
  });

  test('the stage-share panel names every stage, and its shares sum to 1 in every seeded hour', async () => {
    const { columns, rows } = await runPanel('Voice-to-voice share by stage', day);
    expect(columns).toEqual(['time', ...VOICE_STAGES]);
    // The three conversations started 3, 2 and 1 hours ago: three hours, or four if one straddles an hour.
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of rows) {
      const shares = VOICE_STAGES.map((stage) => Number(row[stage]));
      for (const share of shares) expect(share).toBeGreaterThanOrEqual(0);
      expect(shares.reduce((sum, share) => sum + share, 0), String(row['time'])).toBeCloseTo(1, 12);
    }
  });

  test('the stage table lists each stage once, in pipeline order, with shares that sum to 1 and a p95 per stage', async () => {
    const { rows } = await runPanel('Voice-to-voice by stage: p50 / p95 and share', day);
    expect(rows.map((row) => row['stage'])).toEqual([...VOICE_STAGES]);
    expect(rows.reduce((sum, row) => sum + Number(row['share']), 0)).toBeCloseTo(1, 12);
    for (const row of rows) expect(Number(row['turns'])).toBe(7);
    // Each stage's p95 is the exact percentile of its contributions (a stage a turn skipped counts 0).
    for (const row of rows) {
      const { rows: exact } = await run(`SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY coalesce(v2v_${String(row['stage'])}_us, 0)) / 1000 AS p95 FROM turns`);
      expect(Number(row['p95_ms'])).toBeCloseTo(Number(exact[0]?.['p95']), 9);
    }
  });

  test('voice-to-voice p50/p95/p99 are the exact percentiles of the seeded turns', async () => {
    const { rows } = await runPanel('Voice-to-voice latency', whole);
    expect(rows).toHaveLength(1);
    const latencies = (await run('SELECT voice_to_voice_us / 1000.0 AS ms FROM turns ORDER BY 1')).rows.map((row) => Number(row['ms']));
    const at = (p: number): number => {
      const rank = p * (latencies.length - 1);
      const low = latencies[Math.floor(rank)] as number;
      return low + (rank - Math.floor(rank)) * ((latencies[Math.ceil(rank)] as number) - low);
    };
    for (const p of [50, 95, 99]) expect(Number(rows[0]?.[`voice-to-voice p${p}`]), `p${p}`).toBeCloseTo(at(p / 100), 6);
  });

  test('every seeded voice turn is counted under its dominant stage', async () => {
    const { rows } = await runPanel('Turns by dominant stage', whole);
    expect(rows.reduce((sum, row) => sum + Number(row['turns']), 0)).toBe(7);
    for (const row of rows) expect(VOICE_STAGES).toContain(row['metric']);
  });

  test('interruptions are counted both ways: the user barged in on 3 of 7 turns, the agent talked over the user on 1', async () => {
    const { rows } = await runPanel('Interruption rate, both directions', whole);
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]?.['user barged in'])).toBeCloseTo((100 * 3) / 7, 9);
    expect(Number(rows[0]?.['agent talked over the user'])).toBeCloseTo(100 / 7, 9);
  });

  test('the cost per call minute stacks to the calls\' whole cost (turns and telephony) over their minutes', async () => {
    const { rows } = await runPanel('Cost per call minute', whole);
    expect(rows).toHaveLength(1);
    const stacked = ['llm', 'stt', 'tts', 'other', 'telephony'].reduce((sum, part) => sum + Number(rows[0]?.[part]), 0);
    const { rows: calls } = await run(
      'SELECT sum(coalesce(call_cost_usd, cost_usd))::double precision AS cost, sum(coalesce(telephony_minutes, duration_ms / 60000)) AS minutes FROM conversations',
    );
    expect(stacked).toBeCloseTo(Number(calls[0]?.['cost']) / Number(calls[0]?.['minutes']), 12);
    expect(stacked).toBeGreaterThan(0);
  });

  test('the telephony table splits the calls by provider and direction', async () => {
    const { rows } = await runPanel('Call cost by telephony provider', day);
    const byProvider = new Map(rows.map((row) => [`${String(row['telephony_provider'])} ${String(row['direction'])}`, row]));
    expect([...byProvider.keys()].sort()).toEqual(['(none) ', 'telnyx outbound', 'twilio inbound']);
    expect(Number(byProvider.get('telnyx outbound')?.['minutes'])).toBe(1);
    for (const key of ['telnyx outbound', 'twilio inbound']) {
      const row = byProvider.get(key);
      expect(Number(row?.['telephony_cost_usd']), key).toBeGreaterThan(0);
      expect(Number(row?.['call_cost_usd'])).toBeCloseTo(Number(row?.['ai_cost_usd']) + Number(row?.['telephony_cost_usd']), 12);
    }
  });
});

describe('alert rules against the migrated schema', () => {
  const alertQueries = (): GrafanaQuery[] => files.alertFiles.flatMap(({ yaml }) => ((yaml as Json)['groups'] === undefined ? [] : listAlertQueries(yaml)));
  const ruleContext = (query: GrafanaQuery, toMs: number): MacroContext => {
    const rule = files.alertFiles
      .flatMap(({ yaml }) => ((yaml as { groups?: { rules: { uid: string; data: { refId: string; relativeTimeRange?: { from: number; to: number } }[] }[] }[] }).groups ?? []))
      .flatMap((group) => group.rules)
      .find((candidate) => query.location.startsWith(`rule ${candidate.uid} `));
    const range = rule?.data.find((entry) => entry.relativeTimeRange !== undefined)?.relativeTimeRange ?? { from: 600, to: 0 };
    return { from: new Date(toMs - range.from * 1000), to: new Date(toMs - range.to * 1000), intervalMs: 60_000 };
  };

  test('every rule query runs and returns exactly one numeric column (the value) beside text labels', async () => {
    const queries = alertQueries();
    expect(queries.length).toBeGreaterThanOrEqual(5);
    for (const query of queries) {
      expect(query.datasourceUid, query.location).toBe('postgres');
      const result = await run(renderQuery(query.text, {}, ruleContext(query, nowMs)));
      const numeric = result.types.filter((type) => NUMERIC_OIDS.has(type));
      expect(numeric, `${query.location}: ${result.columns.join(', ')}`).toHaveLength(1);
      for (const [i, type] of result.types.entries()) if (!NUMERIC_OIDS.has(type)) expect(type, `${query.location} ${result.columns[i]} is neither a number nor text`).toBe(25);
    }
  });

  test('the stalled-ingest rule reads 1 when turns came in the hour before but none in the last 15 minutes, 0 while they arrive', async () => {
    const stalled = alertQueries().find((query) => query.location.startsWith('rule convotel-ingest-stalled ')) as GrafanaQuery;
    const valueAt = async (toMs: number): Promise<number> => Number((await run(renderQuery(stalled.text, {}, ruleContext(stalled, toMs)))).rows[0]?.['stalled']);
    // The last seeded conversation's turns started an hour ago, within a few seconds.
    expect(await valueAt(nowMs)).toBe(1);
    expect(await valueAt(nowMs - HOUR + 5 * 60_000)).toBe(0);
    // Long before any traffic: nothing to miss, no alert.
    expect(await valueAt(nowMs - 10 * 24 * HOUR)).toBe(0);
  });

  test('the hourly spend rule sums the turns of its window', async () => {
    const spend = alertQueries().find((query) => query.location.startsWith('rule convotel-cost-per-hour ')) as GrafanaQuery;
    const { rows } = await run(renderQuery(spend.text, {}, ruleContext(spend, nowMs - HOUR + 5 * 60_000)));
    const expected = await run(`SELECT sum(cost_usd)::double precision AS c FROM turns WHERE conversation_id = '${(seeded[2] as SeededConversation).conversationId}'`);
    expect(rows[0]?.['cost_usd']).toBeCloseTo(Number(expected.rows[0]?.['c']), 9);
    expect(Number(expected.rows[0]?.['c'])).toBeGreaterThan(0);
  });
});
