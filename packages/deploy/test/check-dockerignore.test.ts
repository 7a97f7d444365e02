import { describe, expect, it } from 'vitest';
import { checkDockerignore, isIgnored, runtimePaths, type DockerignoreExpectations } from '../src/index.js';
import { readRepoText, workspacePackages } from './helpers/repo-files.js';

const dockerignore = readRepoText('.dockerignore');

/** The build reads every workspace package's sources and shipped files, and the root manifests. */
function expectations(): DockerignoreExpectations {
  const shipped = runtimePaths(workspacePackages(), '@convotel/cli').filter((path) => !path.endsWith('/dist'));
  return {
    sent: [
      'package.json',
      'package-lock.json',
      'tsconfig.base.json',
      'tsconfig.json',
      ...workspacePackages().flatMap((pkg) => [`${pkg.dir}/package.json`, `${pkg.dir}/src/index.ts`, `${pkg.dir}/tsconfig.json`]),
      'packages/web/app/index.html',
      'packages/web/app/vite.config.ts',
      ...shipped.map((path) => `${path}/x`),
    ],
    kept: ['node_modules/x', 'packages/web/node_modules/x', 'packages/cli/dist/main.js', 'packages/cli/tsconfig.tsbuildinfo', '.git/HEAD', '.convotel/data', 'packages/ingest/test/x.ts'],
  };
}

describe('.dockerignore', () => {
  it('sends what the build reads and keeps host installs and builds out', () => {
    expect(checkDockerignore(dockerignore, expectations())).toEqual([]);
  });

  it('catches a pattern that keeps sources out', () => {
    expect(checkDockerignore(`${dockerignore}\n**/src\n`, expectations()).map((problem) => problem.rule)).toContain('build-input-ignored');
  });

  it("catches the host's node_modules sent to the build", () => {
    const broken = dockerignore.replace('**/node_modules\n', '');
    expect(broken).not.toBe(dockerignore);
    expect(checkDockerignore(broken, expectations())).toEqual([
      { rule: 'host-output-sent', message: '.dockerignore sends node_modules/x into the build context' },
      { rule: 'host-output-sent', message: '.dockerignore sends packages/web/node_modules/x into the build context' },
    ]);
  });
});

describe('isIgnored', () => {
  it('matches as Docker does: anchored at the context, ** across folders, later ! wins', () => {
    expect(isIgnored('docs/a.md', 'docs')).toBe(true);
    expect(isIgnored('packages/docs/a.md', 'docs')).toBe(false);
    expect(isIgnored('a/b/node_modules/c', '**/node_modules')).toBe(true);
    expect(isIgnored('node_modules/c', '**/node_modules')).toBe(true);
    expect(isIgnored('packages/cli/README.md', '*.md\n**/*.md\n!packages/*/README.md')).toBe(false);
    expect(isIgnored('README.md', '*.md\n!packages/*/README.md')).toBe(true);
  });
});
