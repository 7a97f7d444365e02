// Outcome of a span (reference §3, "Status / error" and "Finish reason"). Pure.
import {
  ATTR_ERROR_TYPE,
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_TYPE,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  EVENT_EXCEPTION,
} from '@convotel/semconv';
import type { AttributeMap, Span, SpanEvent } from '../../otlp/types.js';
import { readFirst, readString, readStringArray } from '../read/attributes.js';
import { FINISH_REASON_KEYS } from '../read/keys.js';
import { LANGFUSE_LEVEL_KEY, LANGFUSE_STATUS_MESSAGE_KEY } from '../flavours/langfuse.js';
import { OPENLIT_ERROR_MESSAGE_KEY } from '../flavours/openlit.js';

/** Span outcome as stored (`unset` counts as ok). */
export type Status = 'ok' | 'error';

/** Status with the error class and message, for errors. */
export interface Outcome {
  readonly status: Status;
  /** `error.type`, else the exception's type, else the HTTP status the message starts with, else `_OTHER` (errors only). */
  readonly errorType: string | undefined;
  readonly errorMessage: string | undefined;
}

const STATUS_CODE_ERROR = 2;
// Most spans succeed: they share one outcome instead of allocating their own.
const OK: Outcome = Object.freeze({ status: 'ok', errorType: undefined, errorMessage: undefined });

/**
 * Error when the span status is ERROR, it has `error.type`, Langfuse marks it level ERROR, or
 * its finish reason is OTel's `error` (Mastra reports a failed model call only so, with status OK).
 */
export function readOutcome(span: Pick<Span, 'attributes' | 'events' | 'status'>): Outcome {
  const attributes = span.attributes;
  const exception = exceptionAttributes(span.events);
  const errorTypeAttribute = readString(attributes, ATTR_ERROR_TYPE);
  const isLangfuseError = readString(attributes, LANGFUSE_LEVEL_KEY)?.toUpperCase() === 'ERROR';
  const isError =
    span.status.code === STATUS_CODE_ERROR || errorTypeAttribute !== undefined || isLangfuseError || hasErrorFinishReason(attributes);
  if (!isError) return OK;
  const exceptionType = exception === undefined ? undefined : readString(exception, ATTR_EXCEPTION_TYPE);
  const message =
    nonEmpty(span.status.message) ??
    (exception === undefined ? undefined : readString(exception, ATTR_EXCEPTION_MESSAGE)) ??
    readString(attributes, LANGFUSE_STATUS_MESSAGE_KEY) ??
    readString(attributes, OPENLIT_ERROR_MESSAGE_KEY);
  return { status: 'error', errorType: errorTypeAttribute ?? exceptionType ?? httpStatusOf(message) ?? '_OTHER', errorMessage: message };
}

// The OpenAI and Anthropic SDKs' API errors read `429 Rate limit reached…`; where an
// instrumentation records only that message (OpenInference's LangChain and Agents spans), the
// status is the error class, spelled as OTel's error.type spells an HTTP failure: the code.
const HTTP_STATUS_PREFIX = /^([45]\d\d) /;

function httpStatusOf(message: string | undefined): string | undefined {
  return message === undefined ? undefined : HTTP_STATUS_PREFIX.exec(message)?.[1];
}

const FINISH_REASON_ERROR = 'error';

function hasErrorFinishReason(attributes: AttributeMap): boolean {
  if (attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] === undefined) return false;
  return readStringArray(attributes, ATTR_GEN_AI_RESPONSE_FINISH_REASONS)?.some((reason) => reason.trim().toLowerCase() === FINISH_REASON_ERROR) ?? false;
}

/** Attributes of the span's first `exception` event. */
function exceptionAttributes(events: readonly SpanEvent[]): AttributeMap | undefined {
  for (let i = 0; i < events.length; i += 1) {
    const event = events[i] as SpanEvent;
    if (event.name === EVENT_EXCEPTION) return event.attributes;
  }
  return undefined;
}

const FINISH_REASONS: Readonly<Record<string, string>> = {
  tool_calls: 'tool_call',
  'tool-calls': 'tool_call',
  tool_use: 'tool_call',
  function_call: 'tool_call',
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  'content-filter': 'content_filter',
  safety: 'content_filter',
  other: 'stop',
};

/** One finish-reason value in OTel spelling (`tool_calls` → `tool_call`, `STOP` → `stop`, …). */
export function normalizeFinishReason(value: string): string {
  const lower = value.trim().toLowerCase();
  return FINISH_REASONS[lower] ?? lower;
}

/** The first finish reason of a span, normalized. */
export function readFinishReason(attributes: AttributeMap, outputMessages: unknown): string | undefined {
  const fromArray = readStringArray(attributes, ATTR_GEN_AI_RESPONSE_FINISH_REASONS)?.[0];
  const fromMessages = Array.isArray(outputMessages)
    ? (outputMessages as unknown[]).map(finishReasonOf).find((reason) => reason !== undefined)
    : undefined;
  const raw = fromArray ?? fromMessages ?? readFirst(attributes, FINISH_REASON_KEYS, readString)?.value;
  return raw === undefined ? undefined : normalizeFinishReason(raw);
}

function finishReasonOf(message: unknown): string | undefined {
  if (message === null || typeof message !== 'object') return undefined;
  const reason = (message as Record<string, unknown>)['finish_reason'];
  return typeof reason === 'string' && reason !== '' ? reason : undefined;
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text;
}

