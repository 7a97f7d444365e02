// Ordered attribute-key lists of reference/genai-conventions.md §3: for each concept the
// first key present wins, and the key that matched is stored as its `source_key`. Foreign
// instrumentations' keys are spelled here and nowhere else.
import {
  ATTR_CONVOTEL_COST_USD,
  ATTR_GEN_AI_AGENT_ID,
  ATTR_CONVOTEL_LLM_TTFT_MS,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
  ATTR_GEN_AI_SYSTEM,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_USAGE_AUDIO_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_AUDIO_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_SESSION_ID,
  ATTR_USER_ID,
} from '@convotel/semconv';
import {
  LIVEKIT_E2E_LATENCY_KEY,
  LIVEKIT_INPUT_CONTENT_KEYS,
  LIVEKIT_INTERRUPTED_KEY,
  LIVEKIT_RESPONSE_TEXT_KEYS,
  LIVEKIT_TTFT_KEY,
  LIVEKIT_USER_INPUT_KEYS,
} from '../flavours/livekit.js';
import { MASTRA_CACHED_INPUT_TOKENS_KEY } from '../flavours/mastra.js';

export const CONVERSATION_ID_KEYS = [
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_SESSION_ID,
  'langfuse.session.id',
  'traceloop.association.properties.session_id',
  'traceloop.association.properties.conversation_id',
  'ai.telemetry.metadata.conversationId',
  'ai.telemetry.metadata.sessionId',
  'langfuse.trace.metadata.langfuse_session_id',
  'langfuse.observation.metadata.langfuse_session_id',
  // Pipecat (from the voice-agent prior-art survey; unverified against its source).
  'conversation.id',
] as const;

export const USER_ID_KEYS = [
  ATTR_USER_ID,
  'enduser.id',
  'langfuse.user.id',
  'traceloop.association.properties.user_id',
  'traceloop.association.properties.customer_id',
  'ai.telemetry.metadata.userId',
  'langfuse.trace.metadata.langfuse_user_id',
  'langfuse.observation.metadata.langfuse_user_id',
  // OpenLIT: the OpenAI `user` request parameter.
  'gen_ai.request.user',
] as const;

export const SESSION_ID_KEYS = [
  ATTR_SESSION_ID,
  'langfuse.session.id',
  'traceloop.association.properties.session_id',
  'ai.telemetry.metadata.sessionId',
] as const;

/** OpenInference's single model key: the response model where the request's is known too. */
export const OPENINFERENCE_MODEL_NAME_KEY = 'llm.model_name';

export const REQUEST_MODEL_KEYS = [
  ATTR_GEN_AI_REQUEST_MODEL,
  'llm.request.model_name',
  'ai.model.id',
  'embedding.model_name',
  // OpenInference's OpenAI spans name the requested model only inside their invocation
  // parameters (JSON); `llm.model_name` is the response model there (test/fixtures/openinference).
  'llm.invocation_parameters.model',
  // Without that, OpenInference's one model name is the only one known: the OpenAI Agents bridge
  // names the agent's model there and nowhere else (test/fixtures/openai-agents-openinference).
  OPENINFERENCE_MODEL_NAME_KEY,
] as const;

export const RESPONSE_MODEL_KEYS = [
  ATTR_GEN_AI_RESPONSE_MODEL,
  'llm.response.model_name',
  OPENINFERENCE_MODEL_NAME_KEY,
  'ai.response.model',
  'langfuse.observation.model.name',
] as const;

/** Provider keys in order; `ai.model.provider` is used up to its first `.` (`openai.chat`). */
export const PROVIDER_KEYS = [ATTR_GEN_AI_PROVIDER_NAME, ATTR_GEN_AI_SYSTEM, 'llm.provider', 'llm.system', 'ai.model.provider'] as const;
export const AI_SDK_PROVIDER_KEY = 'ai.model.provider';
/**
 * OpenInference's LangChain spans name no provider key: LangChain's own `ls_provider` travels in
 * the span's `metadata` JSON document (test/fixtures/langchain-openinference).
 */
export const OPENINFERENCE_LANGCHAIN_PROVIDER_KEY = 'metadata.ls_provider';

export const OPERATION_KEYS = {
  genAi: ATTR_GEN_AI_OPERATION_NAME,
  openInference: 'openinference.span.kind',
  langfuse: 'langfuse.observation.type',
  openLlmetryRequestType: 'llm.request.type',
  traceloopSpanKind: 'traceloop.span.kind',
} as const;

export const INPUT_TOKEN_KEYS = [
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  'gen_ai.usage.prompt_tokens',
  'llm.token_count.prompt',
  'ai.usage.inputTokens',
  'ai.usage.promptTokens',
  // AI SDK embed/embedMany: their only count, and it counts input (test/fixtures/vercel-ai).
  'ai.usage.tokens',
] as const;

