// Which instrumentation made a span ("source flavour"), from its scope name and, for SDKs that
// reuse generic scope names, its attribute namespaces. Stored with each row so source-specific
// quirks can be fixed later without re-parsing. The flavours themselves are declared in
// flavours/ (one file each) and listed in flavours/registry.ts. Pure.
import type { AttributeMap } from '../../otlp/types.js';
import { flavourOfMarkers, type Flavour } from '../flavours/registry.js';

export type { Flavour } from '../flavours/registry.js';
// A span's flavour is its scope's (flavours/registry.ts, flavourOfScope), else the one below.

const GEN_AI_PREFIX = 'gen_ai.';

/** The flavour of a span whose scope name tells none, from the attribute namespaces it uses. */
export function flavourOfAttributes(attributes: AttributeMap): Flavour {
  const marked = flavourOfMarkers(attributes);
  if (marked !== undefined) return marked;
  for (const key in attributes) if (key.startsWith(GEN_AI_PREFIX)) return 'otel-genai';
  return 'other';
}
