// Copies of the unstable OpenTelemetry GenAI attribute names we emit and read.
// They are copied, not imported from `@opentelemetry/semantic-conventions/incubating`:
// that package marks every gen_ai.* constant deprecated and lags the conventions
// (they moved to open-telemetry/semantic-conventions-genai in semconv v1.42).

export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
/** Deprecated name of `gen_ai.provider.name`; read by the ingest, never written. */
export const ATTR_GEN_AI_SYSTEM = 'gen_ai.system';
export const ATTR_GEN_AI_CONVERSATION_ID = 'gen_ai.conversation.id';
export const ATTR_GEN_AI_AGENT_NAME = 'gen_ai.agent.name';
export const ATTR_GEN_AI_AGENT_ID = 'gen_ai.agent.id';

export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
export const ATTR_GEN_AI_REQUEST_MAX_TOKENS = 'gen_ai.request.max_tokens';
export const ATTR_GEN_AI_REQUEST_TEMPERATURE = 'gen_ai.request.temperature';
export const ATTR_GEN_AI_REQUEST_TOP_P = 'gen_ai.request.top_p';
export const ATTR_GEN_AI_REQUEST_TOP_K = 'gen_ai.request.top_k';
export const ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY = 'gen_ai.request.frequency_penalty';
export const ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY = 'gen_ai.request.presence_penalty';
export const ATTR_GEN_AI_REQUEST_STOP_SEQUENCES = 'gen_ai.request.stop_sequences';
export const ATTR_GEN_AI_REQUEST_SEED = 'gen_ai.request.seed';
export const ATTR_GEN_AI_REQUEST_CHOICE_COUNT = 'gen_ai.request.choice.count';
export const ATTR_GEN_AI_REQUEST_STREAM = 'gen_ai.request.stream';
export const ATTR_GEN_AI_REQUEST_ENCODING_FORMATS = 'gen_ai.request.encoding_formats';
export const ATTR_GEN_AI_OUTPUT_TYPE = 'gen_ai.output.type';

export const ATTR_GEN_AI_RESPONSE_ID = 'gen_ai.response.id';
export const ATTR_GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons';
/** Seconds from request to the first streamed chunk. */
export const ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK = 'gen_ai.response.time_to_first_chunk';
export const ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT = 'gen_ai.embeddings.dimension.count';

/** All input tokens, cached ones included (OTel semantics). */
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
export const ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.cache_read.input_tokens';
/** Renamed from `gen_ai.usage.cache_creation.input_tokens` (semantic-conventions-genai PR #440). */
export const ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS = 'gen_ai.usage.cache_write.input_tokens';
/** Old spelling of the cache-write count; read by the ingest, never written. */
export const ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS = 'gen_ai.usage.cache_creation.input_tokens';
export const ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS = 'gen_ai.usage.reasoning.output_tokens';
export const ATTR_GEN_AI_USAGE_AUDIO_INPUT_TOKENS = 'gen_ai.usage.audio.input_tokens';
export const ATTR_GEN_AI_USAGE_AUDIO_OUTPUT_TOKENS = 'gen_ai.usage.audio.output_tokens';

export const ATTR_GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages';
export const ATTR_GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages';
export const ATTR_GEN_AI_SYSTEM_INSTRUCTIONS = 'gen_ai.system_instructions';
export const ATTR_GEN_AI_TOOL_DEFINITIONS = 'gen_ai.tool.definitions';

export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
export const ATTR_GEN_AI_TOOL_CALL_ID = 'gen_ai.tool.call.id';
export const ATTR_GEN_AI_TOOL_TYPE = 'gen_ai.tool.type';
export const ATTR_GEN_AI_TOOL_DESCRIPTION = 'gen_ai.tool.description';
export const ATTR_GEN_AI_TOOL_CALL_ARGUMENTS = 'gen_ai.tool.call.arguments';
export const ATTR_GEN_AI_TOOL_CALL_RESULT = 'gen_ai.tool.call.result';

