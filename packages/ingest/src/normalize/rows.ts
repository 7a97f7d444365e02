// The rows normalization produces: what the store writes, before the store adds each trace's
// conversation, user and session (a trace-level property, see conversation-id.ts).
import type { AttributeValue } from '../otlp/types.js';
import type { Message } from './concepts/content.js';
import type { IdCandidate, Identity } from './concepts/conversation-id.js';
import type { CostSource } from './concepts/cost.js';
import type { Flavour } from './concepts/flavour.js';
import type { VoiceFacts } from './concepts/voice-facts.js';
import type { Picos } from './units/money.js';
import type { Operation } from './concepts/operation.js';
import type { Status } from './concepts/status.js';
import type { Micros } from './units/time.js';

/** JSON stored in a jsonb column (strings already storable). */
export type Json = AttributeValue;

/** Fields every span row has. */
export interface SpanRowBase {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly startedAt: Micros;
  readonly endedAt: Micros;
  readonly durationUs: bigint;
  readonly status: Status;
  readonly errorType: string | undefined;
  readonly errorMessage: string | undefined;
  readonly scopeName: string;
  readonly scopeVersion: string | undefined;
  readonly flavour: Flavour;
  readonly serviceName: string | undefined;
}

/**
 * How an `llm_calls` row is billed: a provider call, an agent span standing in for missing
 * calls, or a call another layer's span already counts (store/write/twin-calls.ts).
 */
export type Billing = 'call' | 'agent_fallback' | 'duplicate';

/** Token counts of one call, following OTel semantics; undefined where the span reports none. */
export interface TokenCounts {
  /** All input tokens, cache read and write included. */
  readonly inputTokens: number | undefined;
  readonly outputTokens: number | undefined;
  readonly cacheReadTokens: number | undefined;
  readonly cacheWriteTokens: number | undefined;
  readonly reasoningTokens: number | undefined;
  readonly audioInputTokens: number | undefined;
  readonly audioOutputTokens: number | undefined;
  readonly totalTokens: number | undefined;
}

/** One billable LLM call (`llm_calls`). */
export interface LlmCallRow extends SpanRowBase, TokenCounts {
  readonly billing: Billing;
  /** The span of the other layer describing the same provider call, once the store paired them. */
  readonly twinSpanId: string | undefined;
  readonly provider: string | undefined;
  readonly requestModel: string | undefined;
  readonly responseModel: string | undefined;
  readonly operation: Operation;
  readonly callType: string;
  readonly functionName: string | undefined;
  readonly tags: readonly string[] | undefined;
  readonly responseId: string | undefined;
  readonly isUsageEstimated: boolean;
  readonly costPicos: Picos | undefined;
  readonly costSource: CostSource | undefined;
  readonly ttftMs: number | undefined;
  readonly finishReason: string | undefined;
  readonly temperature: number | undefined;
  readonly maxTokens: number | undefined;
  readonly inputMessages: readonly Message[] | undefined;
  readonly outputMessages: readonly Message[] | undefined;
  readonly systemInstructions: Json | undefined;
  /** Span attributes without the content keys (those are parsed into the message columns). */
  readonly attributes: Json;
  /** Concept → attribute key it was read from. */
  readonly sourceKeys: Readonly<Record<string, string>>;
}

/** Where a step's cost goes in the conversation's cost split. */
export type CostCategory = 'stt' | 'tts' | 'other';

/** `step` (our step spans, STT/TTS and retrieval spans), `tool`, `agent`, `workflow`. */
export type StepKind = 'step' | 'tool' | 'agent' | 'workflow';

/** One step-like span (`steps`). */
export interface StepRow extends SpanRowBase {
  readonly kind: StepKind;
  readonly stepName: string;
  readonly operation: Operation | undefined;
  readonly provider: string | undefined;
  readonly model: string | undefined;
  readonly toolName: string | undefined;
  readonly sttAudioSeconds: number | undefined;
  readonly sttConfidence: number | undefined;
  readonly sttLanguage: string | undefined;
  readonly ttsCharacters: number | undefined;
  readonly ttsVoice: string | undefined;
  readonly ttsAudioSeconds: number | undefined;
  readonly ttsTtfbMs: number | undefined;
  readonly costPicos: Picos | undefined;
  readonly costSource: CostSource | undefined;
  readonly costCategory: CostCategory | undefined;
  readonly attributes: Json;
  readonly sourceKeys: Readonly<Record<string, string>>;
  /**
   * For agent/root spans that repeat their children's usage: the `llm_calls` row to use only
   * while the trace has no billable call of its own (reference §3, "Is this a billable LLM call?").
   */
  readonly fallbackLlmCall: LlmCallRow | undefined;
}

/** One SQL statement span (`db_queries`). */
export interface DbQueryRow extends SpanRowBase {
  readonly system: string;
  readonly dbName: string | undefined;
  readonly operation: string | undefined;
  /** Literals replaced by `?`. */
  readonly statement: string | undefined;
  readonly returnedRows: number | undefined;
}

/** A text chosen among candidates: lower rank wins, then time (earliest input, latest output), then text. */
export interface TextPick {
  readonly text: string;
  readonly rank: number;
  readonly at: Micros;
}

