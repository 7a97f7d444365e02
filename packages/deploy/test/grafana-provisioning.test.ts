import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  checkAlertRules,
  checkDashboards,
  checkDatasources,
  checkNotificationPolicies,
  datasourceUids,
  exploreLinkDatasources,
  type GrafanaFiles,
  readGrafanaFiles,
} from '../src/grafana-provisioning.js';
import { listAlertQueries, listDashboardQueries } from '../src/grafana-queries.js';

const GRAFANA_DIR = fileURLToPath(new URL('../../../grafana/', import.meta.url));

type Json = Record<string, unknown>;
const clone = <T>(value: T): T => structuredClone(value);

let files: GrafanaFiles;
beforeAll(async () => {
  files = await readGrafanaFiles(GRAFANA_DIR);
});

const dashboardUids = (): string[] => files.dashboards.map(({ json }) => String((json as Json)['uid']));
const rulesFile = (): unknown => files.alertFiles.find(({ file }) => file.endsWith('rules.yaml'))?.yaml;
const contactPointsFile = (): unknown => files.alertFiles.find(({ file }) => file.endsWith('contact-points.yaml'))?.yaml;

describe('the provisioned files', () => {
  test('datasources: tempo, loki and postgres with fixed uids, links both ways, no problem found', () => {
    expect(datasourceUids(files.datasources).sort()).toEqual(['loki', 'postgres', 'tempo']);
    expect(checkDatasources(files.datasources)).toEqual([]);
    const sources = (files.datasources as { datasources: Json[] }).datasources;
    const tempo = sources.find((source) => source['uid'] === 'tempo') as { jsonData: { tracesToLogsV2: Json } };
    expect(tempo.jsonData.tracesToLogsV2).toMatchObject({ datasourceUid: 'loki', customQuery: true, query: '{$${__tags}} | trace_id = "$${__trace.traceId}"' });
    const loki = sources.find((source) => source['uid'] === 'loki') as { jsonData: { derivedFields: Json[] } };
    expect(loki.jsonData.derivedFields).toContainEqual(expect.objectContaining({ matcherType: 'label', matcherRegex: 'trace_id', datasourceUid: 'tempo', url: '$${__value.raw}' }));
    const postgres = sources.find((source) => source['uid'] === 'postgres') as Json;
    expect(postgres['type']).toBe('grafana-postgresql-datasource');
    expect((postgres['secureJsonData'] as Json)['password']).toBe('${CONVOTEL_DB_PASSWORD}');
  });

  test('the dashboards provider reads the folder compose mounts', () => {
    const providers = (files.dashboardProviders as { providers: Json[] }).providers;
    expect(providers).toHaveLength(1);
    expect(providers[0]).toMatchObject({ type: 'file', options: { path: '/var/lib/grafana/dashboards' } });
  });

  test('dashboards: the four of the design, unique uids, provisioned datasources and links, no problem found', () => {
    expect(dashboardUids().sort()).toEqual(['convotel-conversation', 'convotel-llm-cost', 'convotel-overview', 'convotel-voice-pipeline']);
    expect(checkDashboards(files.dashboards, datasourceUids(files.datasources))).toEqual([]);
  });

  test('every dashboard has service and agent variables with All, and the LLM and voice dashboards a model one', () => {
    for (const { file, json } of files.dashboards) {
      const variables = ((json as { templating: { list: Json[] } }).templating.list);
      for (const name of ['service', 'agent']) expect(variables.find((variable) => variable['name'] === name), `${file} ${name}`).toMatchObject({ type: 'query', includeAll: true, multi: true });
    }
    const llm = files.dashboards.find(({ json }) => (json as Json)['uid'] === 'convotel-llm-cost')?.json as { templating: { list: Json[] } };
    const voice = files.dashboards.find(({ json }) => (json as Json)['uid'] === 'convotel-voice-pipeline')?.json as { templating: { list: Json[] } };
    for (const dashboard of [llm, voice]) expect(dashboard.templating.list.find((variable) => variable['name'] === 'model')).toMatchObject({ includeAll: true, multi: true });
  });

  test('the drill-down links each turn to Tempo and Loki in Explore and to convotel\'s pages, with convotel_url defaulting to localhost:8080', () => {
    const drill = files.dashboards.find(({ json }) => (json as Json)['uid'] === 'convotel-conversation')?.json as { panels: Json[]; templating: { list: Json[] } };
    expect(drill.templating.list.find((variable) => variable['name'] === 'convotel_url')).toMatchObject({ query: 'http://localhost:8080' });
    const turns = drill.panels.find((panel) => String(panel['title']).startsWith('Turns of')) as { fieldConfig: { overrides: { matcher: Json; properties: { id: string; value: { title: string; url: string }[] }[] }[] } };
    const traceLinks = turns.fieldConfig.overrides.find((override) => override.matcher['options'] === 'trace_id')?.properties.find((property) => property.id === 'links')?.value ?? [];
    const urls = traceLinks.map((link) => link.url);
    expect(urls.flatMap(exploreLinkDatasources).sort()).toEqual(['loki', 'tempo']);
    expect(urls.find((url) => exploreLinkDatasources(url).includes('tempo'))).toContain('${__value.raw}');
    expect(urls).toContain('${convotel_url}/traces/${__value.raw}');
    const conversations = drill.panels.find((panel) => panel['title'] === 'Conversations') as { fieldConfig: { overrides: { properties: { id: string; value: { url: string }[] }[] }[] } };
    const conversationUrls = conversations.fieldConfig.overrides.flatMap((override) => override.properties.flatMap((property) => (property.id === 'links' ? property.value.map((link) => link.url) : [])));
    expect(conversationUrls).toContain('${convotel_url}/conversations/${__value.raw}');
  });

  test('alert rules: step errors, turn, perceived and voice-to-voice latency, spend, stalled ingest; no problem found', () => {
    const rules = (rulesFile() as { groups: { rules: { uid: string }[] }[] }).groups.flatMap((group) => group.rules.map((rule) => rule.uid));
    expect(rules).toEqual(['convotel-step-error-rate', 'convotel-turn-latency-sla', 'convotel-perceived-latency-sla', 'convotel-voice-to-voice-sla', 'convotel-cost-per-hour', 'convotel-ingest-stalled']);
    expect(checkAlertRules(rulesFile(), datasourceUids(files.datasources), dashboardUids())).toEqual([]);
    expect(checkNotificationPolicies(contactPointsFile())).toEqual([]);
  });
});

