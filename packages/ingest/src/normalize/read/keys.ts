// Ordered attribute-key lists of reference/genai-conventions.md §3: for each concept the
// first key present wins, and the key that matched is stored as its `source_key`. The
// standard keys (@convotel/semconv) come first; each flavour's own keys follow from the
// flavour registry (flavours/registry.ts), so no foreign key is spelled here.
import {
  ATTR_CONVOTEL_COST_USD,
  ATTR_CONVOTEL_LLM_FUNCTION,
  ATTR_CONVOTEL_LLM_TTFT_MS,
  ATTR_CONVOTEL_STT_LANGUAGE,
  ATTR_CONVOTEL_TAGS,
  ATTR_CONVOTEL_TTS_CHARACTERS,
  ATTR_CONVOTEL_TTS_VOICE,
  ATTR_CONVOTEL_TURN_INDEX,
  ATTR_DB_NAME,
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_RESPONSE_RETURNED_ROWS,
  ATTR_DB_STATEMENT,
  ATTR_DB_SYSTEM,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ENDUSER_ID,
  ATTR_GEN_AI_AGENT_ID,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_INPUT_MESSAGES,
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
  ATTR_MCP_TOOL_NAME,
  ATTR_SESSION_ID,
  ATTR_USER_ID,
} from '@convotel/semconv';
import type { KeyConcept, TtftKey } from '../flavours/flavour-spec.js';
import { flavourKeys, flavourTtftKeys } from '../flavours/registry.js';

/** The standard keys of a concept, then every flavour's, then `after` (standard keys weaker than all). */
function lookup(concept: KeyConcept, standard: readonly string[], after: readonly string[] = []): readonly string[] {
  return [...standard, ...flavourKeys(concept), ...after];
}

export const CONVERSATION_ID_KEYS = lookup('conversationId', [ATTR_GEN_AI_CONVERSATION_ID, ATTR_SESSION_ID]);
export const USER_ID_KEYS = lookup('userId', [ATTR_USER_ID, ATTR_ENDUSER_ID]);
export const SESSION_ID_KEYS = lookup('sessionId', [ATTR_SESSION_ID]);
export const REQUEST_MODEL_KEYS = lookup('requestModel', [ATTR_GEN_AI_REQUEST_MODEL]);
export const RESPONSE_MODEL_KEYS = lookup('responseModel', [ATTR_GEN_AI_RESPONSE_MODEL]);
export const PROVIDER_KEYS = lookup('provider', [ATTR_GEN_AI_PROVIDER_NAME, ATTR_GEN_AI_SYSTEM]);
/** Operation keys after `gen_ai.operation.name`. */
export const OTHER_OPERATION_KEYS = lookup('operation', []);

export const INPUT_TOKEN_KEYS = lookup('inputTokens', [ATTR_GEN_AI_USAGE_INPUT_TOKENS]);
export const OUTPUT_TOKEN_KEYS = lookup('outputTokens', [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]);
export const CACHE_READ_TOKEN_KEYS = lookup('cacheReadTokens', [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]);
export const CACHE_WRITE_TOKEN_KEYS = lookup('cacheWriteTokens', [
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
]);
export const REASONING_TOKEN_KEYS = lookup('reasoningTokens', [ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS]);
export const AUDIO_INPUT_TOKEN_KEYS = lookup('audioInputTokens', [ATTR_GEN_AI_USAGE_AUDIO_INPUT_TOKENS]);
export const AUDIO_OUTPUT_TOKEN_KEYS = lookup('audioOutputTokens', [ATTR_GEN_AI_USAGE_AUDIO_OUTPUT_TOKENS]);
/** Not an OTel attribute: flavours' own totals only. */
export const TOTAL_TOKEN_KEYS = lookup('totalTokens', []);

/** Single-number reported costs after ours and Langfuse's, in order. */
export const REPORTED_COST_KEYS = [ATTR_CONVOTEL_COST_USD] as const;

/** Time to first token: key and the factor turning its unit into milliseconds. */
export const TTFT_KEYS: readonly TtftKey[] = [
  { key: ATTR_CONVOTEL_LLM_TTFT_MS, toMs: 1 },
  { key: ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK, toMs: 1000 },
  ...flavourTtftKeys(),
];

/** Finish-reason keys holding one string, after the standard array `gen_ai.response.finish_reasons`. */
export const FINISH_REASON_KEYS = lookup('finishReason', []);

export const TOOL_NAME_KEYS = lookup('toolName', [ATTR_GEN_AI_TOOL_NAME], [ATTR_MCP_TOOL_NAME]);
/** Names first; an id (`gen_ai.agent.id`, Mastra's only one) when no name is given. */
export const AGENT_NAME_KEYS = lookup('agentName', [ATTR_GEN_AI_AGENT_NAME], [ATTR_GEN_AI_AGENT_ID]);
export const FUNCTION_KEYS = lookup('function', [ATTR_CONVOTEL_LLM_FUNCTION]);
export const TAG_KEYS = lookup('tags', [ATTR_CONVOTEL_TAGS]);
export const TEMPERATURE_KEYS = lookup('temperature', [ATTR_GEN_AI_REQUEST_TEMPERATURE]);
export const MAX_TOKENS_KEYS = lookup('maxTokens', [ATTR_GEN_AI_REQUEST_MAX_TOKENS]);

/** Prefixes of keys holding content; left out of the raw `attributes` column (stored parsed instead). */
export const CONTENT_KEY_PREFIXES = lookup('contentKeyPrefixes', [ATTR_GEN_AI_INPUT_MESSAGES, ATTR_GEN_AI_OUTPUT_MESSAGES, ATTR_GEN_AI_SYSTEM_INSTRUCTIONS]);

/** Voice turns and steps. Interruption and perceived latency: after our own keys, read by their readers. */
export const TURN_INDEX_KEYS = lookup('turnIndex', [ATTR_CONVOTEL_TURN_INDEX]);
export const TURN_INTERRUPTED_KEYS = lookup('turnInterrupted', []);
/** Seconds. */
export const PERCEIVED_LATENCY_SECONDS_KEYS = lookup('perceivedLatencySeconds', []);
/** What the user said or typed, first present wins. */
export const USER_INPUT_KEYS = lookup('userInput', []);
export const RESPONSE_TEXT_KEYS = lookup('responseText', []);
export const TTS_CHARACTER_KEYS = lookup('ttsCharacters', [ATTR_CONVOTEL_TTS_CHARACTERS]);
export const TTS_VOICE_KEYS = lookup('ttsVoice', [ATTR_CONVOTEL_TTS_VOICE]);
export const STT_LANGUAGE_KEYS = lookup('sttLanguage', [ATTR_CONVOTEL_STT_LANGUAGE]);

/** SQL client spans (@opentelemetry/instrumentation-pg): current names, then the deprecated ones. */
export const DB_KEYS = {
  system: [ATTR_DB_SYSTEM_NAME, ATTR_DB_SYSTEM],
  statement: [ATTR_DB_QUERY_TEXT, ATTR_DB_STATEMENT],
  name: [ATTR_DB_NAMESPACE, ATTR_DB_NAME],
  operation: [ATTR_DB_OPERATION_NAME, ATTR_DB_OPERATION],
  returnedRows: ATTR_DB_RESPONSE_RETURNED_ROWS,
} as const;
