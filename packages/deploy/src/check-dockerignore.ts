// Offline check of .dockerignore: what the build needs is sent to Docker, and what the host
// built or installed is not (a host's node_modules or dist would shadow the image's own).
import type { Problem } from './problem.js';

/** Compiles one .dockerignore pattern (Go filepath.Match plus `**`) to a regular expression. */
function toRegExp(pattern: string): RegExp {
  const clean = pattern.replace(/^\/+/, '').replace(/\/+$/, '');
  let source = '';
  for (let i = 0; i < clean.length; i += 1) {
    const char = clean[i] ?? '';
    if (char === '*' && clean[i + 1] === '*') {
      // `**/` matches any number of folders, including none.
      source += clean[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += clean[i + 2] === '/' ? 2 : 1;
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  // A pattern that names a folder excludes everything in it.
  return new RegExp(`^${source}(?:/.*)?$`);
}

/** Whether `.dockerignore` keeps `path` (relative to the context) out of the build context. */
export function isIgnored(path: string, dockerignore: string): boolean {
  let ignored = false;
  for (const raw of dockerignore.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    // Later lines win, and `!` takes a path back in.
    const isException = line.startsWith('!');
    if (toRegExp(isException ? line.slice(1) : line).test(path)) ignored = !isException;
  }
  return ignored;
}

export interface DockerignoreExpectations {
  /** Paths the build reads: sources, manifests, shipped assets. */
  readonly sent: readonly string[];
  /** Paths that must stay out: host installs and builds. */
  readonly kept: readonly string[];
}

export function checkDockerignore(dockerignore: string, expected: DockerignoreExpectations): Problem[] {
  const problems: Problem[] = [];
  for (const path of expected.sent) {
    if (isIgnored(path, dockerignore)) problems.push({ rule: 'build-input-ignored', message: `.dockerignore keeps ${path} out of the build context` });
  }
  for (const path of expected.kept) {
    if (!isIgnored(path, dockerignore)) problems.push({ rule: 'host-output-sent', message: `.dockerignore sends ${path} into the build context` });
  }
  return problems;
}
