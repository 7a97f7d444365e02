import { context, diag, INVALID_SPAN_CONTEXT, trace, type Attributes, type HrTime, type Span } from '@opentelemetry/api';
import { hrTime, hrTimeDuration, hrTimeToMilliseconds } from '@opentelemetry/core';
import {
  ATTR_CONVOTEL_LLM_CALL_TYPE,
  ATTR_CONVOTEL_LLM_FUNCTION,
  ATTR_CONVOTEL_TAGS,
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_P,
} from '@convotel/semconv';
import { isContentCaptured, toCapturedContent } from '../content/capture.js';
import { getTracer } from '../tracer.js';
import type { LlmCallHandle, LlmCallOptions, LlmCallResponse, LlmMessage, LlmUsage } from '../types.js';
import { endLlmSpan, startLlmSpan, type LlmRequest, type LlmResponse } from './llm-span.js';
import { runInSpan } from './run-in-span.js';

function toText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) =>
        typeof part === 'string' ? part : typeof (part as { text?: unknown })?.text === 'string' ? (part as { text: string }).text : '',
      )
      .join('');
  }
  return '';
}

function toRequestAttributes(options: LlmCallOptions): Attributes {
  const attributes: Attributes = { ...options.attributes };
  if (options.callType !== undefined) attributes[ATTR_CONVOTEL_LLM_CALL_TYPE] = options.callType;
  if (options.functionName !== undefined) attributes[ATTR_CONVOTEL_LLM_FUNCTION] = options.functionName;
  if (options.tags !== undefined && options.tags.length > 0) attributes[ATTR_CONVOTEL_TAGS] = options.tags;
  if (options.temperature !== undefined) attributes[ATTR_GEN_AI_REQUEST_TEMPERATURE] = options.temperature;
  if (options.maxTokens !== undefined) attributes[ATTR_GEN_AI_REQUEST_MAX_TOKENS] = options.maxTokens;
  if (options.topP !== undefined) attributes[ATTR_GEN_AI_REQUEST_TOP_P] = options.topP;
  if (options.stream) attributes[ATTR_GEN_AI_REQUEST_STREAM] = true;
  if (options.messages !== undefined && isContentCaptured()) {
    const captured = toCapturedContent(toOtelMessages(options.messages));
    if (captured !== undefined) attributes[ATTR_GEN_AI_INPUT_MESSAGES] = captured;
  }
  return attributes;
}

/** Messages in the OTel GenAI parts schema: `{ role, parts: [{ type: 'text', content }] }`. */
function toOtelMessages(messages: readonly LlmMessage[]): unknown[] {
  return messages.map((m) => ({ role: m.role, parts: [{ type: 'text', content: toText(m.content) }] }));
}

function readNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Reads usage, model, id and text from a result shaped like an OpenAI chat completion, an
 * OpenAI Responses result or an Anthropic message; any other value yields nothing.
 */
export function readProviderResult(value: unknown): LlmCallResponse {
  if (typeof value === 'string') return { outputText: value };
  if (value === null || typeof value !== 'object') return {};
  const result = value as Record<string, unknown>;
  const usage = (result.usage ?? {}) as Record<string, unknown>;
  const response: { -readonly [K in keyof LlmCallResponse]: LlmCallResponse[K] } = {};
  if (typeof result.model === 'string') response.responseModel = result.model;
  if (typeof result.id === 'string') response.responseId = result.id;
  const promptTokens = readNumber(usage.prompt_tokens);
  const inputTokens = readNumber(usage.input_tokens);
  if (promptTokens !== undefined) {
    // OpenAI chat: prompt_tokens already includes cached tokens.
    const details = (usage.prompt_tokens_details ?? {}) as Record<string, unknown>;
    response.usage = {
      inputTokens: promptTokens,
      outputTokens: readNumber(usage.completion_tokens) ?? 0,
      cacheReadInputTokens: readNumber(details.cached_tokens),
    };
  } else if (inputTokens !== undefined) {
    const cacheRead = readNumber(usage.cache_read_input_tokens);
    const cacheWrite = readNumber(usage.cache_creation_input_tokens);
    const details = (usage.input_tokens_details ?? {}) as Record<string, unknown>;
    // Anthropic's input_tokens excludes cache; OTel's includes it. OpenAI Responses' includes it already.
    const usageOut: LlmUsage = {
      inputTokens: inputTokens + (cacheRead ?? 0) + (cacheWrite ?? 0),
      outputTokens: readNumber(usage.output_tokens) ?? 0,
      cacheReadInputTokens: cacheRead ?? readNumber(details.cached_tokens),
      cacheWriteInputTokens: cacheWrite,
    };
    response.usage = usageOut;
  }
  const choices = result.choices;
  if (Array.isArray(choices)) {
    response.outputText = choices.map((c: { message?: { content?: unknown } }) => toText(c?.message?.content)).join('');
    response.finishReasons = choices
      .map((c: { finish_reason?: unknown }) => c?.finish_reason)
      .filter((r): r is string => typeof r === 'string');
  } else if (Array.isArray(result.content)) {
    response.outputText = toText(result.content);
    if (typeof result.stop_reason === 'string') response.finishReasons = [result.stop_reason];
  } else if (typeof result.output_text === 'string') {
    response.outputText = result.output_text;
  }
  return response;
}

