// Offline checks of the provisioned Grafana files (grafana/ at the repository root): what can be
// proven without starting Grafana. Each check returns the problems it found, empty when none.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { dashboardPanels } from './grafana-queries.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The uids the dashboards and links rely on. */
export const FIXED_DATASOURCE_UIDS = ['tempo', 'loki', 'postgres'] as const;

/** Datasource types the stack provisions (`postgres` is the old alias of the PostgreSQL plugin). */
export const DATASOURCE_TYPES = ['tempo', 'loki', 'grafana-postgresql-datasource', 'postgres'] as const;

/** Uids Grafana itself answers for: server-side expressions and the built-in annotations source. */
const BUILT_IN_UIDS = new Set(['__expr__', '-- Grafana --', 'grafana', '-- Mixed --', '-- Dashboard --']);

/** The grafana/ folder, parsed. */
export interface GrafanaFiles {
  readonly datasources: unknown;
  readonly dashboardProviders: unknown;
  readonly dashboards: readonly { readonly file: string; readonly json: unknown }[];
  readonly alertFiles: readonly { readonly file: string; readonly yaml: unknown }[];
}

/** Reads grafana/provisioning/{datasources,dashboards,alerting}/*.yaml and grafana/dashboards/*.json under `grafanaDir`. */
export async function readGrafanaFiles(grafanaDir: string): Promise<GrafanaFiles> {
  const yamlIn = async (folder: string): Promise<{ file: string; yaml: unknown }[]> => {
    const dir = join(grafanaDir, 'provisioning', folder);
    const files = (await readdir(dir)).filter((file) => /\.ya?ml$/.test(file)).sort();
    return Promise.all(files.map(async (file) => ({ file: join('provisioning', folder, file), yaml: parse(await readFile(join(dir, file), 'utf8')) as unknown })));
  };
  const datasourceFiles = await yamlIn('datasources');
  const providerFiles = await yamlIn('dashboards');
  const dashboardDir = join(grafanaDir, 'dashboards');
  const dashboardFiles = (await readdir(dashboardDir)).filter((file) => file.endsWith('.json')).sort();
  return {
    datasources: datasourceFiles[0]?.yaml,
    dashboardProviders: providerFiles[0]?.yaml,
    dashboards: await Promise.all(dashboardFiles.map(async (file) => ({ file, json: JSON.parse(await readFile(join(dashboardDir, file), 'utf8')) as unknown }))),
    alertFiles: await yamlIn('alerting'),
  };
}

/** The uids of a datasources file. */
export function datasourceUids(datasourcesFile: unknown): string[] {
  if (!isObject(datasourcesFile)) return [];
  return asArray(datasourcesFile['datasources']).flatMap((source) => (isObject(source) && typeof source['uid'] === 'string' ? [source['uid']] : []));
}

/** Every string in a JSON/YAML value, with its path. */
function strings(value: unknown, path = ''): { path: string; text: string }[] {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, `${path}[${i}]`));
  if (isObject(value)) return Object.entries(value).flatMap(([key, item]) => strings(item, path === '' ? key : `${path}.${key}`));
  return [];
}

/**
 * Datasources: apiVersion 1, the fixed uids present and unique, known types, every
 * `datasourceUid` naming one of them, and Grafana's own `${__…}` link variables written `$${__…}`
 * (provisioning expands `${…}` from the environment, which would empty them).
 */
