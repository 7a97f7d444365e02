// Offline checks of an OpenTelemetry Collector config (parsed YAML): the wiring rules the
// collector enforces at start, plus our own (memory_limiter first, queue storage enabled,
// names the pinned distribution ships). Pure: config in, problems out.
import type { CollectorComponentList, ComponentClass } from './data/collector-contrib-0.162.0.js';
import { asRecord, asStringList, type Parsed, type Problem } from './problem.js';

const PIPELINE_CLASSES = ['receivers', 'processors', 'exporters'] as const;

/** `otlp_http/convotel` → `otlp_http`: the part before the first `/` names the component type. */
export function componentType(id: string): string {
  const slash = id.indexOf('/');
  return slash === -1 ? id : id.slice(0, slash);
}

interface Usage {
  readonly asReceiver: Set<string>;
  readonly asExporter: Set<string>;
}

/**
 * Checks a collector config against the collector's own start-up rules and ours. `components`
 * is the list of types the pinned distribution ships.
 */
export function checkCollectorConfig(config: Parsed, components: CollectorComponentList): Problem[] {
  const problems: Problem[] = [];
  const root = asRecord(config);
  const defined: Record<ComponentClass, Set<string>> = {
    receivers: new Set(Object.keys(asRecord(root['receivers']))),
    processors: new Set(Object.keys(asRecord(root['processors']))),
    exporters: new Set(Object.keys(asRecord(root['exporters']))),
    connectors: new Set(Object.keys(asRecord(root['connectors']))),
    extensions: new Set(Object.keys(asRecord(root['extensions']))),
  };
  const service = asRecord(root['service']);
  const pipelines = asRecord(service['pipelines']);
  const enabledExtensions = asStringList(service['extensions']);
  const used = new Set<string>();
  const connectorUse = new Map<string, Usage>();
  for (const id of defined.connectors) connectorUse.set(id, { asReceiver: new Set(), asExporter: new Set() });

  if (Object.keys(pipelines).length === 0) problems.push({ rule: 'no-pipelines', message: 'service.pipelines is empty' });

  for (const [pipelineId, pipelineValue] of Object.entries(pipelines)) {
    const pipeline = asRecord(pipelineValue);
    for (const cls of PIPELINE_CLASSES) {
      for (const id of asStringList(pipeline[cls])) {
        // A connector stands in a pipeline's receivers or exporters.
        const connector = cls !== 'processors' ? connectorUse.get(id) : undefined;
        if (connector !== undefined) {
          (cls === 'receivers' ? connector.asReceiver : connector.asExporter).add(pipelineId);
          used.add(`connectors:${id}`);
        } else if (defined[cls].has(id)) {
          used.add(`${cls}:${id}`);
        } else {
          problems.push({ rule: 'undefined-component', message: `pipeline ${pipelineId} names ${cls.slice(0, -1)} "${id}", which is not defined` });
        }
      }
    }
    if (asStringList(pipeline['receivers']).length === 0) {
      problems.push({ rule: 'pipeline-incomplete', message: `pipeline ${pipelineId} has no receivers` });
    }
    if (asStringList(pipeline['exporters']).length === 0) {
      problems.push({ rule: 'pipeline-incomplete', message: `pipeline ${pipelineId} has no exporters` });
    }
    // memory_limiter must refuse data before any other processor holds it.
    const first = asStringList(pipeline['processors'])[0];
    if (first === undefined || componentType(first) !== 'memory_limiter') {
      problems.push({ rule: 'memory-limiter-not-first', message: `pipeline ${pipelineId} starts with ${first ?? 'no processor'}, not memory_limiter` });
    }
  }

  for (const cls of ['receivers', 'processors', 'exporters', 'connectors'] as const) {
    for (const id of defined[cls]) {
      if (!used.has(`${cls}:${id}`)) problems.push({ rule: 'unused-component', message: `${cls.slice(0, -1)} "${id}" is defined but no pipeline uses it` });
    }
  }
  for (const [id, usage] of connectorUse) {
    if (usage.asReceiver.size === 0 || usage.asExporter.size === 0) {
      const side = usage.asExporter.size === 0 ? 'as an exporter' : 'as a receiver';
      problems.push({ rule: 'connector-one-sided', message: `connector "${id}" is never used ${side}: a connector must export from one pipeline and receive in another` });
    }
  }

  for (const id of defined.extensions) {
    if (!enabledExtensions.includes(id)) problems.push({ rule: 'unused-component', message: `extension "${id}" is defined but not in service.extensions` });
  }
  for (const id of enabledExtensions) {
    if (!defined.extensions.has(id)) problems.push({ rule: 'undefined-component', message: `service.extensions names "${id}", which is not defined` });
  }

  // A persistent queue needs its storage extension started.
  for (const [id, exporter] of Object.entries(asRecord(root['exporters']))) {
    const storage = asRecord(asRecord(exporter)['sending_queue'])['storage'];
    if (typeof storage === 'string' && !enabledExtensions.includes(storage)) {
      problems.push({ rule: 'queue-storage-not-enabled', message: `exporter "${id}" queues in "${storage}", which is not in service.extensions` });
    }
  }

  for (const cls of ['receivers', 'processors', 'exporters', 'connectors', 'extensions'] as const) {
    for (const id of defined[cls]) problems.push(...checkComponentType(cls, id, components));
  }
  problems.push(...checkBindings(root));
  return problems;
}

