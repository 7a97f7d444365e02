// Pure: Anthropic response message → what the LLM span records. No I/O, no global config.
import type { Attributes } from '@opentelemetry/api';
import { ATTR_GEN_AI_OUTPUT_MESSAGES } from '@convotel/semconv';
import type { LlmResponse } from '../spans/llm-span.js';
import type { LlmUsage } from '../types.js';
import type { GenAiOutputMessage, Message, Usage } from './internal-types.js';
import { toPart, type CaptureFn } from './map-request.js';

export interface ResponseMappingOptions {
  /** Present only when content capture is on: without it no message JSON is built. */
  readonly capture?: CaptureFn;
}

function toCount(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * Anthropic usage with OTel semantics: Anthropic's `input_tokens` leaves out cached tokens, so
 * OTel's input count adds cache reads and writes back (semantic conventions, `anthropic.md`).
 * Undefined when the response carries no usage.
 */
export function toUsage(usage: Usage | null | undefined): LlmUsage | undefined {
  if (usage === null || usage === undefined || typeof usage !== 'object') return undefined;
  const cacheRead = toCount(usage.cache_read_input_tokens);
  const cacheWrite = toCount(usage.cache_creation_input_tokens);
  const result: LlmUsage = {
    inputTokens: toCount(usage.input_tokens) + cacheRead + cacheWrite,
    outputTokens: toCount(usage.output_tokens),
  };
  if (cacheRead > 0) result.cacheReadInputTokens = cacheRead;
  if (cacheWrite > 0) result.cacheWriteInputTokens = cacheWrite;
  const thinking = toCount(usage.output_tokens_details?.thinking_tokens);
  if (thinking > 0) result.reasoningOutputTokens = thinking;
  return result;
}

/** The answer as GenAI output messages: one assistant message with its `stop_reason` as finish reason. */
export function toOutputMessages(message: Message): GenAiOutputMessage[] {
  const parts = Array.isArray(message.content) ? message.content.map(toPart) : [];
  return [{ role: message.role ?? 'assistant', parts, finish_reason: message.stop_reason ?? '' }];
}

function toOutputTexts(message: Message): string[] {
  const texts: string[] = [];
  for (const block of Array.isArray(message.content) ? message.content : []) {
    if (block.type === 'text' && block.text) texts.push(block.text);
    else if (block.type === 'thinking' && block.thinking) texts.push(block.thinking);
    else if (block.type === 'tool_use' && block.input !== undefined) texts.push(JSON.stringify(block.input));
  }
  return texts;
}

/** What the span records of a response message (or of the message a stream added up to). */
export function toLlmResponse(message: Message, options: ResponseMappingOptions = {}): LlmResponse {
  const attributes: Attributes = {};
  if (options.capture !== undefined) {
    const captured = options.capture(toOutputMessages(message));
    if (captured !== undefined) attributes[ATTR_GEN_AI_OUTPUT_MESSAGES] = captured;
  }
  const hasContent = Array.isArray(message.content) && message.content.length > 0;
  return {
    responseModel: typeof message.model === 'string' ? message.model : undefined,
    responseId: typeof message.id === 'string' ? message.id : undefined,
    // Raw Anthropic values (end_turn, max_tokens, tool_use, stop_sequence, pause_turn, refusal).
    finishReasons: typeof message.stop_reason === 'string' ? [message.stop_reason] : undefined,
    usage: toUsage(message.usage),
    outputTexts: hasContent ? () => toOutputTexts(message) : undefined,
    attributes,
  };
}