export const GEN_AI_OPERATION_NAME_VALUE_CHAT = 'chat';
export const GEN_AI_OPERATION_NAME_VALUE_TEXT_COMPLETION = 'text_completion';
export const GEN_AI_OPERATION_NAME_VALUE_GENERATE_CONTENT = 'generate_content';
export const GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS = 'embeddings';
export const GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL = 'execute_tool';
export const GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT = 'invoke_agent';
export const GEN_AI_OPERATION_NAME_VALUE_RETRIEVAL = 'retrieval';
/** From the open voice-agent proposal (semantic-conventions-genai PR #390). */
export const GEN_AI_OPERATION_NAME_VALUE_SPEECH_TO_TEXT = 'speech_to_text';
/** From the open voice-agent proposal (semantic-conventions-genai PR #390). */
export const GEN_AI_OPERATION_NAME_VALUE_TEXT_TO_SPEECH = 'text_to_speech';

export const GEN_AI_PROVIDER_NAME_VALUE_OPENAI = 'openai';
export const GEN_AI_PROVIDER_NAME_VALUE_ANTHROPIC = 'anthropic';

// General OTel registry attributes we set on every span of a conversation.
export const ATTR_USER_ID = 'user.id';
export const ATTR_SESSION_ID = 'session.id';
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_SERVER_ADDRESS = 'server.address';
export const ATTR_SERVER_PORT = 'server.port';
export const ATTR_EVENT_NAME = 'event.name';

// GenAI event names: the current single event, and the per-message events of semconv ≤1.36
// that instrumentations still emit (opentelemetry-js-contrib's openai, OpenLLMetry, OpenLIT).
export const GEN_AI_EVENT_OPERATION_DETAILS = 'gen_ai.client.inference.operation.details';
export const GEN_AI_EVENT_SYSTEM_MESSAGE = 'gen_ai.system.message';
export const GEN_AI_EVENT_USER_MESSAGE = 'gen_ai.user.message';
export const GEN_AI_EVENT_ASSISTANT_MESSAGE = 'gen_ai.assistant.message';
export const GEN_AI_EVENT_TOOL_MESSAGE = 'gen_ai.tool.message';
export const GEN_AI_EVENT_CHOICE = 'gen_ai.choice';
/** Span events of semconv ≤1.26 holding the prompt and completion. */
export const GEN_AI_EVENT_CONTENT_PROMPT = 'gen_ai.content.prompt';
export const GEN_AI_EVENT_CONTENT_COMPLETION = 'gen_ai.content.completion';

// General OTel registry attributes the ingest reads.
export const ATTR_SERVICE_NAME = 'service.name';
/** Deprecated for `user.id`; still set by many apps. */
export const ATTR_ENDUSER_ID = 'enduser.id';
export const ATTR_EXCEPTION_TYPE = 'exception.type';
export const ATTR_EXCEPTION_MESSAGE = 'exception.message';
export const EVENT_EXCEPTION = 'exception';
/** MCP tool calls (OTel MCP conventions). */
export const ATTR_MCP_TOOL_NAME = 'mcp.tool.name';
// Database client spans, current names and the deprecated ones (instrumentation-pg emits either).
export const ATTR_DB_SYSTEM_NAME = 'db.system.name';
export const ATTR_DB_SYSTEM = 'db.system';
export const ATTR_DB_QUERY_TEXT = 'db.query.text';
export const ATTR_DB_STATEMENT = 'db.statement';
export const ATTR_DB_NAMESPACE = 'db.namespace';
export const ATTR_DB_NAME = 'db.name';
export const ATTR_DB_OPERATION_NAME = 'db.operation.name';
export const ATTR_DB_OPERATION = 'db.operation';
export const ATTR_DB_RESPONSE_RETURNED_ROWS = 'db.response.returned_rows';
