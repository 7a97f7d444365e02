// convotel's own attributes and span names (DESIGN.md §2). The SDK writes them and the
// ingest reads them; nothing else should spell these strings.

/** What a span is to convotel: one of the `CONVOTEL_SPAN_KIND_VALUE_*` values. */
export const ATTR_CONVOTEL_SPAN_KIND = 'convotel.span.kind';
export const CONVOTEL_SPAN_KIND_VALUE_CONVERSATION = 'conversation';
export const CONVOTEL_SPAN_KIND_VALUE_TURN = 'turn';
export const CONVOTEL_SPAN_KIND_VALUE_STEP = 'step';
export const CONVOTEL_SPAN_KIND_VALUE_LLM = 'llm';
export const CONVOTEL_SPAN_KIND_VALUE_TOOL = 'tool';

export const SPAN_NAME_CONVERSATION = 'conversation';
export const SPAN_NAME_TURN = 'turn';
/** Step spans are named `step {name}`. */
export const SPAN_NAME_STEP_PREFIX = 'step ';

// Conversation
/** `voice` or `chat`. */
export const ATTR_CONVOTEL_CHANNEL = 'convotel.channel';
export const CONVOTEL_CHANNEL_VALUE_VOICE = 'voice';
export const CONVOTEL_CHANNEL_VALUE_CHAT = 'chat';
/** Prefix of user metadata keys: `convotel.metadata.{key}`. */
export const ATTR_CONVOTEL_METADATA_PREFIX = 'convotel.metadata.';
/** Why a conversation ended (`completed`, `hangup`, `error`, …): set by `end(status)`. */
export const ATTR_CONVOTEL_CONVERSATION_END_REASON = 'convotel.conversation.end_reason';

// Turn
export const ATTR_CONVOTEL_TURN_INDEX = 'convotel.turn.index';
export const ATTR_CONVOTEL_TURN_INTENT = 'convotel.turn.intent';
export const ATTR_CONVOTEL_TURN_CLASSIFICATION = 'convotel.turn.classification';
export const ATTR_CONVOTEL_TURN_INTERRUPTED = 'convotel.turn.interrupted';
/** End of user speech to first agent audio, in milliseconds. */
export const ATTR_CONVOTEL_TURN_PERCEIVED_LATENCY_MS = 'convotel.turn.perceived_latency_ms';
/** Content-gated: only set when content capture is on. */
export const ATTR_CONVOTEL_TURN_USER_INPUT = 'convotel.turn.user_input';
/** Content-gated: only set when content capture is on. */
export const ATTR_CONVOTEL_TURN_AGENT_OUTPUT = 'convotel.turn.agent_output';

// Step
export const ATTR_CONVOTEL_STEP_NAME = 'convotel.step.name';
export const CONVOTEL_STEP_NAME_VALUE_REQUEST = 'request';
export const CONVOTEL_STEP_NAME_VALUE_STT = 'stt';
export const CONVOTEL_STEP_NAME_VALUE_LLM = 'llm';
export const CONVOTEL_STEP_NAME_VALUE_TTS = 'tts';
export const CONVOTEL_STEP_NAME_VALUE_RESPONSE = 'response';
export const CONVOTEL_STEP_NAME_VALUE_TOOL = 'tool';
export const CONVOTEL_STEP_NAME_VALUE_RETRIEVAL = 'retrieval';
export const CONVOTEL_STEP_NAME_VALUE_SQL = 'sql';

// Speech to text
export const ATTR_CONVOTEL_STT_CONFIDENCE = 'convotel.stt.confidence';
export const ATTR_CONVOTEL_STT_AUDIO_SECONDS = 'convotel.stt.audio_seconds';
export const ATTR_CONVOTEL_STT_LANGUAGE = 'convotel.stt.language';
/** Content-gated transcript of the user's speech. */
export const ATTR_CONVOTEL_STT_TRANSCRIPT = 'convotel.stt.transcript';

// Text to speech
export const ATTR_CONVOTEL_TTS_CHARACTERS = 'convotel.tts.characters';
export const ATTR_CONVOTEL_TTS_VOICE = 'convotel.tts.voice';
export const ATTR_CONVOTEL_TTS_AUDIO_SECONDS = 'convotel.tts.audio_seconds';
/** Request to first audio byte, in milliseconds. */
export const ATTR_CONVOTEL_TTS_TTFB_MS = 'convotel.tts.ttfb_ms';

// LLM call
export const ATTR_CONVOTEL_LLM_CALL_TYPE = 'convotel.llm.call_type';
export const CONVOTEL_LLM_CALL_TYPE_VALUES = [
  'chat',
  'rag_query',
  'rag_synthesis',
  'classification',
  'extraction',
  'summarization',
  'sentiment_analysis',
  'embedding',
  'system',
  'other',
] as const;
/** One of {@link CONVOTEL_LLM_CALL_TYPE_VALUES}. */
export type LlmCallType = (typeof CONVOTEL_LLM_CALL_TYPE_VALUES)[number];
/** The application function that made the call (free text, e.g. `answer_question`). */
export const ATTR_CONVOTEL_LLM_FUNCTION = 'convotel.llm.function';
/** Milliseconds from request to the first streamed token. */
export const ATTR_CONVOTEL_LLM_TTFT_MS = 'convotel.llm.ttft_ms';
/** Estimated or reported cost of the span's own work, in US dollars. */
export const ATTR_CONVOTEL_COST_USD = 'convotel.cost.usd';
/** `reported` (the provider said) or `computed` (from the price table). */
export const ATTR_CONVOTEL_COST_SOURCE = 'convotel.cost.source';
export const CONVOTEL_COST_SOURCE_VALUE_REPORTED = 'reported';
export const CONVOTEL_COST_SOURCE_VALUE_COMPUTED = 'computed';
/** True when token counts were counted locally because the provider reported none. */
export const ATTR_CONVOTEL_USAGE_ESTIMATED = 'convotel.usage.estimated';
/** Free-form labels (string array). */
export const ATTR_CONVOTEL_TAGS = 'convotel.tags';

// Captured content (prompts, completions, turn input/output): longer values are cut to this
// many characters (`CONVOTEL_MAX_CONTENT_LENGTH`) and marked, by the SDK and again by the ingest.
export const CONVOTEL_DEFAULT_MAX_CONTENT_LENGTH = 16_384;
export const CONVOTEL_CONTENT_TRUNCATED_SUFFIX = '…[truncated]';

// System events (OTel log records)
export const ATTR_CONVOTEL_EVENT_COMPONENT = 'convotel.event.component';

