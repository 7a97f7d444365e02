// Offline checks of docker-compose.yml (parsed YAML): pinned images, depends_on targets,
// mounted files, named volumes, host ports, and the collector's exporters against the
// services that should answer them. Pure: the file system is a function passed in.
import type { ExporterEndpoint } from './check-collector.js';
import { asRecord, isRecord, type Parsed, type Problem } from './problem.js';

/** What the compose checks need to know beyond the file. */
export interface ComposeCheckOptions {
  /** Whether a path relative to the compose file exists (bind mounts, build contexts). */
  readonly fileExists: (relativePath: string) => boolean;
}

function services(compose: Parsed): Record<string, Record<string, unknown>> {
  const result: Record<string, Record<string, unknown>> = {};
  for (const [name, value] of Object.entries(asRecord(asRecord(compose)['services']))) result[name] = asRecord(value);
  return result;
}

/** A tag that names one release: x.y or x.y.z (optionally v-prefixed, with a suffix), or a digest. */
const PINNED_TAG = /^v?\d+\.\d+(\.\d+)?([-+][\w.-]+)?$/;

/** `grafana/tempo:3.1.0` → `3.1.0`; undefined without a tag. A registry port is not a tag. */
export function imageTag(image: string): string | undefined {
  if (image.includes('@sha256:')) return image.slice(image.indexOf('@') + 1);
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  return colon === -1 ? undefined : image.slice(colon + 1);
}

/** Compose-style `${NAME:-default}` / `${NAME-default}` / `${NAME}` / `$$`, resolved against `env`. */
export function interpolate(value: string, env: Readonly<Record<string, string | undefined>> = {}): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g, (whole, name: string | undefined, op: string | undefined, fallback: string | undefined) => {
    if (whole === '$$') return '$';
    const current = env[name ?? ''];
    if (op === ':-') return current === undefined || current === '' ? (fallback ?? '') : current;
    if (op === '-') return current ?? fallback ?? '';
    return current ?? '';
  });
}

/** A service's environment as a map, list form (`KEY=value`) or map form, values as written. */
export function serviceEnvironment(service: Record<string, unknown>): Record<string, string> {
  const raw = service['environment'];
  const env: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (const item of raw) {
      if (typeof item !== 'string') continue;
      const eq = item.indexOf('=');
      if (eq === -1) env[item] = '';
      else env[item.slice(0, eq)] = item.slice(eq + 1);
    }
  } else if (isRecord(raw)) {
    for (const [key, value] of Object.entries(raw)) env[key] = value === null || value === undefined ? '' : String(value);
  }
  return env;
}

interface Mount {
  readonly source: string;
  readonly target: string;
}

function mounts(service: Record<string, unknown>): Mount[] {
  const volumes = service['volumes'];
  if (!Array.isArray(volumes)) return [];
  return volumes.flatMap((volume): Mount[] => {
    if (typeof volume === 'string') {
      const [source = '', target = ''] = volume.split(':');
      return [{ source, target }];
    }
    const record = asRecord(volume);
    return typeof record['source'] === 'string' && typeof record['target'] === 'string' ? [{ source: record['source'], target: record['target'] }] : [];
  });
}

function dependsOn(service: Record<string, unknown>): string[] {
  const value = service['depends_on'];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return Object.keys(asRecord(value));
}

/** Host ports a service publishes (`"4318:4318"`, `"127.0.0.1:3000:3000"`, long form). */
export function publishedPorts(service: Record<string, unknown>): number[] {
  const ports = service['ports'];
  if (!Array.isArray(ports)) return [];
  return ports.flatMap((port): number[] => {
    if (typeof port === 'string') {
      const parts = port.replace(/\/(tcp|udp)$/, '').split(':');
      return parts.length >= 2 ? [Number(parts[parts.length - 2])] : [];
    }
    const published = asRecord(port)['published'];
    return published === undefined ? [] : [Number(published)];
  });
}

/** Checks the structure of a compose file. */
export function checkCompose(compose: Parsed, options: ComposeCheckOptions): Problem[] {
  const problems: Problem[] = [];
  const all = services(compose);
  const namedVolumes = new Set(Object.keys(asRecord(asRecord(compose)['volumes'])));
  const hostPorts = new Map<number, string>();
  if (Object.keys(all).length === 0) problems.push({ rule: 'no-services', message: 'the compose file defines no services' });

  for (const [name, service] of Object.entries(all)) {
    const image = service['image'];
    const build = service['build'];
    // A service built here is pinned by the repository itself.
    if (build === undefined) {
      const tag = typeof image === 'string' ? imageTag(image) : undefined;
      if (typeof image !== 'string') {
        problems.push({ rule: 'image-not-pinned', message: `service ${name} has neither image nor build` });
      } else if (tag === undefined || !(tag.startsWith('sha256:') || PINNED_TAG.test(tag))) {
        problems.push({ rule: 'image-not-pinned', message: `service ${name}: image ${image} is not pinned to a version (tag ${tag ?? 'missing, i.e. latest'})` });
      }
    } else {
      const context = typeof build === 'string' ? build : asRecord(build)['context'];
      if (typeof context === 'string' && !options.fileExists(context)) {
        problems.push({ rule: 'missing-mounted-file', message: `service ${name}: build context ${context} does not exist` });
      }
    }
    for (const target of dependsOn(service)) {
      if (all[target] === undefined) problems.push({ rule: 'missing-depends-on-target', message: `service ${name} depends on ${target}, which is not a service` });
    }
    for (const mount of mounts(service)) {
      const isBind = mount.source.startsWith('.') || mount.source.startsWith('/');
      if (isBind) {
        if (!options.fileExists(mount.source)) problems.push({ rule: 'missing-mounted-file', message: `service ${name} mounts ${mount.source}, which does not exist` });
      } else if (!namedVolumes.has(mount.source)) {
        problems.push({ rule: 'undeclared-volume', message: `service ${name} mounts volume ${mount.source}, which is not declared under volumes` });
      }
    }
    for (const port of publishedPorts(service)) {
      const other = hostPorts.get(port);
      if (other !== undefined) problems.push({ rule: 'host-port-clash', message: `host port ${port} is published by both ${other} and ${name}` });
      else hostPorts.set(port, name);
    }
  }
  return problems;
}

/**
 * Checks that each collector exporter sends to a compose service, on a port that service
 * listens on. `listening` maps service names to their container ports (read from their own
 * config files by the caller).
 */
export function checkCollectorEndpoints(
  compose: Parsed,
  endpoints: readonly ExporterEndpoint[],
  listening: ReadonlyMap<string, readonly number[]>,
): Problem[] {
  const all = services(compose);
  const problems: Problem[] = [];
  for (const endpoint of endpoints) {
    if (all[endpoint.host] === undefined) {
      problems.push({ rule: 'collector-endpoint-mismatch', message: `exporter ${endpoint.exporter} sends to ${endpoint.host}, which is not a compose service` });
      continue;
    }
    const ports = listening.get(endpoint.host);
    if (ports !== undefined && !ports.includes(endpoint.port)) {
      problems.push({
        rule: 'collector-endpoint-mismatch',
        message: `exporter ${endpoint.exporter} sends to ${endpoint.host}:${endpoint.port}, but ${endpoint.host} listens on ${ports.join(', ')}`,
      });
    }
  }
  return problems;
}