function toLlmResponse(reported: LlmCallResponse): LlmResponse {
  const attributes: Attributes = {};
  if (reported.outputText !== undefined && isContentCaptured()) {
    const captured = toCapturedContent([
      { role: 'assistant', parts: [{ type: 'text', content: reported.outputText }], finish_reason: reported.finishReasons?.[0] ?? 'stop' },
    ]);
    if (captured !== undefined) attributes[ATTR_GEN_AI_OUTPUT_MESSAGES] = captured;
  }
  const outputText = reported.outputText;
  return {
    responseModel: reported.responseModel,
    responseId: reported.responseId,
    finishReasons: reported.finishReasons,
    usage: reported.usage,
    ttftMs: reported.ttftMs,
    costUsd: reported.costUsd,
    outputTexts: outputText !== undefined ? () => [outputText] : undefined,
    attributes,
  };
}

/**
 * Runs `fn` as one LLM call to a client convotel does not patch. Usage comes from
 * `handle.setResponse()`, else from the returned value when it looks like an OpenAI or Anthropic
 * result; when neither reports usage, tokens are counted with js-tiktoken after the call returns
 * and the span is marked `convotel.usage.estimated`.
 */
export function llmCall<T>(options: LlmCallOptions, fn: (call: LlmCallHandle) => T): T {
  let span: Span;
  let request: LlmRequest;
  let startTime: HrTime;
  let reported: LlmCallResponse | undefined;
  let firstTokenAt: HrTime | undefined;
  try {
    const parent = context.active();
    const messages = options.messages;
    request = {
      provider: options.provider,
      operation: options.operation ?? 'chat',
      model: options.model,
      attributes: toRequestAttributes(options),
      inputTexts: messages !== undefined ? () => messages.map((m) => toText(m.content)) : undefined,
    };
    span = startLlmSpan(getTracer(), request, parent);
    startTime = hrTime();
  } catch (err) {
    diag.error('convotel: LLM call span not started', err);
    return fn({ span: trace.wrapSpanContext(INVALID_SPAN_CONTEXT), setResponse: () => {}, markFirstToken: () => {} });
  }
  const handle: LlmCallHandle = {
    span,
    setResponse: (response) => {
      reported = { ...reported, ...response };
    },
    markFirstToken: () => {
      firstTokenAt ??= hrTime();
    },
  };
  return runInSpan(span, trace.setSpan(context.active(), span), () => fn(handle), (ended, outcome) => {
    const endTime = hrTime();
    const fromResult = outcome.failed ? {} : readProviderResult(outcome.value);
    const merged: LlmCallResponse = { ...fromResult, ...reported, costUsd: reported?.costUsd ?? options.costUsd };
    if (merged.ttftMs === undefined && firstTokenAt !== undefined) {
      merged.ttftMs = hrTimeToMilliseconds(hrTimeDuration(startTime, firstTokenAt));
    }
    const response = toLlmResponse(merged);
    // A failed call is costed only from the usage it reported: never count tokens for it.
    if (outcome.failed) endLlmSpan(ended, { ...request, inputTexts: undefined }, { ...response, outputTexts: undefined }, endTime);
    else endLlmSpan(ended, request, response, endTime);
  });
}
