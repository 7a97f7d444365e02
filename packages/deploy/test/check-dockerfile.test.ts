import { DEFAULT_API_PORT } from '@convotel/api';
import { DEFAULT_INGEST_CONFIG } from '@convotel/ingest';
import { describe, expect, it } from 'vitest';
import {
  checkDockerfile,
  envAssignments,
  envNamesFromSource,
  interpolate,
  parseDockerfile,
  runtimePaths,
  serviceEnvironment,
  startCommand,
  type DockerfileExpectations,
} from '../src/index.js';
import { at, readRepoText, readRepoYaml, workspacePackages } from './helpers/repo-files.js';

const dockerfileText = readRepoText('Dockerfile');

/** What the repository says the image must do: from package.json and the config parsers' sources. */
function expectations(): DockerfileExpectations {
  const envNames = new Set(
    ['packages/ingest/src/config.ts', 'packages/api/src/config.ts', 'packages/store/src/create-store.ts'].flatMap((path) => envNamesFromSource(readRepoText(path))),
  );
  return {
    command: startCommand(JSON.parse(readRepoText('package.json')) as unknown),
    envNames,
    ports: [DEFAULT_INGEST_CONFIG.port, DEFAULT_API_PORT],
    runtimePaths: runtimePaths(workspacePackages(), '@convotel/cli'),
    healthPath: '/healthz',
  };
}

/** The Dockerfile with one line replaced (the line must be there: a test that edits nothing proves nothing). */
function edited(from: string, to: string): ReturnType<typeof parseDockerfile> {
  expect(dockerfileText).toContain(from);
  return parseDockerfile(dockerfileText.replace(from, to));
}

describe('Dockerfile', () => {
  it('has no problems', () => {
    expect(checkDockerfile(parseDockerfile(dockerfileText), expectations())).toEqual([]);
  });

  it('runs what npm start runs', () => {
    expect(expectations().command).toEqual(['node', 'packages/cli/bin/convotel.js', 'serve']);
  });

  it('knows the env names the config parsers read', () => {
    const names = expectations().envNames;
    for (const name of ['DATABASE_URL', 'CONVOTEL_DATA_DIR', 'CONVOTEL_PORT', 'CONVOTEL_OTLP_PORT', 'CONVOTEL_API_KEYS', 'CONVOTEL_GRAFANA_URL', 'CONVOTEL_INGEST_TOKEN']) {
      expect(names.has(name), name).toBe(true);
    }
  });

  it("sets in compose's convotel service only env names the config parsers read", () => {
    const env = serviceEnvironment(at(readRepoYaml('docker-compose.yml'), 'services', 'convotel'));
    expect(Object.keys(env).filter((name) => !expectations().envNames.has(name))).toEqual([]);
    expect(interpolate(env['CONVOTEL_OTLP_PORT'] ?? '')).toBe(String(DEFAULT_INGEST_CONFIG.port));
  });

  it('copies every file the CLI and the packages it loads ship', () => {
    expect(expectations().runtimePaths).toEqual(
      expect.arrayContaining(['packages/cli/bin', 'packages/cli/dist', 'packages/ingest/proto', 'packages/store/migrations', 'packages/web/dist']),
    );
    expect(expectations().runtimePaths).not.toContain('packages/instrumentation/dist');
  });
});

describe('checkDockerfile', () => {
  it('catches another entry point', () => {
    const broken = edited('CMD ["node", "packages/cli/bin/convotel.js", "serve"]', 'CMD ["node", "packages/ingest/dist/main.js"]');
    expect(checkDockerfile(broken, expectations())).toEqual([
      { rule: 'entry-point-mismatch', message: 'the image runs "node packages/ingest/dist/main.js", npm start runs "node packages/cli/bin/convotel.js serve"' },
    ]);
  });

  it('joins ENTRYPOINT and CMD as Docker does', () => {
    const split = edited('CMD ["node", "packages/cli/bin/convotel.js", "serve"]', 'ENTRYPOINT ["node", "packages/cli/bin/convotel.js"]\nCMD ["serve"]');
    expect(checkDockerfile(split, expectations())).toEqual([]);
  });

  it('catches an env name no parser reads', () => {
    const broken = edited('CONVOTEL_PORT=8080', 'CONVOTEL_API_PORT=8080');
    expect(checkDockerfile(broken, expectations()).map((problem) => problem.message)).toEqual(['ENV CONVOTEL_API_PORT is read by no config parser']);
  });

  it('catches a port serve listens on that is not exposed', () => {
    const broken = edited('EXPOSE 4318 8080', 'EXPOSE 8080');
    expect(checkDockerfile(broken, expectations())).toEqual([{ rule: 'port-not-exposed', message: 'port 4318 is not EXPOSEd' }]);
  });

  it('catches a missing or misdirected health check', () => {
    const withoutHealthcheck = parseDockerfile(dockerfileText.replace(/HEALTHCHECK[^\n]*\\\n[^\n]*\n/, ''));
    expect(checkDockerfile(withoutHealthcheck, expectations()).map((problem) => problem.rule)).toEqual(['missing-healthcheck']);
    const elsewhere = edited("'/healthz'", "'/'");
    expect(checkDockerfile(elsewhere, expectations())).toEqual([{ rule: 'missing-healthcheck', message: 'the HEALTHCHECK does not probe /healthz' }]);
  });

  it('catches dev dependencies in the runtime image', () => {
    const broken = edited('npm ci --omit=dev --ignore-scripts', 'npm ci --ignore-scripts');
    expect(checkDockerfile(broken, expectations()).map((problem) => problem.rule)).toEqual(['dev-dependencies-in-runtime']);
  });

  it('catches a shipped folder the runtime stage leaves out', () => {
    const broken = edited('COPY --from=build /app/packages/ingest/proto packages/ingest/proto\n', '');
    expect(checkDockerfile(broken, expectations())).toEqual([{ rule: 'runtime-file-missing', message: 'the runtime stage does not copy packages/ingest/proto' }]);
  });

  it('catches a runtime running as root', () => {
    const broken = edited('USER node\n', '');
    expect(checkDockerfile(broken, expectations()).map((problem) => problem.rule)).toEqual(['runs-as-root']);
  });

  it('reads ENV in both forms and continuation lines', () => {
    expect(envAssignments('A=1 B="two words"')).toEqual({ A: '1', B: 'two words' });
    expect(envAssignments('A one')).toEqual({ A: 'one' });
    const parsed = parseDockerfile('ARG IMG=node:20\nFROM ${IMG} AS x\nRUN a \\\n  # note\n  b\n');
    expect(parsed.stages).toEqual([{ name: 'x', image: 'node:20', instructions: [{ keyword: 'RUN', args: 'a b', line: 3 }] }]);
  });
});
