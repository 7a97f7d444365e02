// `@opentelemetry/instrumentation-openai` (opentelemetry-js-contrib): test/fixtures/otel-contrib-openai.
// It writes the GenAI semantic conventions and nothing of its own beyond its scope name. Pure.
import type { FlavourSpec } from './flavour-spec.js';

export const otelOpenai = {
  name: 'otel-openai',
  scopePrefixes: ['@opentelemetry/instrumentation-openai'],
} as const satisfies FlavourSpec;