export const OUTPUT_TOKEN_KEYS = [
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  'gen_ai.usage.completion_tokens',
  'llm.token_count.completion',
  'ai.usage.outputTokens',
  'ai.usage.completionTokens',
] as const;

export const CACHE_READ_TOKEN_KEYS = [
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  'gen_ai.usage.cache_read_input_tokens',
  'gen_ai.usage.input_cached_tokens',
  'gen_ai.usage.prompt_tokens_details.cache_read',
  'llm.token_count.prompt_details.cache_read',
  'ai.usage.inputTokenDetails.cacheReadTokens',
  'ai.usage.cachedInputTokens',
  MASTRA_CACHED_INPUT_TOKENS_KEY,
] as const;

export const CACHE_WRITE_TOKEN_KEYS = [
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  'gen_ai.usage.cache_creation_input_tokens',
  'gen_ai.usage.prompt_tokens_details.cache_write',
  'llm.token_count.prompt_details.cache_write',
  'ai.usage.inputTokenDetails.cacheWriteTokens',
] as const;

export const REASONING_TOKEN_KEYS = [
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  'gen_ai.usage.reasoning_tokens',
  'gen_ai.usage.completion_tokens_details.reasoning',
  'llm.token_count.completion_details.reasoning',
  'ai.usage.outputTokenDetails.reasoningTokens',
  'ai.usage.reasoningTokens',
] as const;

export const AUDIO_INPUT_TOKEN_KEYS = [
  ATTR_GEN_AI_USAGE_AUDIO_INPUT_TOKENS,
  'gen_ai.usage.input_audio_tokens',
  'llm.token_count.prompt_details.audio',
] as const;

export const AUDIO_OUTPUT_TOKEN_KEYS = [
  ATTR_GEN_AI_USAGE_AUDIO_OUTPUT_TOKENS,
  'gen_ai.usage.output_audio_tokens',
  'llm.token_count.completion_details.audio',
  'gen_ai.usage.completion_tokens_details.audio',
] as const;

export const TOTAL_TOKEN_KEYS = [
  'gen_ai.usage.total_tokens',
  'llm.usage.total_tokens',
  'llm.token_count.total',
  'ai.usage.totalTokens',
  'ai.usage.tokens',
] as const;

/** Langfuse usage and cost documents (JSON objects) and the fields read from them. */
export const LANGFUSE_USAGE_DETAILS_KEY = 'langfuse.observation.usage_details';
export const LANGFUSE_USAGE_FIELDS = {
  input: 'input',
  output: 'output',
  cacheRead: 'input_cached_tokens',
  cacheWrite: 'input_cache_creation',
} as const;
export const LANGFUSE_COST_DETAILS_KEY = 'langfuse.observation.cost_details';

/** Single-number reported costs after ours and Langfuse's, in order. */
export const REPORTED_COST_KEYS = [ATTR_CONVOTEL_COST_USD] as const;
export const OPENLIT_COST_KEY = 'gen_ai.usage.cost';
export const OPENINFERENCE_COST_TOTAL_KEY = 'llm.cost.total';
export const OPENINFERENCE_COST_PARTS_KEYS = ['llm.cost.prompt', 'llm.cost.completion'] as const;

/** Time to first token: key and the factor turning its unit into milliseconds. */
export const TTFT_KEYS: readonly { readonly key: string; readonly toMs: number }[] = [
  { key: ATTR_CONVOTEL_LLM_TTFT_MS, toMs: 1 },
  { key: ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK, toMs: 1000 },
  { key: 'gen_ai.server.time_to_first_token', toMs: 1000 },
  { key: 'ai.response.msToFirstChunk', toMs: 1 },
  { key: 'ai.stream.msToFirstChunk', toMs: 1 },
  { key: LIVEKIT_TTFT_KEY, toMs: 1000 },
  { key: 'metrics.ttfb', toMs: 1000 },
];
/** An ISO timestamp; TTFT is it minus the span start. */
export const LANGFUSE_COMPLETION_START_KEY = 'langfuse.observation.completion_start_time';

export const FINISH_REASON_KEYS = {
  genAi: 'gen_ai.response.finish_reasons',
  openLlmetryLegacy: 'gen_ai.completion.0.finish_reason',
  openInference: 'llm.finish_reason',
  aiSdk: 'ai.response.finishReason',
  // `@anthropic-ai/sdk`'s own spans: no gen_ai.response.finish_reasons (test/fixtures/anthropic-sdk-native).
  anthropicSdk: 'anthropic.message.stop_reason',
} as const;

export const TOOL_NAME_KEYS = [ATTR_GEN_AI_TOOL_NAME, 'tool.name', 'ai.toolCall.name', 'mcp.tool.name'] as const;
/** Names first; an id (`gen_ai.agent.id`, Mastra's only one) when no name is given. */
export const AGENT_NAME_KEYS = [ATTR_GEN_AI_AGENT_NAME, 'agent.name', 'ai.telemetry.functionId', 'langfuse.trace.name', ATTR_GEN_AI_AGENT_ID] as const;
export const TRACELOOP_ENTITY_NAME_KEY = 'traceloop.entity.name';
export const TRACELOOP_WORKFLOW_NAME_KEY = 'traceloop.workflow.name';

