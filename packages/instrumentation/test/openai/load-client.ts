// Registers the instrumentation, then loads the real `openai` package through Node's require,
// which require-in-the-middle hooks (vitest's own import path would bypass the hook). Each test
// file runs in its own process, so this happens once per file.
import { createRequire } from 'node:module';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import type * as OpenAIModule from 'openai';
import { OpenAIInstrumentation } from '../../src/openai/instrumentation.js';
import { installTestTracing } from '../helpers/otel.js';
import { SCENARIO_HEADER, type Scenario } from '../helpers/openai-server.js';

export const tracing = installTestTracing();
export const instrumentation = new OpenAIInstrumentation();
registerInstrumentations({ instrumentations: [instrumentation] });

export const openai = createRequire(import.meta.url)('openai') as typeof OpenAIModule;

/** A client of the test server that never retries, so each call is one request. */
export function createClient(baseURL: string, options: { timeout?: number } = {}): OpenAIModule.OpenAI {
  return new openai.OpenAI({ apiKey: 'sk-test', baseURL, maxRetries: 0, ...options });
}

/** Request options that select a scripted server behaviour. */
export function scenario(name: Scenario): { headers: Record<string, string> } {
  return { headers: { [SCENARIO_HEADER]: name } };
}