/** What a turn's root span says (the turn span of our SDK, or the root of a foreign trace). */
export interface TurnRoot {
  readonly spanId: string;
  readonly name: string;
  readonly startedAt: Micros;
  readonly endedAt: Micros;
  readonly durationUs: bigint;
  readonly status: Status;
  readonly errorType: string | undefined;
  readonly errorMessage: string | undefined;
  readonly isConvotelTurn: boolean;
  readonly turnIndex: number | undefined;
  readonly intent: string | undefined;
  readonly classification: string | undefined;
  readonly isInterrupted: boolean | undefined;
  readonly perceivedLatencyMs: number | undefined;
}

/**
 * A span of a framework that puts a whole call in one trace (`span_edges`): its parent, so the
 * store can find each span's turn span, and what it says about its turn.
 */
export interface SpanEdgeRow {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly isTurn: boolean;
  readonly startedAt: Micros;
  readonly endedAt: Micros;
  /** A turn span's own facts (as a trace root's would be), with its user input and agent output. */
  readonly turn:
    | {
        readonly root: TurnRoot;
        readonly userInput: TextPick | undefined;
        readonly agentOutput: TextPick | undefined;
        /** Turn spans with the same group are one turn (LiveKit's speech id). */
        readonly group: string | undefined;
      }
    | undefined;
  readonly voice: VoiceFacts | undefined;
}

/**
 * Order-free facts about one turn (trace) from the spans of a request: merged with what the
 * store already has by `mergeTurnFacts`. Counts and sums are not here: the store derives them
 * from the rows that were actually new.
 */
export interface TurnFacts {
  readonly traceId: string;
  readonly identity: Identity;
  /** Some span is GenAI- or conversation-shaped; only then does the trace join a conversation. */
  readonly hasGenAi: boolean;
  readonly firstSeenAt: Micros;
  readonly lastSeenAt: Micros;
  readonly serviceName: string | undefined;
  readonly root: TurnRoot | undefined;
  readonly userInput: TextPick | undefined;
  readonly agentOutput: TextPick | undefined;
  readonly dbSystem: string | undefined;
  /** Voice facts of the trace's spans, merged. */
  readonly voice: VoiceFacts | undefined;
}

/** What a conversation span says. */
export interface ConversationFacts {
  readonly conversation: IdCandidate;
  readonly traceId: string;
  readonly spanId: string;
  readonly startedAt: Micros;
  readonly endedAt: Micros;
  readonly status: Status;
  readonly errorType: string | undefined;
  readonly errorMessage: string | undefined;
  readonly endReason: string | undefined;
  readonly agentName: string | undefined;
  readonly channel: string | undefined;
  readonly user: IdCandidate | undefined;
  readonly session: IdCandidate | undefined;
  readonly metadata: Readonly<Record<string, Json>> | undefined;
  readonly serviceName: string | undefined;
  readonly telephony: TelephonyFacts | undefined;
}

/** The call's carrier leg, priced per minute (whole-call cost). */
export interface TelephonyFacts {
  readonly provider: string;
  readonly direction: string | undefined;
  /** Billed minutes: the carrier's, else the span's duration rounded as the carrier bills; undefined without a price. */
  readonly minutes: number | undefined;
  readonly costPicos: Picos | undefined;
}

/** Everything one trace request becomes. */
export interface TraceRows {
  readonly llmCalls: LlmCallRow[];
  readonly steps: StepRow[];
  readonly dbQueries: DbQueryRow[];
  readonly turns: TurnFacts[];
  readonly conversations: ConversationFacts[];
  readonly spanEdges: SpanEdgeRow[];
  /** Spans accepted (rejected ones excluded). */
  readonly spans: number;
  readonly rejected: number;
  readonly rejectionReasons: string[];
  /** Of `rejected`, spans whose normalization threw (a bug of ours), and the first such error. */
  readonly failed: number;
  readonly failure: unknown;
  /** Values left out of their columns (spans kept; read/dropped-values.ts). */
  readonly droppedValues: number;
  readonly droppedValueReasons: string[];
}

/** `events`: one log record. */
export interface EventRow {
  /** Hash of the record's content: the same record delivered twice is stored once. */
  readonly eventId: string;
  readonly traceId: string | undefined;
  readonly spanId: string | undefined;
  readonly time: Micros;
  readonly severityNumber: number;
  readonly severityText: string | undefined;
  readonly name: string | undefined;
  readonly component: string | undefined;
  readonly message: string | undefined;
  readonly body: Json;
  readonly attributes: Json;
  /** Named by the record itself; the store prefers its trace's conversation. */
  readonly conversationId: string | undefined;
  /** For GenAI content events: which side of the LLM call (trace_id, span_id) the content is. */
  readonly contentKind: 'input' | 'output' | undefined;
  readonly content: readonly Message[] | undefined;
  readonly scopeName: string;
  readonly serviceName: string | undefined;
}

/** Everything one logs request becomes. */
export interface LogRows {
  readonly events: EventRow[];
  readonly rejected: number;
  readonly rejectionReasons: string[];
  /** Of `rejected`, records whose normalization threw (a bug of ours), and the first such error. */
  readonly failed: number;
  readonly failure: unknown;
  /** Values left out of their columns (records kept). */
  readonly droppedValues: number;
  readonly droppedValueReasons: string[];
}
