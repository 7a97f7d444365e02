import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FLAVOUR_SPECS, flavourKeys, flavourOfMarkers, flavourOfScope } from '../../../src/normalize/flavours/registry.js';
import type { FlavourSpec, KeyConcept } from '../../../src/normalize/flavours/flavour-spec.js';
import { CONVERSATION_ID_KEYS } from '../../../src/normalize/read/keys.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '../../../src');
const FLAVOURS_DIR = join(SRC, 'normalize/flavours');
const NOT_FLAVOURS = new Set(['flavour-spec.ts', 'registry.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function keysOf(spec: FlavourSpec): string[] {
  const lists = [spec.keys, spec.fallbackKeys, spec.ownKeys].flatMap((keys) => Object.values(keys ?? {}) as (readonly string[])[]);
  return [...lists.flat(), ...(spec.ttftKeys ?? []).map((ttft) => ttft.key), ...(spec.markerKeys ?? [])];
}

describe('flavour registry', () => {
  it('lists every flavour file of the flavours folder, each under a distinct name', () => {
    const files = readdirSync(FLAVOURS_DIR).filter((name) => name.endsWith('.ts') && !NOT_FLAVOURS.has(name));
    expect(FLAVOUR_SPECS.map((spec) => spec.name).sort()).toEqual(files.map((file) => file.replace(/\.ts$/, '')).sort());
  });

  it('gives no scope prefix or marker to two flavours', () => {
    const claims = FLAVOUR_SPECS.flatMap((spec) => [...(spec.scopePrefixes ?? []), ...(spec.scopeNames ?? []), ...(spec.markerKeys ?? [])]);
    expect(new Set(claims).size).toBe(claims.length);
    for (const spec of FLAVOUR_SPECS) {
      for (const prefix of spec.scopePrefixes ?? []) expect(flavourOfScope(`${prefix.toUpperCase()}x`)).toBe(spec.name);
      for (const key of spec.markerKeys ?? []) expect(flavourOfMarkers({ [key]: 'x' })).toBe(spec.name);
    }
  });

  it('spells each foreign key in its flavour file only: no other source file holds it as a string', () => {
    const flavourFiles = new Set(FLAVOUR_SPECS.map((spec) => join(FLAVOURS_DIR, `${spec.name}.ts`)));
    const others = sourceFiles(SRC).filter((path) => !flavourFiles.has(path));
    const texts = others.map((path) => ({ path, text: readFileSync(path, 'utf8') }));
    const misplaced: string[] = [];
    for (const spec of FLAVOUR_SPECS) {
      for (const key of keysOf(spec)) {
        for (const { path, text } of texts) {
          if (text.includes(`'${key}'`) || text.includes(`"${key}"`)) misplaced.push(`${key} in ${path.slice(SRC.length)}`);
        }
      }
    }
    expect(misplaced).toEqual([]);
  });

  it('composes a concept from the standard keys, then each flavour in registry order, each key once', () => {
    const concept: KeyConcept = 'conversationId';
    const expected = FLAVOUR_SPECS.flatMap((spec) => spec.keys?.[concept] ?? []);
    expect(flavourKeys(concept)).toEqual([...new Set(expected)]);
    expect(CONVERSATION_ID_KEYS.slice(0, 2)).toEqual(['gen_ai.conversation.id', 'session.id']);
    expect(CONVERSATION_ID_KEYS).toContain('traceloop.association.properties.session_id');
    // Mastra's bare `threadId` is its own key: never read on other flavours' spans.
    expect(CONVERSATION_ID_KEYS).not.toContain('threadId');
  });
});
