// Pure: OpenAI responses → what the LLM span records. No I/O, no global state.
import type { Attributes } from '@opentelemetry/api';
import { ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT, ATTR_GEN_AI_OUTPUT_MESSAGES } from '@convotel/semconv';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import type { Response as ResponsesResponse, ResponseUsage } from 'openai/resources/responses/responses';
import type { LlmResponse } from '../spans/llm-span.js';
import type { LlmUsage } from '../types.js';
import type { MapOptions, MessagePart, OutputMessage } from './internal-types.js';
import { toToolArguments } from './map-request.js';

/** A tool call the model asked for, with its arguments as the raw JSON text. */
export interface OutputToolCall {
  id?: string;
  name: string;
  arguments: string;
}

/** One answer of the model (a chat choice, or the single output of a Responses call). */
export interface OutputChoice {
  text: string;
  refusal?: string;
  reasoning?: string;
  toolCalls: OutputToolCall[];
  finishReason?: string;
}

/** What identifies the answer, whichever API produced it. */
export interface OutputMeta {
  id?: string;
  model?: string;
  usage?: LlmUsage;
}

function definedOnly(usage: LlmUsage): LlmUsage {
  const result: LlmUsage = { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens };
  if (usage.cacheReadInputTokens !== undefined) result.cacheReadInputTokens = usage.cacheReadInputTokens;
  if (usage.cacheWriteInputTokens !== undefined) result.cacheWriteInputTokens = usage.cacheWriteInputTokens;
  if (usage.reasoningOutputTokens !== undefined) result.reasoningOutputTokens = usage.reasoningOutputTokens;
  return result;
}

/** Chat Completions usage with OTel semantics: `prompt_tokens` already includes cached tokens. */
export function toChatUsage(usage: CompletionUsage | null | undefined): LlmUsage | undefined {
  if (usage == null || typeof usage.prompt_tokens !== 'number') return undefined;
  return definedOnly({
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens ?? 0,
    cacheReadInputTokens: usage.prompt_tokens_details?.cached_tokens,
    cacheWriteInputTokens: usage.prompt_tokens_details?.cache_write_tokens,
    reasoningOutputTokens: usage.completion_tokens_details?.reasoning_tokens,
  });
}

/** Responses API usage; `input_tokens` already includes cached tokens. */
export function toResponsesUsage(usage: ResponseUsage | null | undefined): LlmUsage | undefined {
  if (usage == null || typeof usage.input_tokens !== 'number') return undefined;
  return definedOnly({
    inputTokens: usage.input_tokens,
    outputTokens: usage.output_tokens ?? 0,
    cacheReadInputTokens: usage.input_tokens_details?.cached_tokens,
    cacheWriteInputTokens: usage.input_tokens_details?.cache_write_tokens,
    reasoningOutputTokens: usage.output_tokens_details?.reasoning_tokens,
  });
}

/** Embeddings usage: only input tokens are billed. */
export function toEmbeddingsUsage(usage: CreateEmbeddingResponse['usage'] | null | undefined): LlmUsage | undefined {
  if (usage == null || typeof usage.prompt_tokens !== 'number') return undefined;
  return { inputTokens: usage.prompt_tokens, outputTokens: 0 };
}

/** A choice in the OTel output-messages schema. */
export function toOutputMessage(choice: OutputChoice): OutputMessage {
  const parts: MessagePart[] = [];
  if (choice.reasoning) parts.push({ type: 'reasoning', content: choice.reasoning });
  if (choice.text) parts.push({ type: 'text', content: choice.text });
  if (choice.refusal) parts.push({ type: 'refusal', content: choice.refusal });
  for (const call of choice.toolCalls) {
    parts.push({ type: 'tool_call', id: call.id, name: call.name, arguments: toToolArguments(call.arguments) });
  }
  const message: OutputMessage = { role: 'assistant', parts };
  if (choice.finishReason !== undefined) message.finish_reason = choice.finishReason;
  return message;
}

/** The text of a choice for counting output tokens: answer, refusal and tool-call arguments. */
function toOutputText(choice: OutputChoice): string {
  let text = (choice.reasoning ?? '') + choice.text + (choice.refusal ?? '');
  for (const call of choice.toolCalls) text += call.name + call.arguments;
  return text;
}

/** The span's view of an answer made of `choices`, whichever API (or stream) produced them. */
export function toOutputResponse(meta: OutputMeta, choices: readonly OutputChoice[], options: MapOptions = {}): LlmResponse {
  const finishReasons = choices.flatMap((c) => (c.finishReason === undefined ? [] : [c.finishReason]));
  let attributes: Attributes | undefined;
  if (options.capture && choices.length > 0) {
    const captured = options.capture(choices.map(toOutputMessage));
    if (captured !== undefined) attributes = { [ATTR_GEN_AI_OUTPUT_MESSAGES]: captured };
  }
  const hasOutput = choices.some((c) => toOutputText(c) !== '');
  return {
    responseId: meta.id,
    responseModel: meta.model,
    usage: meta.usage,
    finishReasons,
    outputTexts: hasOutput ? () => choices.map(toOutputText) : undefined,
    attributes,
  };
}

