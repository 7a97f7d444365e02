import type { Attributes, Span, TimeInput } from '@opentelemetry/api';
import type { LlmCallType } from '@convotel/semconv';
import type { PriceEntryInput } from '@convotel/pricing';

export type { LlmCallType };

/** Replaces sensitive text before content is stored; receives text already redacted by the built-in patterns. */
export type RedactFn = (text: string) => string;

/** Options of {@link init}. Code wins over environment variables, which win over defaults. */
export interface InstrumentationOptions {
  /** `service.name` of the resource. Env: `OTEL_SERVICE_NAME`. Default: `unknown_service:node`. */
  serviceName?: string;
  /** Extra resource attributes, merged over `OTEL_RESOURCE_ATTRIBUTES`. */
  resourceAttributes?: Attributes;
  /**
   * OTLP/HTTP base endpoint; `/v1/traces` and `/v1/logs` are appended.
   * Env: `OTEL_EXPORTER_OTLP_ENDPOINT` (and the per-signal variables). Default: `http://localhost:4318`.
   */
  endpoint?: string;
  /** `http/protobuf` (smaller, cheaper to encode) or `http/json`. Env: `OTEL_EXPORTER_OTLP_PROTOCOL`. Default: `http/protobuf`. */
  protocol?: 'http/protobuf' | 'http/json';
  /** Extra export headers. Env: `OTEL_EXPORTER_OTLP_HEADERS`. */
  headers?: Record<string, string>;
  /**
   * Record prompts, completions and transcripts (redacted, capped).
   * Env: `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT` or `CONVOTEL_CAPTURE_CONTENT`. Default: false.
   */
  captureContent?: boolean;
  /** Longest captured content value in characters; longer values are cut. Env: `CONVOTEL_MAX_CONTENT_LENGTH`. Default: 16384. */
  maxContentLength?: number;
  /** Extra redaction applied after the built-in patterns (e-mail, phone, card numbers, API keys). */
  redact?: RedactFn;
  /** Patch the `openai` package. Default: true. */
  openai?: boolean;
  /** Patch the `@anthropic-ai/sdk` package. Default: true. */
  anthropic?: boolean;
  /** Trace outgoing and incoming HTTP with `@opentelemetry/instrumentation-http`. Env: `CONVOTEL_HTTP`. Default: true. */
  http?: boolean;
  /** Trace `pg` queries with `@opentelemetry/instrumentation-pg`. Default: true. */
  pg?: boolean;
  /** Spans kept in memory awaiting export; beyond it new spans are dropped and counted. Env: `OTEL_BSP_MAX_QUEUE_SIZE`. Default: 65536. */
  maxQueueSize?: number;
  /** Spans per export request. Env: `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`. Default: 2048. */
  maxExportBatchSize?: number;
  /** Delay between exports in milliseconds. Env: `OTEL_BSP_SCHEDULE_DELAY`. Default: 1000. */
  scheduledDelayMillis?: number;
  /** Export request timeout in milliseconds. Env: `OTEL_EXPORTER_OTLP_TIMEOUT`. Default: 10000. */
  exportTimeoutMillis?: number;
  /** Extra or replacement prices, merged over the built-in table. */
  prices?: PriceEntryInput[];
  /** JSON price file merged over the built-in table. Env: `CONVOTEL_PRICE_FILE`. */
  priceFile?: string;
  /** Turn the SDK off entirely (no spans, no export). Env: `OTEL_SDK_DISABLED`. Default: false. */
  disabled?: boolean;
}

/** Returned by {@link init}. */
export interface InstrumentationHandle {
  /** Exports everything pending, waiting for deferred token counts first. */
  forceFlush(): Promise<void>;
  /** Flushes, then stops the SDK. Safe to call twice. */
  shutdown(): Promise<void>;
}

/** `voice` or `chat`; any other string is accepted for other channels. */
export type Channel = 'voice' | 'chat' | (string & {});

