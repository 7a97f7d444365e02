// Which instrumentation made a span ("source flavour"), from its scope name and, for SDKs that
// reuse generic scope names, its attribute namespaces. Stored with each row so source-specific
// quirks can be fixed later without re-parsing. Pure.
import { ATTR_CONVOTEL_SPAN_KIND } from '@convotel/semconv';
import type { AttributeMap } from '../../otlp/types.js';
import { OPERATION_KEYS } from '../read/keys.js';

/** Instrumentation families the ingest knows the quirks of. */
export type Flavour =
  | 'convotel'
  | 'otel-openai'
  | 'openllmetry'
  | 'openlit'
  | 'openinference'
  | 'vercel-ai'
  /** The client library's own spans (`@anthropic-ai/sdk` ≥0.13x), which may repeat another instrumentation's. */
  | 'anthropic-sdk'
  | 'livekit'
  | 'pipecat'
  | 'langfuse'
  | 'mastra'
  | 'otel-genai'
  | 'other';

const SCOPE_PREFIXES: readonly (readonly [string, Flavour])[] = [
  ['@convotel/', 'convotel'],
  ['@opentelemetry/instrumentation-openai', 'otel-openai'],
  ['@traceloop/', 'openllmetry'],
  ['traceloop', 'openllmetry'],
  ['opentelemetry.instrumentation.', 'openllmetry'],
  // OpenLIT: the root span's scope is `openlit`, its provider wrappers' `@openlit/instrumentation-*`
  // (test/fixtures/openlit).
  ['openlit', 'openlit'],
  ['@openlit/', 'openlit'],
  ['@arizeai/', 'openinference'],
  ['openinference', 'openinference'],
  ['@ai-sdk/', 'vercel-ai'],
  // `@anthropic-ai/sdk` emits spans itself under `com.anthropic.sdk.typescript` (test/fixtures/anthropic-sdk-native).
  ['com.anthropic.sdk', 'anthropic-sdk'],
  ['livekit', 'livekit'],
  ['pipecat', 'pipecat'],
  ['langfuse', 'langfuse'],
  // `@mastra/otel-exporter` 0.3 (test/fixtures/mastra).
  ['@mastra/otel', 'mastra'],
];

/**
 * The flavour its scope name alone tells (the same for every span of the scope), if any; a
 * span's flavour is this, else {@link flavourOfAttributes}.
 */
export function flavourOfScope(scopeName: string): Flavour | undefined {
  const scope = scopeName.toLowerCase();
  // The Vercel AI SDK's legacy telemetry uses the bare scope name `ai`.
  if (scope === 'ai') return 'vercel-ai';
  for (const [prefix, flavour] of SCOPE_PREFIXES) if (scope.startsWith(prefix)) return flavour;
  return undefined;
}

/** The flavour of a span whose scope name tells none, from the attribute namespaces it uses. */
export function flavourOfAttributes(attributes: AttributeMap): Flavour {
  if (attributes[ATTR_CONVOTEL_SPAN_KIND] !== undefined) return 'convotel';
  if (attributes[OPERATION_KEYS.openInference] !== undefined) return 'openinference';
  if (attributes[OPERATION_KEYS.traceloopSpanKind] !== undefined || attributes[OPERATION_KEYS.openLlmetryRequestType] !== undefined) {
    return 'openllmetry';
  }
  let hasGenAi = false;
  for (const key in attributes) {
    if (key.startsWith('ai.')) return 'vercel-ai';
    if (key.startsWith('lk.')) return 'livekit';
    if (key.startsWith('langfuse.')) return 'langfuse';
    if (key.startsWith('gen_ai.')) hasGenAi = true;
  }
  return hasGenAi ? 'otel-genai' : 'other';
}