describe('the checks catch broken files', () => {
  test('a missing fixed uid, a duplicate uid, an unknown type, a dangling datasourceUid and an unescaped ${__…} are each reported', () => {
    const broken = clone(files.datasources) as { datasources: Json[] };
    const [tempo, loki, postgres] = ['tempo', 'loki', 'postgres'].map((uid) => broken.datasources.find((source) => source['uid'] === uid) as Json);
    (loki as Json)['uid'] = 'tempo';
    (postgres as Json)['type'] = 'mysql';
    ((tempo as { jsonData: { tracesToLogsV2: Json } }).jsonData.tracesToLogsV2)['query'] = '{${__tags}}';
    const problems = checkDatasources(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        'no datasource with uid loki',
        'datasource uid tempo is used twice',
        'datasource postgres has unknown type mysql',
        expect.stringMatching(/tracesToLogsV2.datasourceUid names datasource loki/),
        expect.stringMatching(/tracesToLogsV2.query writes a Grafana link variable/),
      ]),
    );
  });

  test('a duplicate dashboard uid, an unprovisioned panel datasource, an Explore link to an unknown uid and a link to an unknown dashboard are each reported', () => {
    const dashboards = clone(files.dashboards) as { file: string; json: Json }[];
    const [first, second] = dashboards as [{ file: string; json: Json }, { file: string; json: Json }];
    second.json['uid'] = first.json['uid'];
    const panel = (first.json['panels'] as Json[]).find((candidate) => candidate['type'] !== 'row') as Json;
    panel['datasource'] = { type: 'prometheus', uid: 'prometheus' };
    const drill = dashboards.find(({ json }) => json['uid'] === 'convotel-conversation') as { json: Json };
    const text = JSON.stringify(drill.json).replace('%22uid%22%3A%22tempo%22', '%22uid%22%3A%22jaeger%22').replace('/d/convotel-conversation?', '/d/nowhere?');
    drill.json = JSON.parse(text) as Json;
    const problems = checkDashboards(dashboards, ['tempo', 'loki', 'postgres']);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/uid convotel-\S+ is also/),
        expect.stringMatching(/datasource prometheus is not provisioned/),
        expect.stringMatching(/the Explore link names datasource jaeger/),
        expect.stringMatching(/links to dashboard nowhere/),
      ]),
    );
  });

  test('a rule whose condition, datasource, expression input, labels or dashboard do not resolve is reported', () => {
    const broken = clone(rulesFile()) as { groups: { rules: Json[] }[] };
    const [first, second] = broken.groups[0]?.rules as [Json, Json];
    first['condition'] = 'D';
    second['uid'] = first['uid'];
    const data = second['data'] as Json[];
    (data[0] as Json)['datasourceUid'] = 'mysql';
    ((data[1] as Json)['model'] as Json)['expression'] = 'Z';
    second['labels'] = { owner: '$USER' };
    (second['annotations'] as Json)['__dashboardUid__'] = 'gone';
    const problems = checkAlertRules(broken, ['tempo', 'loki', 'postgres'], dashboardUids());
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/condition D is none of its refIds/),
        expect.stringMatching(/is used twice/),
        expect.stringMatching(/datasource mysql is not provisioned/),
        expect.stringMatching(/the expression reads Z/),
        expect.stringMatching(/label value "\$USER"/),
        expect.stringMatching(/__dashboardUid__ gone/),
      ]),
    );
  });

  test('a policy routing to an unknown contact point is reported', () => {
    const broken = clone(contactPointsFile()) as { policies: Json[] };
    (broken.policies[0] as Json)['receiver'] = 'nobody';
    expect(checkNotificationPolicies(broken)).toEqual(['policy 0: receiver nobody is not a contact point']);
  });
});

