// The spans `@anthropic-ai/sdk` (≥0.13x) emits by itself, scope `com.anthropic.sdk.typescript`:
// test/fixtures/anthropic-sdk-native. They may repeat another instrumentation's call span
// (duplicate-calls.ts keeps one). Its keys are spelled here and nowhere else. Pure.
import type { FlavourSpec } from './flavour-spec.js';

export const anthropicSdk = {
  name: 'anthropic-sdk',
  scopePrefixes: ['com.anthropic.sdk'],
  // It sets no gen_ai.response.finish_reasons.
  keys: { finishReason: ['anthropic.message.stop_reason'] },
} as const satisfies FlavourSpec;
