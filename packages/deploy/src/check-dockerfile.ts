// Offline checks of the Dockerfile against what `npm start` runs: the same entry point, env
// names the config parsers read, the ports serve listens on, a health check, production
// dependencies only, every shipped file of the packages it loads, and a non-root user.
import { commandWords, envAssignments, type ParsedDockerfile, type Stage } from './dockerfile.js';
import type { Problem } from './problem.js';

export interface DockerfileExpectations {
  /** The command `npm start` runs, as words (see `startCommand`). */
  readonly command: readonly string[];
  /** Env names the program reads; others set in the image are typos or leftovers. */
  readonly envNames: ReadonlySet<string>;
  /** Ports the program listens on by default; each must be EXPOSEd. */
  readonly ports: readonly number[];
  /** Paths (relative to the app folder) the runtime stage must copy (see `runtimePaths`). */
  readonly runtimePaths: readonly string[];
  /** Path the HEALTHCHECK must probe. */
  readonly healthPath: string;
}

/** Node's own variables, fine to set in any Node image. */
const RUNTIME_ENV = new Set(['NODE_ENV', 'NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS']);

function instructionsOf(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args);
}

function isProductionInstall(run: string): boolean {
  return /\bnpm\s+(ci|install)\b/.test(run) && /--omit[= ]dev|--production\b/.test(run);
}

function isInstall(run: string): boolean {
  return /\bnpm\s+(ci|install|i)\b/.test(run);
}

export function checkDockerfile(dockerfile: ParsedDockerfile, expected: DockerfileExpectations): Problem[] {
  const problems: Problem[] = [];
  const final = dockerfile.stages.at(-1);
  if (final === undefined) return [{ rule: 'no-stages', message: 'the Dockerfile has no FROM' }];

  // Entry point: ENTRYPOINT words then CMD words, as Docker joins them.
  const entrypoint = instructionsOf(final, 'ENTRYPOINT').at(-1);
  const cmd = instructionsOf(final, 'CMD').at(-1);
  const runs = [...(entrypoint === undefined ? [] : commandWords(entrypoint)), ...(cmd === undefined ? [] : commandWords(cmd))];
  if (runs.join(' ') !== expected.command.join(' ')) {
    problems.push({ rule: 'entry-point-mismatch', message: `the image runs "${runs.join(' ')}", npm start runs "${expected.command.join(' ')}"` });
  }

  const env: Record<string, string> = {};
  for (const args of instructionsOf(final, 'ENV')) Object.assign(env, envAssignments(args));
  for (const name of Object.keys(env)) {
    if (!expected.envNames.has(name) && !RUNTIME_ENV.has(name)) {
      problems.push({ rule: 'unknown-env-name', message: `ENV ${name} is read by no config parser` });
    }
  }

  const exposed = new Set(instructionsOf(final, 'EXPOSE').flatMap((args) => args.split(/\s+/).map((port) => Number(port.replace(/\/(tcp|udp)$/, '')))));
  const ports = new Set(expected.ports);
  // A port set in the image's ENV is the one it listens on.
  for (const name of ['CONVOTEL_OTLP_PORT', 'CONVOTEL_PORT']) if (env[name] !== undefined) ports.add(Number(env[name]));
  for (const port of ports) {
    if (!exposed.has(port)) problems.push({ rule: 'port-not-exposed', message: `port ${port} is not EXPOSEd` });
  }

  const health = instructionsOf(final, 'HEALTHCHECK').at(-1);
  if (health === undefined || /^NONE$/i.test(health.trim())) {
    problems.push({ rule: 'missing-healthcheck', message: 'the runtime stage has no HEALTHCHECK' });
  } else if (!health.includes(expected.healthPath)) {
    problems.push({ rule: 'missing-healthcheck', message: `the HEALTHCHECK does not probe ${expected.healthPath}` });
  }

  // Production dependencies: from an --omit=dev install, in this stage or the one it copies /app from.
  const copies = instructionsOf(final, 'COPY');
  const sourceStages = copies
    .map((args) => /--from=(\S+)\s+(\S+)/.exec(args))
    .filter((match): match is RegExpExecArray => match !== null && /^\/app\/?$|node_modules\/?$/.test(match[2] ?? ''))
    .map((match) => dockerfile.stages.find((stage) => stage.name === match[1]))
    .filter((stage): stage is Stage => stage !== undefined);
  const installs = [final, ...sourceStages].flatMap((stage) => instructionsOf(stage, 'RUN').filter(isInstall));
  if (installs.length === 0 || !installs.every(isProductionInstall)) {
    problems.push({ rule: 'dev-dependencies-in-runtime', message: 'the runtime stage does not get its node_modules from an npm ci --omit=dev' });
  }

  const destinations = copies.map((args) => commandWords(args).filter((word) => !word.startsWith('--')).at(-1) ?? '').map((dest) => dest.replace(/^\.\//, '').replace(/\/$/, ''));
  for (const path of expected.runtimePaths) {
    if (!destinations.some((dest) => dest === path || (dest !== '' && dest !== '.' && path.startsWith(`${dest}/`)))) {
      problems.push({ rule: 'runtime-file-missing', message: `the runtime stage does not copy ${path}` });
    }
  }

  const user = instructionsOf(final, 'USER').at(-1)?.trim();
  if (user === undefined || user === 'root' || user === '0' || user.startsWith('0:') || user.startsWith('root:')) {
    problems.push({ rule: 'runs-as-root', message: 'the runtime stage runs as root (no USER, or USER root)' });
  }
  return problems;
}