describe('listing queries', () => {
  test('panels nested in collapsed rows, targets falling back to the panel datasource, variables; link fields go to the first target', () => {
    const dashboard = {
      uid: 'd',
      panels: [
        {
          id: 1,
          type: 'row',
          title: 'r',
          panels: [
            {
              id: 2,
              type: 'table',
              title: 't',
              datasource: { uid: 'postgres' },
              targets: [{ refId: 'A', rawSql: 'SELECT 1 AS a, 2 AS b', format: 'table' }, { refId: 'B', rawSql: 'SELECT 3', format: 'table', datasource: { uid: 'other' } }],
              fieldConfig: { defaults: {}, overrides: [{ matcher: { id: 'byName', options: 'a' }, properties: [{ id: 'links', value: [{ url: '/x?${__data.fields.b}' }] }] }] },
            },
          ],
        },
        { id: 3, type: 'timeseries', title: 's', interval: '1h', datasource: { uid: 'postgres' }, targets: [{ refId: 'A', rawSql: 'SELECT now() AS time, 1 AS v' }] },
      ],
      templating: { list: [{ name: 'v', type: 'query', datasource: { uid: 'postgres' }, query: 'SELECT 1' }, { name: 'c', type: 'constant', query: 'x' }] },
    };
    const queries = listDashboardQueries(dashboard);
    expect(queries.map((query) => [query.location, query.datasourceUid, query.expectedColumns])).toEqual([
      ['panel 2 "t" target A', 'postgres', ['a', 'b']],
      ['panel 2 "t" target B', 'other', []],
      ['panel 3 "s" target A', 'postgres', ['time']],
      ['variable v', 'postgres', []],
    ]);
    expect(queries.map((query) => query.minInterval)).toEqual([undefined, undefined, '1h', undefined]);
  });

  test('alert queries leave server-side expressions out', () => {
    const queries = listAlertQueries(rulesFile());
    expect(queries).toHaveLength(6);
    expect(queries.every((query) => query.location.endsWith(' target A') && query.text.includes('$__timeFilter('))).toBe(true);
  });
});
