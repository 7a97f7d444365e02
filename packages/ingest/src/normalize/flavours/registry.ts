// The flavours the ingest knows, in lookup order: where two flavours' keys name one concept,
// the earlier flavour's key wins (only bridges put two flavours' keys on one span). A new
// flavour is one file in this folder, listed here, plus one fixture folder. Pure.
import type { AttributeMap } from '../../otlp/types.js';
import type { Operation } from '../concepts/operation-kind.js';
import type { FlavourKeys, FlavourSpec, KeyConcept, StageDelayKey, TtftKey } from './flavour-spec.js';
import { anthropicSdk } from './anthropic-sdk.js';
import { convotel } from './convotel.js';
import { langfuse } from './langfuse.js';
import { livekit } from './livekit.js';
import { mastra } from './mastra.js';
import { openinference } from './openinference.js';
import { openlit } from './openlit.js';
import { openllmetry } from './openllmetry.js';
import { otelOpenai } from './otel-openai.js';
import { pipecat } from './pipecat.js';
import { vercelAi } from './vercel-ai.js';

const SPECS = [convotel, otelOpenai, openllmetry, openlit, openinference, vercelAi, langfuse, anthropicSdk, livekit, pipecat, mastra] as const;

/** Instrumentation families the ingest knows the quirks of; `otel-genai` speaks only the standard. */
export type Flavour = (typeof SPECS)[number]['name'] | 'otel-genai' | 'other';

export const FLAVOUR_SPECS: readonly FlavourSpec[] = SPECS;

const byName = new Map<string, FlavourSpec>(SPECS.map((spec) => [spec.name, spec]));

/** The spec of a flavour (none for `otel-genai` and `other`). */
export function flavourSpec(flavour: Flavour): FlavourSpec | undefined {
  return byName.get(flavour);
}

function collect(concept: KeyConcept, field: 'keys' | 'fallbackKeys'): string[] {
  return SPECS.flatMap((spec) => (spec as FlavourSpec)[field]?.[concept] ?? []);
}

/**
 * Every flavour's keys for a concept, in lookup order: `keys` in registry order, then the
 * weaker `fallbackKeys`; a key listed twice counts once, at its first place.
 */
export function flavourKeys(concept: KeyConcept): readonly string[] {
  return [...new Set([...collect(concept, 'keys'), ...collect(concept, 'fallbackKeys')])];
}

/** A flavour's own keys for a concept: read on its spans alone (empty for most). */
export function ownKeys(flavour: Flavour, concept: KeyConcept): readonly string[] {
  const own: FlavourKeys | undefined = byName.get(flavour)?.ownKeys;
  return own?.[concept] ?? [];
}

/** The names of a flavour's turn spans inside a call-long trace; empty for flavours with a trace per turn. */
export function turnSpanNamesOf(flavour: Flavour): readonly string[] {
  return byName.get(flavour)?.turnSpanNames ?? [];
}

/** The key a flavour's turn spans share when they make one turn, if any. */
export function turnGroupKeyOf(flavour: Flavour): string | undefined {
  return byName.get(flavour)?.turnGroupKey;
}

/** The names of a flavour's spans that last while the user or the agent speaks. */
export function speakingSpansOf(flavour: Flavour): { readonly user?: string; readonly agent?: string } {
  return byName.get(flavour)?.speakingSpans ?? {};
}

/** A flavour's stage delay keys (empty for most). */
export function stageDelayKeysOf(flavour: Flavour): readonly StageDelayKey[] {
  return byName.get(flavour)?.stageDelayKeys ?? [];
}

/** Every flavour's time-to-first-token keys, in registry order. */
export function flavourTtftKeys(): readonly TtftKey[] {
  return SPECS.flatMap((spec) => (spec as FlavourSpec).ttftKeys ?? []);
}

/** Scope-name prefixes of every flavour's framework layers (see `FlavourSpec.frameworkScopePrefixes`). */
export function frameworkScopePrefixes(): readonly string[] {
  return SPECS.flatMap((spec) => (spec as FlavourSpec).frameworkScopePrefixes ?? []);
}

/** Every flavour's operation words with ours. */
export function flavourOperationAliases(): Readonly<Record<string, Operation>> {
  return Object.assign({}, ...SPECS.map((spec) => (spec as FlavourSpec).operationAliases ?? {})) as Record<string, Operation>;
}

const scopeNames = new Map<string, Flavour>();
const scopePrefixes: (readonly [string, Flavour])[] = [];
const markerKeys: (readonly [string, Flavour])[] = [];
const markerPrefixes: (readonly [string, Flavour])[] = [];
for (const spec of SPECS as readonly (FlavourSpec & { readonly name: Flavour })[]) {
  for (const name of spec.scopeNames ?? []) scopeNames.set(name, spec.name);
  for (const prefix of spec.scopePrefixes ?? []) scopePrefixes.push([prefix, spec.name]);
  for (const key of spec.markerKeys ?? []) markerKeys.push([key, spec.name]);
  for (const prefix of spec.markerPrefixes ?? []) markerPrefixes.push([prefix, spec.name]);
}

/** The flavour a scope name marks, if any (the same for every span of the scope). */
export function flavourOfScope(scopeName: string): Flavour | undefined {
  const scope = scopeName.toLowerCase();
  const exact = scopeNames.get(scope);
  if (exact !== undefined) return exact;
  for (const [prefix, flavour] of scopePrefixes) if (scope.startsWith(prefix)) return flavour;
  return undefined;
}

/** The flavour a span's marker keys, then the namespaces of its keys, point to, if any. */
export function flavourOfMarkers(attributes: AttributeMap): Flavour | undefined {
  for (const [key, flavour] of markerKeys) if (attributes[key] !== undefined) return flavour;
  for (const key in attributes) {
    for (const [prefix, flavour] of markerPrefixes) if (key.startsWith(prefix)) return flavour;
  }
  return undefined;
}