export const FUNCTION_KEYS = ['convotel.llm.function', 'ai.telemetry.functionId'] as const;
export const TAG_KEYS = ['convotel.tags', 'tag.tags', 'langfuse.trace.tags'] as const;
export const TEMPERATURE_KEYS = [ATTR_GEN_AI_REQUEST_TEMPERATURE, 'llm.temperature', 'ai.settings.temperature'] as const;
export const MAX_TOKENS_KEYS = [ATTR_GEN_AI_REQUEST_MAX_TOKENS, 'llm.request.max_tokens', 'ai.settings.maxOutputTokens', 'ai.settings.maxTokens'] as const;
/** OpenInference puts request parameters in one JSON document. */
export const OPENINFERENCE_INVOCATION_PARAMETERS_KEY = 'llm.invocation_parameters';

export const ERROR_MESSAGE_KEYS = {
  langfuseLevel: 'langfuse.observation.level',
  langfuseStatusMessage: 'langfuse.observation.status_message',
  openLit: 'error.message',
} as const;

/** Content keys, in lookup order (prompt and completion rows of the reference table). */
export const INPUT_CONTENT_KEYS = {
  messages: ATTR_GEN_AI_INPUT_MESSAGES,
  systemInstructions: ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  openLlmetryFlattenedPrefix: 'gen_ai.prompt.',
  legacyJson: 'gen_ai.prompt',
  openInferenceFlattenedPrefix: 'llm.input_messages.',
  openInferenceValue: 'input.value',
  aiSdkMessages: 'ai.prompt.messages',
  aiSdkPrompt: 'ai.prompt',
  traceloopEntity: 'traceloop.entity.input',
  langfuse: 'langfuse.observation.input',
  liveKit: LIVEKIT_INPUT_CONTENT_KEYS,
} as const;

export const OUTPUT_CONTENT_KEYS = {
  messages: ATTR_GEN_AI_OUTPUT_MESSAGES,
  openLlmetryFlattenedPrefix: 'gen_ai.completion.',
  legacyJson: 'gen_ai.completion',
  openInferenceFlattenedPrefix: 'llm.output_messages.',
  openInferenceValue: 'output.value',
  aiSdkText: ['ai.response.text', 'ai.response.object', 'ai.result.text'],
  traceloopEntity: 'traceloop.entity.output',
  langfuse: 'langfuse.observation.output',
  liveKit: LIVEKIT_RESPONSE_TEXT_KEYS,
} as const;

/** Prefixes of keys holding content; left out of the raw `attributes` column (stored parsed instead). */
export const CONTENT_KEY_PREFIXES = [
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  'gen_ai.prompt',
  'gen_ai.completion',
  'llm.input_messages.',
  'llm.output_messages.',
  'input.value',
  'output.value',
  'ai.prompt',
  'ai.response.text',
  'ai.response.object',
  'ai.result.text',
  'traceloop.entity.input',
  'traceloop.entity.output',
  'langfuse.observation.input',
  'langfuse.observation.output',
] as const;

/** Voice frameworks (LiveKit `lk.*`, Pipecat) keys read for turns and steps. */
export const VOICE_KEYS = {
  turnIndex: 'turn.number',
  interrupted: [LIVEKIT_INTERRUPTED_KEY, 'turn.was_interrupted'],
  /** Seconds. */
  perceivedLatencySeconds: [LIVEKIT_E2E_LATENCY_KEY, 'turn.user_bot_latency_seconds'],
  /** What the user said or typed, first present wins. */
  userInput: LIVEKIT_USER_INPUT_KEYS,
  responseText: LIVEKIT_RESPONSE_TEXT_KEYS,
  voice: 'voice_id',
  language: 'language',
  transcript: 'transcript',
  characters: 'metrics.character_count',
  /** Pipecat time to first byte, seconds. */
  ttfbSeconds: 'metrics.ttfb',
} as const;

/** OpenLIT audio request attributes (used to tell speech synthesis from transcription). */
export const OPENLIT_AUDIO_VOICE_KEY = 'gen_ai.request.audio_voice';
export const OPENLIT_AUDIO_DURATION_KEY = 'gen_ai.request.audio_duration';

/** SQL client spans (@opentelemetry/instrumentation-pg, old and new semconv). */
export const DB_KEYS = {
  system: ['db.system.name', 'db.system'],
  statement: ['db.query.text', 'db.statement'],
  name: ['db.namespace', 'db.name'],
  operation: ['db.operation.name', 'db.operation'],
  returnedRows: 'db.response.returned_rows',
} as const;

export const SERVICE_NAME_KEY = 'service.name';