/** Endpoints that default to localhost, which other containers cannot reach. */
function checkBindings(root: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const check = (where: string, endpoint: unknown): void => {
    const value = typeof endpoint === 'string' ? endpoint : undefined;
    if (value === undefined || !/^(0\.0\.0\.0|\[::\]|\$\{env:)/.test(value)) {
      problems.push({ rule: 'bound-to-localhost', message: `${where} listens on ${value ?? 'its default (localhost)'}: other containers cannot reach it; bind 0.0.0.0` });
    }
  };
  for (const [id, receiver] of Object.entries(asRecord(root['receivers']))) {
    if (componentType(id) !== 'otlp') continue;
    for (const [protocol, settings] of Object.entries(asRecord(asRecord(receiver)['protocols']))) check(`receiver ${id} (${protocol})`, asRecord(settings)['endpoint']);
  }
  for (const [id, extension] of Object.entries(asRecord(root['extensions']))) {
    if (componentType(id) === 'health_check') check(`extension ${id}`, asRecord(extension)['endpoint']);
  }
  return problems;
}

function checkComponentType(cls: ComponentClass, id: string, components: CollectorComponentList): Problem[] {
  const type = componentType(id);
  if (components.types[cls].includes(type)) return [];
  const current = components.deprecatedAliases[cls][type];
  if (current !== undefined) {
    return [{ rule: 'deprecated-component-type', message: `${cls.slice(0, -1)} "${id}": "${type}" is a deprecated alias of "${current}" in contrib ${components.version}` }];
  }
  const removed = components.removed[cls]?.[type];
  if (removed !== undefined) return [{ rule: 'unknown-component-type', message: `${cls.slice(0, -1)} "${id}": "${type}" was ${removed}` }];
  const partial = components.partialClasses.includes(cls) ? ' (the list of this class is partial: check the registry and add it)' : '';
  return [{ rule: 'unknown-component-type', message: `${cls.slice(0, -1)} "${id}": contrib ${components.version} ships no "${type}"${partial}` }];
}

/** host:port pairs the collector's exporters send to (http(s) URLs, host:port, load-balancing hostnames). */
export interface ExporterEndpoint {
  readonly exporter: string;
  readonly host: string;
  readonly port: number;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/** Where each exporter of a collector config sends, as far as the config says. */
export function exporterEndpoints(config: Parsed): ExporterEndpoint[] {
  const endpoints: ExporterEndpoint[] = [];
  for (const [id, value] of Object.entries(asRecord(asRecord(config)['exporters']))) {
    const exporter = asRecord(value);
    const endpoint = exporter['endpoint'];
    if (typeof endpoint === 'string') {
      const parsed = parseEndpoint(endpoint);
      if (parsed !== undefined) endpoints.push({ exporter: id, ...parsed });
    }
    const resolver = asRecord(exporter['resolver']);
    const dns = asRecord(resolver['dns']);
    if (typeof dns['hostname'] === 'string') {
      const port = typeof dns['port'] === 'number' ? dns['port'] : 4317;
      endpoints.push({ exporter: id, host: stripEnvDefault(dns['hostname']), port });
    }
    for (const hostname of asStringList(asRecord(resolver['static'])['hostnames'])) {
      const parsed = parseEndpoint(hostname);
      if (parsed !== undefined) endpoints.push({ exporter: id, ...parsed });
    }
  }
  return endpoints;
}

/** `${env:NAME:-default}` → `default`: what the value is when nothing is set. */
function stripEnvDefault(value: string): string {
  return value.replace(/\$\{env:[A-Za-z_][A-Za-z0-9_]*:-([^}]*)\}/g, '$1');
}

function parseEndpoint(raw: string): { host: string; port: number } | undefined {
  const value = stripEnvDefault(raw);
  if (/^[a-z]+:\/\//i.test(value)) {
    try {
      const url = new URL(value);
      const port = url.port === '' ? DEFAULT_PORTS[url.protocol] : Number(url.port);
      return port === undefined ? undefined : { host: url.hostname, port };
    } catch {
      return undefined;
    }
  }
  const match = /^([^:/]+):(\d+)$/.exec(value);
  return match === null ? undefined : { host: match[1] ?? '', port: Number(match[2]) };
}
