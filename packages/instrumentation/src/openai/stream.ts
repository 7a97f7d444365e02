// Streams: folding chunks into the final answer, and watching an iterator without changing what it yields.
import { diag } from '@opentelemetry/api';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ResponseStreamEvent, Response as ResponsesResponse } from 'openai/resources/responses/responses';
import type { LlmResponse } from '../spans/llm-span.js';
import type { LlmUsage } from '../types.js';
import type { MapOptions } from './internal-types.js';
import { toChatUsage, toOutputResponse, toResponsesResponse, type OutputChoice, type OutputToolCall } from './map-response.js';

/** Folds the chunks of one stream into what the span records once it ends. */
export interface StreamAccumulator<Chunk> {
  /** Adds a chunk; returns true when it is part of the answer (it stamps the time to first chunk). */
  add(chunk: Chunk): boolean;
  /** The answer so far: complete once the stream has ended, partial when it was cut. */
  toResponse(options?: MapOptions): LlmResponse;
}

interface ChatChoiceState {
  text: string;
  refusal: string;
  // Keyed by the tool call's `index` in the deltas; -1 holds a legacy `function_call`.
  toolCalls: Map<number, OutputToolCall>;
  finishReason?: string;
}

interface LooseToolCallDelta {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

function addToolCallDelta(calls: Map<number, OutputToolCall>, key: number, delta: LooseToolCallDelta): void {
  let call = calls.get(key);
  if (call === undefined) {
    call = { name: '', arguments: '' };
    calls.set(key, call);
  }
  if (delta.id && call.id === undefined) call.id = delta.id;
  if (delta.function?.name) call.name += delta.function.name;
  if (delta.function?.arguments) call.arguments += delta.function.arguments;
}

/** Accumulates `chat.completions` chunks: text, refusals and tool calls per choice, finish reasons, usage. */
export function createChatStreamAccumulator(): StreamAccumulator<ChatCompletionChunk> {
  let id: string | undefined;
  let model: string | undefined;
  let usage: LlmUsage | undefined;
  const choices = new Map<number, ChatChoiceState>();

  return {
    add(chunk) {
      id ??= chunk.id || undefined;
      model ??= chunk.model || undefined;
      // The last chunk carries usage (and no choices) when `stream_options.include_usage` is set.
      usage = toChatUsage(chunk.usage) ?? usage;
      for (const choice of chunk.choices ?? []) {
        const index = choice.index ?? 0;
        let state = choices.get(index);
        if (state === undefined) {
          state = { text: '', refusal: '', toolCalls: new Map() };
          choices.set(index, state);
        }
        const delta = choice.delta ?? {};
        if (typeof delta.content === 'string') state.text += delta.content;
        if (typeof delta.refusal === 'string') state.refusal += delta.refusal;
        for (const call of (delta.tool_calls ?? []) as LooseToolCallDelta[]) addToolCallDelta(state.toolCalls, call.index ?? 0, call);
        if (delta.function_call) addToolCallDelta(state.toolCalls, -1, { function: delta.function_call });
        if (choice.finish_reason) state.finishReason = choice.finish_reason;
      }
      return true;
    },
    toResponse(options) {
      const ordered = [...choices.entries()].sort(([a], [b]) => a - b);
      const outputs = ordered.map(([, state]): OutputChoice => {
        const output: OutputChoice = { text: state.text, toolCalls: [...state.toolCalls.values()] };
        if (state.refusal) output.refusal = state.refusal;
        if (state.finishReason !== undefined) output.finishReason = state.finishReason;
        return output;
      });
      return toOutputResponse({ id, model, usage }, outputs, options);
    },
  };
}

interface LooseResponsesEvent {
  type?: string;
  response?: ResponsesResponse;
  item_id?: string;
  delta?: unknown;
  item?: { type?: string; id?: string; call_id?: string; name?: string; arguments?: string };
}

/**
 * Accumulates Responses API events. `response.completed` (or `incomplete`/`failed`) carries the
 * whole answer; the deltas before it are kept for a stream cut short.
 */
export function createResponsesStreamAccumulator(): StreamAccumulator<ResponseStreamEvent> {
  let id: string | undefined;
  let model: string | undefined;
  let final: ResponsesResponse | undefined;
  let text = '';
  const toolCalls = new Map<string, OutputToolCall>();

  return {
    add(chunk) {
      const event = chunk as LooseResponsesEvent;
      switch (event.type) {
        case 'response.created':
        case 'response.in_progress':
          id ??= event.response?.id;
          model ??= event.response?.model;
          return false;
        case 'response.completed':
        case 'response.incomplete':
        case 'response.failed':
          final = event.response;
          return false;
        case 'response.output_text.delta':
          if (typeof event.delta === 'string') text += event.delta;
          return true;
        case 'response.output_item.added':
          if (event.item?.type === 'function_call' && event.item.id !== undefined) {
            toolCalls.set(event.item.id, { id: event.item.call_id, name: event.item.name ?? '', arguments: '' });
          }
          return false;
        case 'response.function_call_arguments.delta': {
          const call = event.item_id === undefined ? undefined : toolCalls.get(event.item_id);
          if (call !== undefined && typeof event.delta === 'string') call.arguments += event.delta;
          return true;
        }
        default:
          // Other deltas (reasoning, refusal, audio…) are answer too; lifecycle events are not.
          return event.type?.endsWith('.delta') ?? false;
      }
    },
    toResponse(options) {
      if (final !== undefined) return toResponsesResponse(final, options);
      const choice: OutputChoice = { text, toolCalls: [...toolCalls.values()] };
      const hasOutput = text !== '' || choice.toolCalls.length > 0;
      return toOutputResponse({ id, model }, hasOutput ? [choice] : [], options);
    },
  };
}

/** What {@link observeIterator} reports; exactly one of `onDone`, `onError`, `onAbandon` is called. */
export interface StreamHooks<T> {
  onChunk(chunk: T): void;
  /** The stream ran to its end. */
  onDone(): void;
  /** The stream failed (connection cut, server error event). */
  onError(error: unknown): void;
  /** The reader stopped early (`break`, `return`). */
  onAbandon(): void;
}

function callSafely(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    // Telemetry must never break the caller's loop.
    diag.error('convotel: openai stream telemetry failed', err);
  }
}

/**
 * Yields what `iterator` yields, unchanged, and reports each chunk and how the stream ended.
 * Closing it early closes `iterator` too, so the client aborts the request as it would unwatched.
 */
export async function* observeIterator<T>(iterator: AsyncIterator<T>, hooks: StreamHooks<T>): AsyncGenerator<T, void, undefined> {
  let hasEnded = false;
  try {
    for await (const chunk of { [Symbol.asyncIterator]: () => iterator }) {
      callSafely(() => hooks.onChunk(chunk));
      yield chunk;
    }
    hasEnded = true;
    callSafely(() => hooks.onDone());
  } catch (error) {
    hasEnded = true;
    callSafely(() => hooks.onError(error));
    throw error;
  } finally {
    if (!hasEnded) callSafely(() => hooks.onAbandon());
  }
}