export function checkDatasources(file: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(file) || file['apiVersion'] !== 1) return ['the datasources file needs apiVersion: 1'];
  const uids = datasourceUids(file);
  for (const uid of FIXED_DATASOURCE_UIDS) if (!uids.includes(uid)) problems.push(`no datasource with uid ${uid}`);
  const seen = new Set<string>();
  for (const uid of uids) {
    if (seen.has(uid)) problems.push(`datasource uid ${uid} is used twice`);
    seen.add(uid);
  }
  for (const source of asArray(file['datasources'])) {
    if (!isObject(source)) continue;
    const name = String(source['uid'] ?? source['name']);
    if (!(DATASOURCE_TYPES as readonly string[]).includes(String(source['type']))) problems.push(`datasource ${name} has unknown type ${String(source['type'])}`);
    if (typeof source['url'] !== 'string') problems.push(`datasource ${name} has no url`);
  }
  for (const { path, text } of strings(file)) {
    if (path.endsWith('datasourceUid') && !uids.includes(text)) problems.push(`${path} names datasource ${text}, which is not provisioned`);
    if (/(^|[^$])\$\{__/.test(text)) problems.push(`${path} writes a Grafana link variable as \${__…}: provisioning would expand it from the environment; write $\${__…}`);
  }
  return problems;
}

/** Datasource uids an Explore link (`/explore?…panes=<json>`) names (a pane's and its queries'), each once. */
export function exploreLinkDatasources(url: string): string[] {
  const match = /[?&]panes=([^&]*)/.exec(url);
  if (match === null) return [];
  // Keep Grafana's ${…} placeholders out of URI decoding; only the uids matter here.
  const json = decodeURIComponent((match[1] as string).replace(/\$\{[^}]*\}/g, 'X'));
  const panes = JSON.parse(json) as unknown;
  const named = strings(panes)
    .filter(({ path }) => /(^|\.)datasource(\.uid)?$/.test(path))
    .map(({ text }) => text);
  return [...new Set(named)];
}

/**
 * Dashboards: unique uids; every panel, target and variable datasource provisioned; links to
 * Explore naming provisioned datasources; `/d/<uid>` links naming provisioned dashboards.
 */
export function checkDashboards(dashboards: readonly { readonly file: string; readonly json: unknown }[], uids: readonly string[]): string[] {
  const problems: string[] = [];
  const known = new Set(uids);
  const dashboardUids = new Map<string, string>();
  for (const { file, json } of dashboards) {
    if (!isObject(json)) {
      problems.push(`${file}: not a JSON object`);
      continue;
    }
    const uid = asString(json['uid']);
    if (uid === undefined || uid === '') problems.push(`${file}: no uid`);
    else if (dashboardUids.has(uid)) problems.push(`${file}: uid ${uid} is also ${String(dashboardUids.get(uid))}'s`);
    else dashboardUids.set(uid, file);
  }
  const checkUid = (where: string, ref: unknown): void => {
    if (ref === undefined || ref === null) return;
    const uid = isObject(ref) ? asString(ref['uid']) : asString(ref);
    if (uid === undefined) problems.push(`${where}: a datasource without uid (name datasources by {type, uid})`);
    else if (!known.has(uid) && !BUILT_IN_UIDS.has(uid)) problems.push(`${where}: datasource ${uid} is not provisioned`);
  };
  for (const { file, json } of dashboards) {
    if (!isObject(json)) continue;
    for (const panel of dashboardPanels(json)) {
      const where = `${file} panel ${String(panel['id'])} "${String(panel['title'])}"`;
      if (panel['type'] !== 'row') checkUid(where, panel['datasource']);
      for (const target of asArray(panel['targets'])) if (isObject(target)) checkUid(`${where} target ${String(target['refId'])}`, target['datasource']);
    }
    const templating = isObject(json['templating']) ? json['templating'] : {};
    for (const variable of asArray(templating['list'])) {
      if (isObject(variable) && variable['type'] === 'query') checkUid(`${file} variable ${String(variable['name'])}`, variable['datasource']);
    }
    for (const { path, text } of strings(json)) {
      if (!path.endsWith('.url')) continue;
      if (text.startsWith('/explore')) {
        let named: string[];
        try {
          named = exploreLinkDatasources(text);
        } catch (error) {
          problems.push(`${file} ${path}: the Explore link's panes are not JSON (${(error as Error).message})`);
          continue;
        }
        if (named.length === 0) problems.push(`${file} ${path}: the Explore link names no datasource`);
        for (const uid of named) if (!known.has(uid)) problems.push(`${file} ${path}: the Explore link names datasource ${uid}, which is not provisioned`);
      }
      const target = /^\/d\/([^/?]+)/.exec(text);
      if (target !== null && !dashboardUids.has(target[1] as string)) problems.push(`${file} ${path}: links to dashboard ${String(target[1])}, which is not provisioned`);
    }
  }
  return problems;
}