/** Metadata values recorded as `convotel.metadata.{key}` attributes. */
export type Metadata = Record<string, string | number | boolean | undefined>;

/** The phone leg of a call, priced per minute from the price table's telephony entries. */
export interface TelephonyOptions {
  /** Carrier or SIP platform as named in the price table: `twilio`, `telnyx`, `vonage`, `livekit_sip`… */
  provider: string;
  /** `inbound` (the caller dialled in) or `outbound`. Default: unset (priced as inbound). */
  direction?: 'inbound' | 'outbound';
  /** Minutes the carrier billed, when known; otherwise the conversation span's duration is priced. */
  minutes?: number;
}

export interface ConversationOptions {
  /** Stable id of the conversation; generated (UUID) when absent. */
  conversationId?: string;
  userId?: string;
  sessionId?: string;
  agentName?: string;
  channel?: Channel;
  metadata?: Metadata;
  /** A phone call: recorded as `convotel.telephony.*` on the conversation span. */
  telephony?: TelephonyOptions;
}

/** A running conversation. Every span created inside it carries its ids. */
export interface ConversationHandle {
  readonly conversationId: string;
  /** The conversation span (a no-op span when the SDK is off). */
  readonly span: Span;
  /** Runs `fn` inside the conversation (for turns created by event handlers). */
  run<T>(fn: () => T): T;
  /** Starts a turn of this conversation; same as {@link turn} inside {@link ConversationHandle.run}. */
  turn<T>(options: TurnOptions, fn: (turn: TurnHandle) => T): T;
  /**
   * Ends the conversation span. `status` is `'ok'` (default), `'error'` or any end reason
   * (`'hangup'`, `'transfer'`…), recorded as `convotel.conversation.end_reason`; `'error'` marks the span failed.
   */
  end(status?: string): void;
}

export interface TurnOptions {
  /** 0-based index in the conversation; counted automatically when absent. */
  index?: number;
  intent?: string;
  classification?: string;
  /** What the user said or typed (stored only with content capture on). */
  userInput?: string;
}

/** One side speaking over the other, for {@link TurnHandle.interrupted}. */
export interface TurnInterruption {
  /** `user`: the user barged in on the agent; `agent`: the agent talked over the user. */
  by: 'user' | 'agent';
  /** When it happened (Date, epoch milliseconds or HrTime). Default: now. */
  at?: TimeInput;
  /** What the agent had said before the cut; stored like `setAgentOutput` (content capture on, redacted). */
  spokenText?: string;
}

/**
 * Lets the code of a turn record what it learns while it runs. The voice markers record span
 * events on the turn span at `at` (a Date, epoch milliseconds or an OTel HrTime; default: now),
 * for pipelines that learn of them later, e.g. from audio callbacks with their own timestamps.
 * Markers never throw; a bad value is reported through `diag` and ignored.
 */
export interface TurnHandle {
  readonly span: Span;
  readonly index: number;
  setIntent(intent: string): void;
  setClassification(classification: string): void;
  /** The user barged in on the agent's answer (`convotel.turn.interrupted`); see also {@link TurnHandle.interrupted}. */
  setInterrupted(interrupted?: boolean): void;
  /**
   * End of user speech to first agent audio, in milliseconds. Without it, the turn derives the
   * value from {@link TurnHandle.userSpeechEnded} and {@link TurnHandle.agentAudioStarted} when it ends.
   */
  setPerceivedLatencyMs(ms: number): void;
  /** The user started speaking (`convotel.user.speech_started`). */
  userSpeechStarted(at?: TimeInput): void;
  /** The user stopped speaking (`convotel.user.speech_ended`): voice-to-voice latency starts here. */
  userSpeechEnded(at?: TimeInput): void;
  /** Endpointing committed the user's turn (`convotel.turn.committed`). */
  turnCommitted(at?: TimeInput): void;
  /** The final transcript was ready (`convotel.stt.final_transcript`). */
  transcriptFinal(at?: TimeInput): void;
  /** The first audio of the agent's answer played (`convotel.agent.audio_started`): voice-to-voice latency ends here. */
  agentAudioStarted(at?: TimeInput): void;
  /** The agent's audio stopped, finished or cut (`convotel.agent.audio_ended`). */
  agentAudioEnded(at?: TimeInput): void;
  /**
   * One side spoke over the other: a `convotel.interruption` event and `convotel.interruption.by`
   * on the turn; `by: 'user'` also sets `convotel.turn.interrupted`.
   */
  interrupted(interruption: TurnInterruption): void;
  /** User input (stored only with content capture on). */
  setUserInput(text: string): void;
  /** Final agent output (stored only with content capture on). */
  setAgentOutput(text: string): void;
  setAttributes(attributes: Attributes): void;
}

