// What a flavour file declares: how its spans are recognized and which of its keys the
// concept readers consult. Types only; the registry (registry.ts) composes the specs.
import type { AttributeMap } from '../../otlp/types.js';
import type { VoiceStage } from '@convotel/semconv';
import type { Operation } from '../concepts/operation-kind.js';

/** A voice stage a span can measure (the others, gaps and unattributed, are what is left). */
export type MeasuredStage = Exclude<VoiceStage, 'pipeline_gaps' | 'unattributed'>;

/** A key holding a stage's delay in seconds, read on spans of the given names (any span without names). */
export interface StageDelayKey {
  readonly key: string;
  readonly stage: MeasuredStage;
  readonly spanNames?: readonly string[];
}

/** Concepts read from ordered key lists: for each, the first key present on a span wins. */
export type KeyConcept =
  | 'conversationId'
  | 'userId'
  | 'sessionId'
  | 'requestModel'
  | 'responseModel'
  | 'provider'
  | 'operation'
  | 'inputTokens'
  | 'outputTokens'
  | 'cacheReadTokens'
  | 'cacheWriteTokens'
  | 'reasoningTokens'
  | 'audioInputTokens'
  | 'audioOutputTokens'
  | 'totalTokens'
  | 'finishReason'
  | 'toolName'
  | 'agentName'
  | 'function'
  | 'tags'
  | 'temperature'
  | 'maxTokens'
  /** Prefixes of keys holding prompt or completion content (kept out of the raw `attributes`). */
  | 'contentKeyPrefixes'
  | 'turnIndex'
  | 'turnInterrupted'
  /** Seconds from the end of the user's speech to the agent's first audio. */
  | 'perceivedLatencySeconds'
  /** What the user said or typed in a turn. */
  | 'userInput'
  /** The agent's answer in a turn. */
  | 'responseText'
  | 'ttsCharacters'
  | 'ttsVoice'
  | 'sttLanguage';

export type FlavourKeys = { readonly [C in KeyConcept]?: readonly string[] };

/** A time-to-first-token key and the factor turning its unit into milliseconds. */
export interface TtftKey {
  readonly key: string;
  readonly toMs: number;
}

/** Roles a flavour can give a span by its own rules, before its operation is looked at. */
export type FlavourRole = 'conversation' | 'step';

export interface FlavourSpec {
  /** The `flavour` value stored with each row. */
  readonly name: string;
  /** Lowercase scope-name prefixes that mark the flavour's spans. */
  readonly scopePrefixes?: readonly string[];
  /** Lowercase scope names that mark its spans exactly. */
  readonly scopeNames?: readonly string[];
  /** Keys that mark its spans when the scope tells nothing. */
  readonly markerKeys?: readonly string[];
  /** Key prefixes that mark its spans when no flavour's marker key is present. */
  readonly markerPrefixes?: readonly string[];
  /** Keys read on every span, after the standard ones, in registry order. */
  readonly keys?: FlavourKeys;
  /** Keys read on every span after every flavour's `keys` (weaker spellings). */
  readonly fallbackKeys?: FlavourKeys;
  /** Keys too generic to trust elsewhere: read on this flavour's spans only, after all others. */
  readonly ownKeys?: FlavourKeys;
  readonly ttftKeys?: readonly TtftKey[];
  /** Its own operation words, mapped onto ours. */
  readonly operationAliases?: Readonly<Record<string, Operation>>;
  /** The operation its span names tell, when no operation key is set. */
  readonly operationOfName?: (name: string, attributes: AttributeMap) => Operation | undefined;
  /** A role its spans have by its own rules (session spans, model steps). */
  readonly roleOf?: (name: string, attributes: AttributeMap) => FlavourRole | undefined;
  /** Whether its LLM-call operations name a wrapper repeating its children's usage (an agent). */
  readonly isWrapperCall?: (name: string, attributes: AttributeMap) => boolean;
  /**
   * Providers whose input count it reports without the cache (Anthropic's raw `input_tokens`
   * under OTel key names), checked against recordings of the real packages.
   */
  readonly inputExcludesCacheFor?: readonly string[];
  /**
   * Scope-name prefixes of its framework layers, whose LLM spans describe a model call that its
   * client layer traces too (layer twins: spans/layer-twins.ts bills one of the two).
   */
  readonly frameworkScopePrefixes?: readonly string[];
  /** Its `gen_ai.system` and own provider keys hold AI SDK provider ids (`openai.chat`), not providers. */
  readonly providerIsAiSdkId?: boolean;
  /**
   * It puts a whole call in one trace, with a span of one of these names per turn: the store
   * finds the turns inside the trace (store/turns/), and keeps its spans' parents to do so.
   */
  readonly turnSpanNames?: readonly string[];
  /** A key its turn spans share when they are one turn (LiveKit's `lk.speech_id`: a tool call and the answer after it). */
  readonly turnGroupKey?: string;
  /** Spans that last while one side speaks: their start and end are that side's speech markers. */
  readonly speakingSpans?: { readonly user?: string; readonly agent?: string };
  /** Stage delays it reports in seconds (voice-to-voice contributions without timestamps). */
  readonly stageDelayKeys?: readonly StageDelayKey[];
}
