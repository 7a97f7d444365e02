// What the repository itself says the image must hold and run: the `npm start` command, the
// env names the config parsers read, and the files each workspace package ships.
import { asRecord, asStringList, type Parsed } from './problem.js';

/** `npm run build && DATABASE_URL= node packages/cli/bin/convotel.js serve` → `node packages/cli/bin/convotel.js serve`, as words. */
export function startCommand(rootPackage: Parsed): string[] {
  const start = asRecord(asRecord(rootPackage)['scripts'])['start'];
  if (typeof start !== 'string') return [];
  const last = start.split('&&').at(-1) ?? '';
  const words = last.trim().split(/\s+/);
  // Leading NAME=value words are environment for the command, not the command.
  while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0] ?? '')) words.shift();
  return words;
}

/**
 * Environment variable names a config module reads: the members of its `…EnvVar` union types
 * and `env['NAME']` look-ups.
 */
export function envNamesFromSource(source: string): string[] {
  const names = new Set<string>();
  for (const union of source.matchAll(/type\s+\w*EnvVar\s*=([^;]*);/g)) {
    for (const name of (union[1] ?? '').matchAll(/'([A-Z][A-Z0-9_]*)'/g)) names.add(name[1] ?? '');
  }
  for (const lookUp of source.matchAll(/env\[\s*'([A-Z][A-Z0-9_]*)'\s*\]/g)) names.add(lookUp[1] ?? '');
  return [...names].sort();
}

/** One workspace package: its folder under the repository and its package.json. */
export interface WorkspacePackage {
  readonly dir: string;
  readonly manifest: Parsed;
}

/**
 * The paths the running program needs from the build: the `files` of `entry` and of every
 * workspace package it depends on, directly or not (`packages/ingest/proto`, …).
 */
export function runtimePaths(packages: readonly WorkspacePackage[], entry: string): string[] {
  const byName = new Map<string, WorkspacePackage>();
  for (const pkg of packages) {
    const name = asRecord(pkg.manifest)['name'];
    if (typeof name === 'string') byName.set(name, pkg);
  }
  const seen = new Set<string>();
  const queue = [entry];
  const paths: string[] = [];
  while (queue.length > 0) {
    const name = queue.shift() ?? '';
    const pkg = byName.get(name);
    if (pkg === undefined || seen.has(name)) continue;
    seen.add(name);
    const manifest = asRecord(pkg.manifest);
    for (const file of asStringList(manifest['files'])) paths.push(`${pkg.dir}/${file}`);
    for (const dependency of Object.keys(asRecord(manifest['dependencies']))) {
      if (byName.has(dependency)) queue.push(dependency);
    }
  }
  return paths.sort();
}