interface LooseChatMessage {
  content?: string | null;
  refusal?: string | null;
  tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: string }; custom?: { name?: string; input?: string } }> | null;
  function_call?: { name?: string; arguments?: string } | null;
}

function toChatChoice(choice: { message?: LooseChatMessage; finish_reason?: string | null }): OutputChoice {
  const message = choice.message ?? {};
  const toolCalls: OutputToolCall[] = (message.tool_calls ?? []).map((call) => ({
    id: call.id,
    name: call.function?.name ?? call.custom?.name ?? '',
    arguments: call.function?.arguments ?? call.custom?.input ?? '',
  }));
  if (message.function_call) {
    toolCalls.push({ name: message.function_call.name ?? '', arguments: message.function_call.arguments ?? '' });
  }
  const result: OutputChoice = { text: typeof message.content === 'string' ? message.content : '', toolCalls };
  if (message.refusal) result.refusal = message.refusal;
  if (choice.finish_reason) result.finishReason = choice.finish_reason;
  return result;
}

/** What a `chat.completions.create` answer records: model, id, finish reasons, usage, output content. */
export function toChatResponse(completion: ChatCompletion, options: MapOptions = {}): LlmResponse {
  const choices = Array.isArray(completion.choices) ? completion.choices.map(toChatChoice) : [];
  return toOutputResponse({ id: completion.id, model: completion.model, usage: toChatUsage(completion.usage) }, choices, options);
}

// Responses API output items, loosely (openai 4.87 to 6).
interface LooseOutputItem {
  type?: string;
  id?: string;
  call_id?: string;
  name?: string;
  arguments?: string;
  input?: string;
  content?: Array<{ type?: string; text?: string; refusal?: string }>;
  summary?: Array<{ text?: string }>;
}

/**
 * A finish reason for a Responses answer, which has none of its own; spelled as Chat Completions
 * spells them so both APIs read alike: `stop`, `tool_calls`, `length`, `content_filter`, `error`.
 */
export function toResponsesFinishReason(response: Pick<ResponsesResponse, 'status' | 'incomplete_details' | 'output'>): string | undefined {
  if (response.status === 'failed') return 'error';
  if (response.status === 'incomplete') {
    const reason = response.incomplete_details?.reason;
    return reason === 'max_output_tokens' ? 'length' : (reason ?? 'length');
  }
  if (response.status !== 'completed') return undefined;
  const output = (response.output ?? []) as LooseOutputItem[];
  return output.some((item) => item.type === 'function_call' || item.type === 'custom_tool_call') ? 'tool_calls' : 'stop';
}

/** The output items of a Responses answer folded into one choice. */
export function toResponsesChoice(response: Pick<ResponsesResponse, 'status' | 'incomplete_details' | 'output'>): OutputChoice {
  const choice: OutputChoice = { text: '', toolCalls: [] };
  for (const item of (response.output ?? []) as LooseOutputItem[]) {
    if (item.type === 'message') {
      for (const part of item.content ?? []) {
        if (typeof part.text === 'string') choice.text += part.text;
        else if (typeof part.refusal === 'string') choice.refusal = (choice.refusal ?? '') + part.refusal;
      }
    } else if (item.type === 'function_call' || item.type === 'custom_tool_call') {
      choice.toolCalls.push({ id: item.call_id ?? item.id, name: item.name ?? '', arguments: item.arguments ?? item.input ?? '' });
    } else if (item.type === 'reasoning') {
      const summary = (item.summary ?? []).map((s) => s.text ?? '').join('');
      if (summary) choice.reasoning = (choice.reasoning ?? '') + summary;
    }
  }
  const finishReason = toResponsesFinishReason(response);
  if (finishReason !== undefined) choice.finishReason = finishReason;
  return choice;
}

/** What a `responses.create` answer records: model, id, finish reason, usage, output content. */
export function toResponsesResponse(response: ResponsesResponse, options: MapOptions = {}): LlmResponse {
  return toOutputResponse(
    { id: response.id, model: response.model, usage: toResponsesUsage(response.usage) },
    [toResponsesChoice(response)],
    options,
  );
}

/** What an `embeddings.create` answer records: model, usage and the vectors' dimension. */
export function toEmbeddingsResponse(result: CreateEmbeddingResponse): LlmResponse {
  const embedding: unknown = result.data?.[0]?.embedding;
  // A float array, or a Float32Array once the client has decoded base64; a raw base64 string has no length to trust.
  const dimensions = Array.isArray(embedding) || ArrayBuffer.isView(embedding) ? (embedding as ArrayLike<number>).length : undefined;
  return {
    responseModel: result.model,
    usage: toEmbeddingsUsage(result.usage),
    attributes: dimensions === undefined ? undefined : { [ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT]: dimensions },
  };
}
