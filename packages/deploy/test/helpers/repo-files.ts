// Reads the repository's real deployment files, and deep copies for tests to break.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { WorkspacePackage } from '../../src/index.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export function readRepoText(relativePath: string): string {
  return readFileSync(join(REPO_ROOT, relativePath), 'utf8');
}

export function readRepoYaml(relativePath: string): unknown {
  return parse(readRepoText(relativePath)) as unknown;
}

export function repoPathExists(relativePath: string): boolean {
  return existsSync(join(REPO_ROOT, relativePath));
}

export function workspacePackages(): WorkspacePackage[] {
  return readdirSync(join(REPO_ROOT, 'packages'))
    .filter((dir) => existsSync(join(REPO_ROOT, 'packages', dir, 'package.json')))
    .map((dir) => ({ dir: `packages/${dir}`, manifest: JSON.parse(readRepoText(`packages/${dir}/package.json`)) as unknown }));
}

/** A deep copy to break without touching the parsed original. */
export function copyOf<T>(value: T): T {
  return structuredClone(value);
}

/** Walks to a nested record of a parsed file (creating nothing), for tests that edit it. */
export function at(value: unknown, ...path: string[]): Record<string, unknown> {
  let current = value;
  for (const key of path) current = (current as Record<string, unknown>)[key];
  return current as Record<string, unknown>;
}
