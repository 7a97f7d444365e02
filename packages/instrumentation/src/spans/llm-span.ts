import { context, diag, SpanKind, type Attributes, type Context, type HrTime, type Span, type Tracer } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import {
  ATTR_CONVOTEL_COST_SOURCE,
  ATTR_CONVOTEL_COST_USD,
  ATTR_CONVOTEL_LLM_TTFT_MS,
  ATTR_CONVOTEL_SPAN_KIND,
  ATTR_CONVOTEL_USAGE_ESTIMATED,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  CONVOTEL_COST_SOURCE_VALUE_COMPUTED,
  CONVOTEL_COST_SOURCE_VALUE_REPORTED,
  CONVOTEL_SPAN_KIND_VALUE_LLM,
} from '@convotel/semconv';
import { estimateLlmCost } from '../cost/estimate.js';
import { toLabelAttributes } from '../llm-labels.js';
import { countTokens } from '../tokens/count.js';
import type { LlmUsage } from '../types.js';
import { recordError } from './record-error.js';

/** What is known of an LLM call when it starts. */
export interface LlmRequest {
  /** `gen_ai.provider.name`. */
  readonly provider: string;
  /** `gen_ai.operation.name`: chat, text_completion, embeddings… */
  readonly operation: string;
  readonly model: string | undefined;
  /** Request attributes (parameters, content when captured), set once at start. */
  readonly attributes?: Attributes;
  /**
   * Texts of the request for counting tokens when the response carries no usage; called only
   * then, after the answer was handed back. Each message adds a small framing overhead.
   */
  readonly inputTexts?: () => readonly string[];
}

/** What is known once the call has answered (or the stream has ended). */
export interface LlmResponse {
  readonly responseModel?: string;
  readonly responseId?: string;
  readonly finishReasons?: readonly string[];
  readonly usage?: LlmUsage;
  /** Texts of the answer for counting output tokens when usage is missing. */
  readonly outputTexts?: () => readonly string[];
  /** Milliseconds from the request to the first streamed chunk. */
  readonly ttftMs?: number;
  /** A cost the provider reported, in USD. */
  readonly costUsd?: number;
  /** Any other response attributes (content when captured). */
  readonly attributes?: Attributes;
}

// Chat framing per message and per reply, as in OpenAI's cookbook counting recipe.
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_REPLY = 3;

const pending = new Set<Promise<void>>();

/** Starts the CLIENT span of an LLM call, named `{operation} {model}`, under `parent`. */
export function startLlmSpan(tracer: Tracer, request: LlmRequest, parent: Context = context.active()): Span {
  const name = request.model ? `${request.operation} ${request.model}` : request.operation;
  const span = tracer.startSpan(name, { kind: SpanKind.CLIENT }, parent);
  // One setAttributes call after start: ~2× cheaper than attributes in the start options (DESIGN.md §7).
  const attributes: Attributes = {
    [ATTR_CONVOTEL_SPAN_KIND]: CONVOTEL_SPAN_KIND_VALUE_LLM,
    [ATTR_GEN_AI_OPERATION_NAME]: request.operation,
    [ATTR_GEN_AI_PROVIDER_NAME]: request.provider,
  };
  if (request.model !== undefined) attributes[ATTR_GEN_AI_REQUEST_MODEL] = request.model;
  // Labels from labelLlmCalls() first, so a call's own attributes win over them.
  toLabelAttributes(parent, attributes);
  Object.assign(attributes, request.attributes);
  span.setAttributes(attributes);
  return span;
}

function toUsageAttributes(usage: LlmUsage, into: Attributes): void {
  into[ATTR_GEN_AI_USAGE_INPUT_TOKENS] = usage.inputTokens;
  into[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] = usage.outputTokens;
  if (usage.cacheReadInputTokens) into[ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] = usage.cacheReadInputTokens;
  if (usage.cacheWriteInputTokens) into[ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS] = usage.cacheWriteInputTokens;
  if (usage.reasoningOutputTokens) into[ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS] = usage.reasoningOutputTokens;
}

function toCostAttributes(request: LlmRequest, response: LlmResponse, usage: LlmUsage | undefined, into: Attributes): void {
  if (response.costUsd !== undefined && Number.isFinite(response.costUsd)) {
    into[ATTR_CONVOTEL_COST_USD] = response.costUsd;
    into[ATTR_CONVOTEL_COST_SOURCE] = CONVOTEL_COST_SOURCE_VALUE_REPORTED;
    return;
  }
  const model = response.responseModel ?? request.model;
  if (usage === undefined || model === undefined) return;
  const usd = estimateLlmCost(request.provider, model, usage, request.model);
  if (usd === undefined) return;
  into[ATTR_CONVOTEL_COST_USD] = usd;
  into[ATTR_CONVOTEL_COST_SOURCE] = CONVOTEL_COST_SOURCE_VALUE_COMPUTED;
}