/**
 * Alert rules: unique rule uids; each rule's condition is one of its refIds; its queries name a
 * provisioned datasource (or `__expr__`); expressions refer to refIds of the same rule; labels
 * hold no `$` (provisioning interpolates labels); `__dashboardUid__` names a provisioned dashboard.
 */
export function checkAlertRules(file: unknown, uids: readonly string[], dashboardUids: readonly string[]): string[] {
  const problems: string[] = [];
  if (!isObject(file) || file['apiVersion'] !== 1) return ['an alert rules file needs apiVersion: 1'];
  const seen = new Set<string>();
  for (const group of asArray(file['groups'])) {
    if (!isObject(group)) continue;
    if (typeof group['folder'] !== 'string' || typeof group['interval'] !== 'string') problems.push(`group ${String(group['name'])}: needs a folder and an interval`);
    for (const rule of asArray(group['rules'])) {
      if (!isObject(rule)) continue;
      const uid = String(rule['uid']);
      if (seen.has(uid)) problems.push(`rule uid ${uid} is used twice`);
      seen.add(uid);
      const data = asArray(rule['data']).filter(isObject);
      const refIds = data.map((entry) => String(entry['refId']));
      if (!refIds.includes(String(rule['condition']))) problems.push(`rule ${uid}: its condition ${String(rule['condition'])} is none of its refIds`);
      for (const entry of data) {
        const source = String(entry['datasourceUid']);
        if (source !== '__expr__' && !uids.includes(source)) problems.push(`rule ${uid} ${String(entry['refId'])}: datasource ${source} is not provisioned`);
        const model = isObject(entry['model']) ? entry['model'] : {};
        if (model['refId'] !== undefined && model['refId'] !== entry['refId']) problems.push(`rule ${uid} ${String(entry['refId'])}: its model's refId differs`);
        if (source === '__expr__' && typeof model['expression'] === 'string' && !refIds.includes(model['expression'])) {
          problems.push(`rule ${uid} ${String(entry['refId'])}: the expression reads ${model['expression']}, which the rule does not have`);
        }
      }
      for (const { text } of strings(rule['labels'])) if (text.includes('$')) problems.push(`rule ${uid}: label value "${text}" has a $, which provisioning would interpolate`);
      const annotations = isObject(rule['annotations']) ? rule['annotations'] : {};
      const dashboard = asString(annotations['__dashboardUid__']);
      if (dashboard !== undefined && !dashboardUids.includes(dashboard)) problems.push(`rule ${uid}: __dashboardUid__ ${dashboard} is not provisioned`);
    }
  }
  return problems;
}

/** Contact points and policies: every policy's receiver (and its routes') is a provisioned contact point. */
export function checkNotificationPolicies(file: unknown): string[] {
  if (!isObject(file) || file['apiVersion'] !== 1) return ['the contact points file needs apiVersion: 1'];
  const names = new Set(asArray(file['contactPoints']).flatMap((point) => (isObject(point) && typeof point['name'] === 'string' ? [point['name']] : [])));
  const problems: string[] = [];
  const visit = (policy: unknown, where: string): void => {
    if (!isObject(policy)) return;
    const receiver = asString(policy['receiver']);
    if (receiver !== undefined && !names.has(receiver)) problems.push(`${where}: receiver ${receiver} is not a contact point`);
    asArray(policy['routes']).forEach((route, i) => visit(route, `${where} route ${i}`));
  };
  asArray(file['policies']).forEach((policy, i) => visit(policy, `policy ${i}`));
  if (asArray(file['policies']).length === 0) problems.push('no notification policy');
  return problems;
}