export interface StepOptions {
  /** Provider of the model that does the step's work (`deepgram`, `elevenlabs`, `openai`…). */
  provider?: string;
  model?: string;
  /** STT: seconds of audio transcribed; priced per second. */
  audioSeconds?: number;
  /** STT: recognition confidence, 0–1. */
  confidence?: number;
  /** STT: language of the speech (BCP 47). */
  language?: string;
  /** STT: the transcript (stored only with content capture on). */
  transcript?: string;
  /** TTS: characters synthesized; priced per character. */
  characters?: number;
  /** TTS: voice id or name. */
  voice?: string;
  /** TTS: request to first audio byte, in milliseconds. */
  ttfbMs?: number;
  /** Any other attributes of the step. */
  attributes?: Attributes;
}

/** Lets a step record facts known only once its work is done (audio length, confidence…). */
export interface StepHandle {
  readonly span: Span;
  readonly name: string;
  /** Merges `options` into the step's; cost is computed when the step ends. */
  set(options: StepOptions): void;
}

/** A chat message as given to or returned by a model; `content` may be text or provider parts. */
export interface LlmMessage {
  role: string;
  content?: unknown;
  [key: string]: unknown;
}

/** Token usage of one call, with OTel semantics: `inputTokens` includes cached tokens. */
export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
  reasoningOutputTokens?: number;
}

export interface LlmCallOptions {
  /** `gen_ai.provider.name`, e.g. `openai`, `anthropic`, `gcp.gemini`, `mistral_ai`. */
  provider: string;
  model: string;
  /** `gen_ai.operation.name`. Default: `chat`. */
  operation?: string;
  callType?: LlmCallType;
  /** The application function making the call, e.g. `classify_intent`. */
  functionName?: string;
  tags?: string[];
  /** Messages sent, for content capture and for counting tokens when the response has no usage. */
  messages?: LlmMessage[];
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  stream?: boolean;
  /** A cost the provider reported, in USD; otherwise it is computed from the price table. */
  costUsd?: number;
  attributes?: Attributes;
}

/** What a hand-instrumented call reports once the model has answered. */
export interface LlmCallResponse {
  responseModel?: string;
  responseId?: string;
  finishReasons?: string[];
  usage?: LlmUsage;
  /** The model's text answer (content capture, token counting). */
  outputText?: string;
  /** Milliseconds to the first token, for streams. */
  ttftMs?: number;
  costUsd?: number;
}

/** Handed to the function of {@link llmCall}. */
export interface LlmCallHandle {
  readonly span: Span;
  /** Reports the answer; without it the function's return value is read for OpenAI/Anthropic-shaped usage. */
  setResponse(response: LlmCallResponse): void;
  /** Marks the first streamed token now. */
  markFirstToken(): void;
}

/** Attribute values of a system event. */
export type EventAttributes = Record<string, string | number | boolean | undefined>;

export interface EventOptions {
  /** `INFO` (default), `DEBUG`, `WARN`, `ERROR`, `FATAL`. */
  severity?: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';
  /** The part of the system that emitted it (`convotel.event.component`). */
  component?: string;
  /** Human-readable text (log body). */
  message?: string;
}
