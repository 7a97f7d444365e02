// OpenLLMetry (Traceloop: `@traceloop/node-server-sdk` and its `@traceloop/instrumentation-*`;
// the Python `opentelemetry.instrumentation.*` packages): test/fixtures/openllmetry,
// test/fixtures/langchain-openllmetry. Its keys are spelled here and nowhere else. Pure.
//  - Content is flattened (`gen_ai.prompt.0.role`, `gen_ai.prompt.0.content`, …) or, on
//    framework task spans, JSON in `traceloop.entity.input` / `.output`.
//  - Legacy span names are `{provider}.chat` / `{provider}.completion`.
//  - `traceloop.workflow.name` on a task span names the workflow around it, not the task.
import type { FlavourSpec } from './flavour-spec.js';

const ASSOCIATION = 'traceloop.association.properties.';
export const TRACELOOP_SPAN_KIND_KEY = 'traceloop.span.kind';
export const TRACELOOP_ENTITY_NAME_KEY = 'traceloop.entity.name';
export const TRACELOOP_WORKFLOW_NAME_KEY = 'traceloop.workflow.name';
/** `traceloop.span.kind` of a workflow's own span. */
export const TRACELOOP_WORKFLOW_KIND = 'workflow';
export const TRACELOOP_ENTITY_INPUT_KEY = 'traceloop.entity.input';
export const TRACELOOP_ENTITY_OUTPUT_KEY = 'traceloop.entity.output';
const REQUEST_TYPE_KEY = 'llm.request.type';
/** The prompt as one JSON document (older releases), or flattened under `gen_ai.prompt.`. */
export const OPENLLMETRY_PROMPT_KEY = 'gen_ai.prompt';
export const OPENLLMETRY_COMPLETION_KEY = 'gen_ai.completion';
export const OPENLLMETRY_PROMPT_PREFIX = `${OPENLLMETRY_PROMPT_KEY}.`;
export const OPENLLMETRY_COMPLETION_PREFIX = `${OPENLLMETRY_COMPLETION_KEY}.`;

const CHAT_NAME = /^\w+\.chat$/;
const COMPLETION_NAME = /^\w+\.completion$/;

export const openllmetry = {
  name: 'openllmetry',
  scopePrefixes: ['@traceloop/', 'traceloop', 'opentelemetry.instrumentation.'],
  markerKeys: [TRACELOOP_SPAN_KIND_KEY, REQUEST_TYPE_KEY],
  keys: {
    conversationId: [`${ASSOCIATION}session_id`, `${ASSOCIATION}conversation_id`],
    userId: [`${ASSOCIATION}user_id`, `${ASSOCIATION}customer_id`],
    sessionId: [`${ASSOCIATION}session_id`],
    requestModel: ['llm.request.model_name'],
    responseModel: ['llm.response.model_name'],
    operation: [REQUEST_TYPE_KEY, TRACELOOP_SPAN_KIND_KEY],
    // The GenAI names of semconv ≤1.26, which OpenLLMetry still writes.
    inputTokens: ['gen_ai.usage.prompt_tokens'],
    outputTokens: ['gen_ai.usage.completion_tokens'],
    cacheReadTokens: ['gen_ai.usage.cache_read_input_tokens'],
    cacheWriteTokens: ['gen_ai.usage.cache_creation_input_tokens'],
    reasoningTokens: ['gen_ai.usage.reasoning_tokens'],
    totalTokens: ['gen_ai.usage.total_tokens', 'llm.usage.total_tokens'],
    finishReason: [`${OPENLLMETRY_COMPLETION_PREFIX}0.finish_reason`],
    temperature: ['llm.temperature'],
    maxTokens: ['llm.request.max_tokens'],
    contentKeyPrefixes: [OPENLLMETRY_PROMPT_KEY, OPENLLMETRY_COMPLETION_KEY, TRACELOOP_ENTITY_INPUT_KEY, TRACELOOP_ENTITY_OUTPUT_KEY],
  },
  // @traceloop/instrumentation-anthropic 0.27.0: input 30 beside cache read 100 / creation 20 (test/fixtures/openllmetry).
  inputExcludesCacheFor: ['anthropic'],
  // LangChain's callback handler writes a `chat <model>` span beside the OpenAI instrumentation's
  // (test/fixtures/langchain-openllmetry); LlamaIndex's wraps it (test/fixtures/llamaindex-openllmetry).
  frameworkScopePrefixes: ['@traceloop/instrumentation-langchain', '@traceloop/instrumentation-llamaindex'],
  operationOfName: (name) => {
    // Most names end in neither: ruled out without running a pattern.
    if (name.endsWith('.chat') && CHAT_NAME.test(name)) return 'chat';
    if (name.endsWith('.completion') && COMPLETION_NAME.test(name)) return 'text_completion';
    return undefined;
  },
} as const satisfies FlavourSpec;
