import { createRequire } from 'node:module';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import type AnthropicClient from '@anthropic-ai/sdk';
import { AnthropicInstrumentation } from '../../src/anthropic/instrumentation.js';
import { installTestTracing } from '../helpers/otel.js';

// Order matters: tracing, then the instrumentation, then the client. The client is loaded with
// Node's require, which require-in-the-middle hooks; vitest's own import would bypass the hook.
export const tracing = installTestTracing();
export const instrumentation = new AnthropicInstrumentation();
registerInstrumentations({ instrumentations: [instrumentation] });

export const Anthropic = createRequire(import.meta.url)('@anthropic-ai/sdk') as typeof AnthropicClient;

/** A client of the test server that fails fast: no retries. */
export function createClient(baseURL: string, options: { timeout?: number } = {}): AnthropicClient {
  return new Anthropic({ baseURL, apiKey: 'test', maxRetries: 0, ...options });
}

/** The spans this instrumentation made (the SDK emits spans of its own too). */
export function ownSpans(spans: readonly ReadableSpan[]): ReadableSpan[] {
  return spans.filter((span) => span.instrumentationScope.name === '@convotel/instrumentation/anthropic');
}
