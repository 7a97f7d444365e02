// Mastra's AI tracing as `@mastra/otel-exporter` 0.3 exports it (scope `@mastra/otel`,
// test/fixtures/mastra): its keys and quirks, spelled here and nowhere else. Pure.
//  - Each span says what it is in `mastra.span.type`; `gen_ai.operation.name` holds Mastra's
//    own words (`agent.run`, `tool.execute`, `model.step`, `model.chunk`).
//  - The exporter spreads a span's metadata into bare attributes: the memory thread (the
//    conversation) arrives only as `threadId`, the resource (the user) as `resourceId`; too
//    generic to trust on other spans.
//  - A `model_generation` span is the billable call: it carries the usage of the whole agent
//    loop (the sum of its `model_step` round trips, which carry none of their own).
//  - `gen_ai.system` is the AI SDK model's provider id (`openai.chat`). A model step names its
//    model only in the bare `modelId` (the served model) and its provider in `modelProvider`
//    or the JSON `modelMetadata`.
//  - A failed model call leaves status OK, `finish_reasons` `error` and no token counts, and the
//    run's `agent_run` span is never ended, so never exported (`@mastra/core` 0.24.9).
import { readString } from '../read/attributes.js';
import type { FlavourSpec } from './flavour-spec.js';

const SPAN_TYPE_KEY = 'mastra.span.type';

export const mastra = {
  name: 'mastra',
  scopePrefixes: ['@mastra/otel'],
  keys: {
    // Cache reads, `usage.cachedInputTokens` of the AI SDK (included in the input count).
    cacheReadTokens: ['gen_ai.usage.cached_input_tokens'],
  },
  ownKeys: {
    conversationId: ['threadId'],
    userId: ['resourceId'],
    responseModel: ['modelId'],
    provider: ['modelProvider', 'modelMetadata.modelProvider'],
  },
  operationAliases: {
    'agent.run': 'invoke_agent',
    'tool.execute': 'execute_tool',
    'workflow.run': 'workflow',
    // A model generation that picks tools (exporter source; not in the recording).
    tool_selection: 'chat',
  },
  // A model step: one provider round trip of an agent loop (its usage is on its generation).
  roleOf: (_name, attributes) => (readString(attributes, SPAN_TYPE_KEY) === 'model_step' ? 'step' : undefined),
  providerIsAiSdkId: true,
} as const satisfies FlavourSpec;
