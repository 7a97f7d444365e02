// What a span tells about its turn (trace): the root's timings and turn attributes, and the
// user input / agent output candidates. Pure.
import {
  ATTR_CONVOTEL_TURN_AGENT_OUTPUT,
  ATTR_CONVOTEL_TURN_CLASSIFICATION,
  ATTR_CONVOTEL_TURN_INTENT,
  ATTR_CONVOTEL_TURN_INTERRUPTED,
  ATTR_CONVOTEL_TURN_PERCEIVED_LATENCY_MS,
  ATTR_CONVOTEL_TURN_USER_INPUT,
} from '@convotel/semconv';
import type { AttributeMap } from '../../otlp/types.js';
import { readBoolean, readFirst, readNumber, readString } from '../read/attributes.js';
import { lastUserText, outputText } from '../concepts/content.js';
import { PERCEIVED_LATENCY_SECONDS_KEYS, RESPONSE_TEXT_KEYS, TURN_INDEX_KEYS, TURN_INTERRUPTED_KEYS, USER_INPUT_KEYS } from '../read/keys.js';
import type { LlmCallRow, TextPick, TurnRoot } from '../rows.js';
import { toStorableContent, toStorableText } from '../read/sanitize.js';
import type { SpanInput } from './span-input.js';

// Ranks of user-input / agent-output sources: our turn attributes, voice transcripts, LLM content.
const RANK_TURN_ATTRIBUTE = 0;
const RANK_VOICE_TRANSCRIPT = 1;
const RANK_LLM_CONTENT = 2;

/** What a trace root says about its turn: timings, outcome, index, intent, interruption, perceived latency. */
export function toTurnRoot(input: SpanInput, isConvotelTurn: boolean): TurnRoot {
  const base = input.base;
  const attributes = input.span.attributes;
  const index = readFirst(attributes, TURN_INDEX_KEYS, readNumber);
  const turnIndex = index === undefined ? undefined : input.values.column('integer', index.key, Math.trunc(index.value));
  const intent = readString(attributes, ATTR_CONVOTEL_TURN_INTENT);
  const classification = readString(attributes, ATTR_CONVOTEL_TURN_CLASSIFICATION);
  return {
    spanId: base.spanId,
    name: base.name,
    startedAt: base.startedAt,
    endedAt: base.endedAt,
    durationUs: base.durationUs,
    status: base.status,
    errorType: base.errorType,
    errorMessage: base.errorMessage,
    isConvotelTurn,
    turnIndex,
    intent: intent === undefined ? undefined : toStorableText(intent),
    classification: classification === undefined ? undefined : toStorableText(classification),
    isInterrupted: readBoolean(attributes, ATTR_CONVOTEL_TURN_INTERRUPTED) ?? firstBoolean(attributes, TURN_INTERRUPTED_KEYS),
    perceivedLatencyMs: readNumber(attributes, ATTR_CONVOTEL_TURN_PERCEIVED_LATENCY_MS) ?? voicePerceivedLatencyMs(input),
  };
}

/**
 * User input and agent output a span offers: turn attributes, voice transcripts, or LLM
 * content; cut to `maxContentLength` characters.
 */
export function toTextPicks(
  input: SpanInput,
  llmCall: LlmCallRow | undefined,
  maxContentLength: number,
): { userInput: TextPick | undefined; agentOutput: TextPick | undefined } {
  const base = input.base;
  const attributes = input.span.attributes;
  const userInput =
    pick(readString(attributes, ATTR_CONVOTEL_TURN_USER_INPUT), RANK_TURN_ATTRIBUTE, base.startedAt, maxContentLength) ??
    pick(readFirst(attributes, USER_INPUT_KEYS, readString)?.value, RANK_VOICE_TRANSCRIPT, base.startedAt, maxContentLength) ??
    pick(llmCall?.inputMessages === undefined ? undefined : lastUserText(llmCall.inputMessages), RANK_LLM_CONTENT, base.startedAt, maxContentLength);
  const agentOutput =
    pick(readString(attributes, ATTR_CONVOTEL_TURN_AGENT_OUTPUT), RANK_TURN_ATTRIBUTE, base.endedAt, maxContentLength) ??
    pick(readFirst(attributes, RESPONSE_TEXT_KEYS, readString)?.value, RANK_VOICE_TRANSCRIPT, base.endedAt, maxContentLength) ??
    pick(llmCall?.outputMessages === undefined ? undefined : outputText(llmCall.outputMessages), RANK_LLM_CONTENT, base.endedAt, maxContentLength);
  return { userInput, agentOutput };
}

function pick(text: string | undefined, rank: number, at: bigint, maxContentLength: number): TextPick | undefined {
  return text === undefined ? undefined : { text: toStorableContent(text, maxContentLength), rank, at };
}

/** Perceived latency from the voice frameworks' keys (seconds), in ms; a product that overflows is dropped (noted). */
function voicePerceivedLatencyMs(input: SpanInput): number | undefined {
  for (const key of PERCEIVED_LATENCY_SECONDS_KEYS) {
    const seconds = readNumber(input.span.attributes, key);
    if (seconds !== undefined) return input.values.column('double precision', key, seconds * 1000);
  }
  return undefined;
}

function firstBoolean(attributes: AttributeMap, keys: readonly string[]): boolean | undefined {
  for (const key of keys) {
    const value = readBoolean(attributes, key);
    if (value !== undefined) return value;
  }
  return undefined;
}
