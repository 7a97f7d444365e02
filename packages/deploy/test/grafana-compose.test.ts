// Grafana expands ${VAR} in its provisioning files from its own environment, and an unset one
// becomes an empty password or webhook without a word: compose must set every one it uses.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceEnvironment } from '../src/index.js';
import { at, readRepoYaml, REPO_ROOT } from './helpers/repo-files.js';

/** Upper-case $VAR / ${VAR} references outside comments (Grafana's own $__macros and $$ escapes are not variables). */
function variablesIn(text: string): string[] {
  const names = new Set<string>();
  const code = text.replace(/^\s*#.*$/gm, '');
  for (const match of code.matchAll(/(?<!\$)\$(?:\{([A-Z][A-Z0-9_]*)\}|([A-Z][A-Z0-9_]*)(?![a-z]))/g)) names.add(match[1] ?? match[2]!);
  return [...names];
}

function provisioningFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? provisioningFiles(join(dir, entry.name)) : /\.ya?ml$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

describe('grafana provisioning in compose', () => {
  it('finds $VAR and ${VAR} but not $$ escapes or $__ macros', () => {
    expect(variablesIn('# $IN_A_COMMENT\na: ${CONVOTEL_DB_PASSWORD} b: $HOME c: $${__trace.traceId} d: $__timeFilter(t) e: $$HOME').sort()).toEqual(['CONVOTEL_DB_PASSWORD', 'HOME']);
  });

  it('sets, in the grafana service, every variable the provisioning files expand', () => {
    const env = serviceEnvironment(at(readRepoYaml('docker-compose.yml'), 'services', 'grafana') as Record<string, unknown>);
    const used = provisioningFiles(join(REPO_ROOT, 'grafana', 'provisioning')).flatMap((file) => variablesIn(readFileSync(file, 'utf8')));
    expect(used).toContain('CONVOTEL_DB_PASSWORD');
    expect(used.filter((name) => !(name in env))).toEqual([]);
  });
});
