// Every query a provisioned Grafana file sends to a datasource: a dashboard's panel targets (rows
// and their nested panels included) and query variables, and an alert file's rule queries;
// with what the panel needs back (a time column for time series, the fields its overrides and
// links name), so tests can run each against the real schema and check its columns.

/** A datasource reference as dashboards write it. */
export interface DatasourceRef {
  readonly type?: string;
  readonly uid?: string;
}

/** One query and where it lives. */
export interface GrafanaQuery {
  /** Dashboard uid, or `alerts` for an alert file. */
  readonly owner: string;
  /** Human-readable place: `panel 3 "Turns" target A`, `variable service`, `rule convotel-cost target A`. */
  readonly location: string;
  readonly kind: 'panel' | 'variable' | 'alert';
  /** The datasource uid the query goes to (the target's, else its panel's). */
  readonly datasourceUid: string | undefined;
  /** The SQL (`rawSql`, or a query variable's `query`/`definition`), or the query text of another datasource. */
  readonly text: string;
  /** `time_series` or `table` for SQL targets. */
  readonly format: string | undefined;
  /** Columns the result must have. */
  readonly expectedColumns: readonly string[];
  /** The panel's minimum interval (`1h`): Grafana never sets `$__interval` below it. */
  readonly minInterval?: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function datasourceUidOf(value: unknown): string | undefined {
  if (isObject(value)) return asString(value['uid']);
  return asString(value);
}

/** Fields a panel's overrides (by name) and data links (`${__data.fields.x}`) name. */
export function fieldsNamedBy(panel: Json): string[] {
  const names = new Set<string>();
  const fieldConfig = isObject(panel['fieldConfig']) ? panel['fieldConfig'] : {};
  const collectLinks = (links: unknown): void => {
    for (const link of asArray(links)) {
      if (!isObject(link)) continue;
      const url = asString(link['url']) ?? '';
      for (const match of url.matchAll(/\$\{__data\.fields\.(\w+)\}/g)) names.add(match[1] as string);
    }
  };
  if (isObject(fieldConfig['defaults'])) collectLinks(fieldConfig['defaults']['links']);
  for (const override of asArray(fieldConfig['overrides'])) {
    if (!isObject(override) || !isObject(override['matcher'])) continue;
    const matcher = override['matcher'];
    if (matcher['id'] === 'byName' && typeof matcher['options'] === 'string') names.add(matcher['options']);
    for (const property of asArray(override['properties'])) {
      if (isObject(property) && property['id'] === 'links') collectLinks(property['value']);
    }
  }
  return [...names];
}

function panelsOf(panels: unknown): Json[] {
  const all: Json[] = [];
  for (const panel of asArray(panels)) {
    if (!isObject(panel)) continue;
    all.push(panel);
    all.push(...panelsOf(panel['panels']));
  }
  return all;
}

/** Every panel of a dashboard, rows' nested panels included. */
export function dashboardPanels(dashboard: unknown): Json[] {
  return isObject(dashboard) ? panelsOf(dashboard['panels']) : [];
}

/** Lists every query of a dashboard JSON: panel targets (with the columns their panel needs) and query variables. */
export function listDashboardQueries(dashboard: unknown): GrafanaQuery[] {
  if (!isObject(dashboard)) throw new Error('a dashboard is a JSON object');
  const owner = asString(dashboard['uid']) ?? '(no uid)';
  const queries: GrafanaQuery[] = [];
  for (const panel of dashboardPanels(dashboard)) {
    if (panel['type'] === 'row') continue;
    const panelUid = datasourceUidOf(panel['datasource']);
    const fields = fieldsNamedBy(panel);
    const ofPanel: GrafanaQuery[] = [];
    for (const target of asArray(panel['targets'])) {
      if (!isObject(target)) continue;
      const format = asString(target['format']);
      const text = asString(target['rawSql']) ?? asString(target['query']) ?? asString(target['expr']) ?? '';
      const timeSeries = format === 'time_series' || (panel['type'] === 'timeseries' && format === undefined);
      ofPanel.push({
        owner,
        location: `panel ${String(panel['id'])} "${String(panel['title'])}" target ${String(target['refId'])}`,
        kind: 'panel',
        datasourceUid: datasourceUidOf(target['datasource']) ?? panelUid,
        text,
        format,
        // A time series target must return "time".
        expectedColumns: timeSeries ? ['time'] : [],
        ...(typeof panel['interval'] === 'string' && panel['interval'] !== '' ? { minInterval: panel['interval'] } : {}),
      });
    }
    // Overrides and links name fields of the panel's result; its first target must return them.
    const first = ofPanel[0];
    if (first !== undefined && fields.length > 0) ofPanel[0] = { ...first, expectedColumns: [...new Set([...first.expectedColumns, ...fields])] };
    queries.push(...ofPanel);
  }
  const templating = isObject(dashboard['templating']) ? dashboard['templating'] : {};
  for (const variable of asArray(templating['list'])) {
    if (!isObject(variable) || variable['type'] !== 'query') continue;
    const query = variable['query'];
    const text = asString(query) ?? (isObject(query) ? (asString(query['rawSql']) ?? asString(query['query'])) : undefined) ?? asString(variable['definition']) ?? '';
    queries.push({
      owner,
      location: `variable ${String(variable['name'])}`,
      kind: 'variable',
      datasourceUid: datasourceUidOf(variable['datasource']),
      text,
      format: 'table',
      expectedColumns: [],
    });
  }
  return queries;
}

/** Lists the datasource queries of an alert rules file (parsed YAML): each rule's data entries other than server-side expressions. */
export function listAlertQueries(rulesFile: unknown): GrafanaQuery[] {
  if (!isObject(rulesFile)) throw new Error('an alert rules file is a YAML mapping');
  const queries: GrafanaQuery[] = [];
  for (const group of asArray(rulesFile['groups'])) {
    if (!isObject(group)) continue;
    for (const rule of asArray(group['rules'])) {
      if (!isObject(rule)) continue;
      for (const data of asArray(rule['data'])) {
        if (!isObject(data) || data['datasourceUid'] === '__expr__') continue;
        const model = isObject(data['model']) ? data['model'] : {};
        queries.push({
          owner: 'alerts',
          location: `rule ${String(rule['uid'])} target ${String(data['refId'])}`,
          kind: 'alert',
          datasourceUid: asString(data['datasourceUid']),
          text: asString(model['rawSql']) ?? '',
          format: asString(model['format']),
          expectedColumns: [],
        });
      }
    }
  }
  return queries;
}
