// Pure: Anthropic request → span attributes. No I/O, no global config; content is serialized
// only through the `capture` function the caller passes when capture is on.
import type { AttributeValue, Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_STOP_SEQUENCES,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_K,
  ATTR_GEN_AI_REQUEST_TOP_P,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  ATTR_GEN_AI_TOOL_DEFINITIONS,
} from '@convotel/semconv';
import { toServerAttributes } from '../spans/server-attributes.js';
import type { ContentBlock, GenAiMessage, GenAiPart, MessageCreateParams, MessageParam, ToolParam } from './internal-types.js';

/** Turns content into the string stored on a span (redacted, capped), or undefined to store nothing. */
export type CaptureFn = (value: unknown) => string | undefined;

export interface RequestMappingOptions {
  /** The client's `baseURL`, for `server.address` and `server.port`. */
  readonly baseURL?: string;
  /** Present only when content capture is on: without it no message JSON is built. */
  readonly capture?: CaptureFn;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function setCaptured(into: Attributes, key: string, capture: CaptureFn, value: unknown): void {
  const captured = capture(value);
  if (captured !== undefined) into[key] = captured;
}

/** Request attributes of a `messages.create` call: sampling parameters, streaming, server, and content when captured. */
export function toRequestAttributes(params: MessageCreateParams, options: RequestMappingOptions = {}): Attributes {
  const attributes: Attributes = { ...toServerAttributes(options.baseURL) };
  if (isFiniteNumber(params.max_tokens)) attributes[ATTR_GEN_AI_REQUEST_MAX_TOKENS] = params.max_tokens;
  if (isFiniteNumber(params.temperature)) attributes[ATTR_GEN_AI_REQUEST_TEMPERATURE] = params.temperature;
  if (isFiniteNumber(params.top_p)) attributes[ATTR_GEN_AI_REQUEST_TOP_P] = params.top_p;
  if (isFiniteNumber(params.top_k)) attributes[ATTR_GEN_AI_REQUEST_TOP_K] = params.top_k;
  const stops = params.stop_sequences;
  if (Array.isArray(stops) && stops.length > 0 && stops.every((s) => typeof s === 'string')) {
    attributes[ATTR_GEN_AI_REQUEST_STOP_SEQUENCES] = [...stops] as AttributeValue;
  }
  if (params.stream === true) attributes[ATTR_GEN_AI_REQUEST_STREAM] = true;

  const { capture } = options;
  if (capture !== undefined) {
    if (Array.isArray(params.messages)) setCaptured(attributes, ATTR_GEN_AI_INPUT_MESSAGES, capture, toInputMessages(params.messages));
    const system = toSystemInstructions(params.system);
    if (system !== undefined) setCaptured(attributes, ATTR_GEN_AI_SYSTEM_INSTRUCTIONS, capture, system);
    if (Array.isArray(params.tools) && params.tools.length > 0) {
      setCaptured(attributes, ATTR_GEN_AI_TOOL_DEFINITIONS, capture, toToolDefinitions(params.tools));
    }
  }
  return attributes;
}

/** The text of a tool result or system block list: strings as they are, text blocks joined. */
function toText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const texts = content.flatMap((block: ContentBlock) => (block?.type === 'text' && typeof block.text === 'string' ? [block.text] : []));
  return texts.length > 0 ? texts.join('') : undefined;
}

/** One Anthropic content block as a GenAI part. Media carries its type and URL, never its base64 data. */
export function toPart(block: ContentBlock): GenAiPart {
  switch (block.type) {
    case 'text':
      return { type: 'text', content: block.text ?? '' };
    case 'thinking':
      return { type: 'reasoning', content: block.thinking ?? '' };
    case 'tool_use':
      return { type: 'tool_call', id: block.id, name: block.name ?? '', arguments: block.input };
    case 'tool_result':
      return { type: 'tool_call_response', id: block.tool_use_id, response: toText(block.content) ?? block.content };
    case 'image':
    case 'document': {
      const modality = block.type === 'image' ? 'image' : 'document';
      if (block.source?.type === 'url') return { type: 'uri', modality, uri: block.source.url };
      return { type: 'blob', modality, mime_type: block.source?.media_type };
    }
    default:
      // server_tool_use, redacted_thinking, web search results…: kept as a generic part.
      return { type: block.type };
  }
}

/**
 * The request's messages in the GenAI input-messages schema. Anthropic sends tool results
 * as blocks of a `user` message; a message made only of them becomes a `tool` message.
 */
export function toInputMessages(messages: readonly MessageParam[]): GenAiMessage[] {
  return messages.map((message) => {
    if (typeof message.content === 'string') return { role: message.role, parts: [{ type: 'text', content: message.content }] };
    const parts = Array.isArray(message.content) ? message.content.map(toPart) : [];
    const isToolResponse = parts.length > 0 && parts.every((part) => part.type === 'tool_call_response');
    return { role: isToolResponse ? 'tool' : message.role, parts };
  });
}

/** Anthropic's `system` parameter as GenAI system instructions (parts without a role), or undefined when absent. */
export function toSystemInstructions(system: MessageCreateParams['system']): GenAiPart[] | undefined {
  if (typeof system === 'string') return system === '' ? undefined : [{ type: 'text', content: system }];
  if (!Array.isArray(system) || system.length === 0) return undefined;
  return system.map(toPart);
}

/** The tools offered, in the GenAI tool-definitions schema. */
export function toToolDefinitions(tools: readonly ToolParam[]): unknown[] {
  return tools.map((tool) =>
    tool.input_schema !== undefined
      ? { type: 'function', name: tool.name, description: tool.description, parameters: tool.input_schema }
      : { type: tool.type ?? 'function', name: tool.name },
  );
}

/** Texts of the request (system, then each message), for counting tokens when the response reports no usage. */
export function toInputTexts(params: MessageCreateParams): string[] {
  const texts: string[] = [];
  const system = typeof params.system === 'string' ? params.system : toText(params.system);
  if (system) texts.push(system);
  for (const message of Array.isArray(params.messages) ? params.messages : []) {
    const text = typeof message.content === 'string' ? message.content : toText(message.content);
    if (text) texts.push(text);
  }
  return texts;
}