function toResponseAttributes(response: LlmResponse): Attributes {
  const attributes: Attributes = { ...response.attributes };
  if (response.responseModel !== undefined) attributes[ATTR_GEN_AI_RESPONSE_MODEL] = response.responseModel;
  if (response.responseId !== undefined) attributes[ATTR_GEN_AI_RESPONSE_ID] = response.responseId;
  if (response.finishReasons !== undefined && response.finishReasons.length > 0) {
    attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = [...response.finishReasons];
  }
  if (response.ttftMs !== undefined) {
    attributes[ATTR_CONVOTEL_LLM_TTFT_MS] = response.ttftMs;
    attributes[ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK] = response.ttftMs / 1000;
  }
  return attributes;
}

async function countUsage(request: LlmRequest, response: LlmResponse): Promise<LlmUsage> {
  const model = response.responseModel ?? request.model;
  const inputTexts = request.inputTexts?.() ?? [];
  const outputTexts = response.outputTexts?.() ?? [];
  const counts = await countTokens(model, [...inputTexts, ...outputTexts]);
  let inputTokens = 0;
  let outputTokens = 0;
  counts.forEach((count, i) => {
    if (i < inputTexts.length) inputTokens += count;
    else outputTokens += count;
  });
  // Chat framing applies to chat-like calls only; embeddings count raw text.
  if (request.operation !== 'embeddings' && inputTexts.length > 0) {
    inputTokens += inputTexts.length * TOKENS_PER_MESSAGE + TOKENS_PER_REPLY;
  }
  return { inputTokens, outputTokens };
}

function canCount(request: LlmRequest, response: LlmResponse): boolean {
  return request.inputTexts !== undefined || response.outputTexts !== undefined;
}

/**
 * Records the answer and ends the span at `endTime`, which is taken now. The work itself —
 * mapping, cost, and a token count when usage is missing — runs after the caller has resumed:
 * queued to the next macrotask with every other call ending in this one, or, for a count, once
 * the worker answers. Never throws.
 */
export function endLlmSpan(span: Span, request: LlmRequest, response: LlmResponse, endTime: HrTime = hrTime()): void {
  queued.push({ span, request, response, endTime });
  if (!isDrainScheduled) {
    isDrainScheduled = true;
    setImmediate(drainQueue);
  }
}

interface QueuedEnd {
  readonly span: Span;
  readonly request: LlmRequest;
  readonly response: LlmResponse;
  readonly endTime: HrTime;
}

let queued: QueuedEnd[] = [];
let isDrainScheduled = false;

/** Ends the queued LLM spans now (before a flush, or when a test resets its exporter). */
export function drainQueue(): void {
  isDrainScheduled = false;
  const batch = queued;
  queued = [];
  for (const { span, request, response, endTime } of batch) finishLlmSpan(span, request, response, endTime);
}

function finishLlmSpan(span: Span, request: LlmRequest, response: LlmResponse, endTime: HrTime): void {
  try {
    const attributes = toResponseAttributes(response);
    if (response.usage !== undefined || !canCount(request, response)) {
      if (response.usage !== undefined) toUsageAttributes(response.usage, attributes);
      toCostAttributes(request, response, response.usage, attributes);
      span.setAttributes(attributes);
      span.end(endTime);
      return;
    }
    const counted = countUsage(request, response)
      .then(
        (usage) => {
          toUsageAttributes(usage, attributes);
          attributes[ATTR_CONVOTEL_USAGE_ESTIMATED] = true;
          toCostAttributes(request, response, usage, attributes);
        },
        (err: unknown) => diag.warn('convotel: tokens not counted', err),
      )
      .then(() => {
        span.setAttributes(attributes);
        span.end(endTime);
      })
      .finally(() => pending.delete(counted));
    pending.add(counted);
  } catch (err) {
    diag.error('convotel: LLM span not ended cleanly', err);
    span.end(endTime);
  }
}

/** Records a failed call (and what was known of its answer, e.g. a stream cut mid-way) and ends the span. */
export function failLlmSpan(span: Span, request: LlmRequest, error: unknown, partial: LlmResponse = {}): void {
  const endTime = hrTime();
  recordError(span, error);
  // A refused call (429, timeout before any output) billed nothing: count tokens only when some answer arrived.
  const hasAnswer = partial.usage !== undefined || partial.outputTexts !== undefined;
  endLlmSpan(span, hasAnswer ? request : { ...request, inputTexts: undefined }, partial, endTime);
}

/** Resolves once every LLM span waiting to end (queued, or waiting for a token count) has ended. */
export async function settleLlmSpans(): Promise<void> {
  drainQueue();
  while (pending.size > 0) await Promise.allSettled([...pending]);
}
