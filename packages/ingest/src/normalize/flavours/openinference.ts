// OpenInference (Arize: `@arizeai/openinference-instrumentation-*`, its LangChain and OpenAI
// Agents bridges): test/fixtures/openinference, langchain-openinference,
// openai-agents-openinference. Its keys are spelled here and nowhere else. Pure.
//  - `llm.model_name` is the response model where the request's is known too (in the JSON
//    `llm.invocation_parameters`); the Agents bridge names the agent's model there alone.
//  - LangChain spans name no provider key: LangChain's `ls_provider` travels in the span's
//    `metadata` JSON document.
//  - Messages are flattened (`llm.input_messages.0.message.role`, …); raw input and output in
//    `input.value` / `output.value`.
import type { FlavourSpec } from './flavour-spec.js';

export const OPENINFERENCE_SPAN_KIND_KEY = 'openinference.span.kind';
const MODEL_NAME_KEY = 'llm.model_name';
/** Request parameters as one JSON document. */
export const OPENINFERENCE_INVOCATION_PARAMETERS_KEY = 'llm.invocation_parameters';
export const OPENINFERENCE_COST_TOTAL_KEY = 'llm.cost.total';
export const OPENINFERENCE_COST_PARTS_KEYS = ['llm.cost.prompt', 'llm.cost.completion'] as const;
export const OPENINFERENCE_INPUT_MESSAGES_PREFIX = 'llm.input_messages.';
export const OPENINFERENCE_OUTPUT_MESSAGES_PREFIX = 'llm.output_messages.';
export const OPENINFERENCE_INPUT_VALUE_KEY = 'input.value';
export const OPENINFERENCE_OUTPUT_VALUE_KEY = 'output.value';

export const openinference = {
  name: 'openinference',
  scopePrefixes: ['@arizeai/', 'openinference'],
  markerKeys: [OPENINFERENCE_SPAN_KIND_KEY],
  keys: {
    requestModel: ['embedding.model_name', `${OPENINFERENCE_INVOCATION_PARAMETERS_KEY}.model`],
    responseModel: [MODEL_NAME_KEY],
    provider: ['llm.provider', 'llm.system'],
    operation: [OPENINFERENCE_SPAN_KIND_KEY],
    inputTokens: ['llm.token_count.prompt'],
    outputTokens: ['llm.token_count.completion'],
    cacheReadTokens: ['llm.token_count.prompt_details.cache_read'],
    cacheWriteTokens: ['llm.token_count.prompt_details.cache_write'],
    reasoningTokens: ['llm.token_count.completion_details.reasoning'],
    audioInputTokens: ['llm.token_count.prompt_details.audio'],
    audioOutputTokens: ['llm.token_count.completion_details.audio'],
    totalTokens: ['llm.token_count.total'],
    finishReason: ['llm.finish_reason'],
    toolName: ['tool.name'],
    agentName: ['agent.name'],
    tags: ['tag.tags'],
    contentKeyPrefixes: [
      OPENINFERENCE_INPUT_MESSAGES_PREFIX,
      OPENINFERENCE_OUTPUT_MESSAGES_PREFIX,
      OPENINFERENCE_INPUT_VALUE_KEY,
      OPENINFERENCE_OUTPUT_VALUE_KEY,
    ],
  },
  // Its one model name, when nothing names the requested model.
  fallbackKeys: { requestModel: [MODEL_NAME_KEY] },
  ownKeys: { provider: ['metadata.ls_provider'] },
} as const satisfies FlavourSpec;
