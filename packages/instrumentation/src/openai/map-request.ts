// Pure: OpenAI request parameters → span attributes and texts. No I/O, no global state.
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT,
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OUTPUT_TYPE,
  ATTR_GEN_AI_REQUEST_CHOICE_COUNT,
  ATTR_GEN_AI_REQUEST_ENCODING_FORMATS,
  ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY,
  ATTR_GEN_AI_REQUEST_SEED,
  ATTR_GEN_AI_REQUEST_STOP_SEQUENCES,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_P,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  ATTR_GEN_AI_TOOL_DEFINITIONS,
} from '@convotel/semconv';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { EmbeddingCreateParams } from 'openai/resources/embeddings';
import type { ResponseCreateParams } from 'openai/resources/responses/responses';
import type { InputMessage, MapOptions, MessagePart, ToolDefinition } from './internal-types.js';

function setNumber(into: Attributes, key: string, value: unknown): void {
  if (typeof value === 'number' && Number.isFinite(value)) into[key] = value;
}

/** `json` for JSON modes, `text` for plain text, undefined otherwise (`gen_ai.output.type`). */
function toOutputType(formatType: unknown): string | undefined {
  if (formatType === 'json_object' || formatType === 'json_schema') return 'json';
  if (formatType === 'text') return 'text';
  return undefined;
}

/** Parses tool-call arguments to an object when they are JSON, as the conventions prefer. */
export function toToolArguments(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

// Loose views of message and part shapes, shared by openai 4–7.
interface LooseContentPart {
  type?: string;
  text?: string;
  refusal?: string;
  image_url?: string | { url?: string };
  input_audio?: { format?: string };
  file?: { file_id?: string };
  file_id?: string;
}
interface LooseToolCall {
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
  custom?: { name?: string; input?: string };
}
interface LooseChatMessage {
  role?: string;
  name?: string;
  content?: string | LooseContentPart[] | null;
  tool_calls?: LooseToolCall[] | null;
  tool_call_id?: string;
  function_call?: { name?: string; arguments?: string } | null;
}

/** The text of a string or of the text parts of an array. */
export function toContentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content as LooseContentPart[]) {
    if (typeof part?.text === 'string') text += part.text;
    else if (typeof part?.refusal === 'string') text += part.refusal;
  }
  return text;
}

function toMediaPart(part: LooseContentPart): MessagePart | undefined {
  const url = typeof part.image_url === 'string' ? part.image_url : part.image_url?.url;
  if (url !== undefined) {
    // A data: URL is the image itself; keep only its type.
    const data = /^data:([^;,]+)/.exec(url);
    return data ? { type: 'blob', modality: 'image', mime_type: data[1]! } : { type: 'uri', modality: 'image', uri: url };
  }
  if (part.input_audio !== undefined) {
    const format = part.input_audio.format;
    return format ? { type: 'blob', modality: 'audio', mime_type: `audio/${format}` } : { type: 'blob', modality: 'audio' };
  }
  const fileId = part.file?.file_id ?? part.file_id;
  if (part.type === 'file' || part.type === 'input_file') return fileId ? { type: 'file', file_id: fileId } : { type: 'file' };
  return undefined;
}

/** OTel parts of a message's `content` (string or part array). */
export function toContentParts(content: unknown): MessagePart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', content }];
  if (!Array.isArray(content)) return [];
  const parts: MessagePart[] = [];
  for (const part of content as LooseContentPart[]) {
    if (part === null || typeof part !== 'object') continue;
    if (typeof part.text === 'string') parts.push({ type: 'text', content: part.text });
    else if (typeof part.refusal === 'string') parts.push({ type: 'refusal', content: part.refusal });
    else {
      const media = toMediaPart(part);
      if (media !== undefined) parts.push(media);
    }
  }
  return parts;
}

function toToolCallPart(call: LooseToolCall): MessagePart {
  if (call.custom !== undefined) {
    return { type: 'tool_call', id: call.id, name: call.custom.name ?? '', arguments: call.custom.input };
  }
  return {
    type: 'tool_call',
    id: call.id,
    name: call.function?.name ?? '',
    arguments: toToolArguments(call.function?.arguments),
  };
}

function toChatInputMessage(message: LooseChatMessage): InputMessage {
  const role = message.role ?? 'user';
  if (role === 'tool') {
    return { role, parts: [{ type: 'tool_call_response', id: message.tool_call_id, response: toContentText(message.content) }] };
  }
  if (role === 'function') {
    // Legacy function messages answer a call by name.
    return { role: 'tool', name: message.name, parts: [{ type: 'tool_call_response', response: toContentText(message.content) }] };
  }
  const parts = toContentParts(message.content);
  for (const call of message.tool_calls ?? []) parts.push(toToolCallPart(call));
  if (message.function_call) {
    const { name, arguments: args } = message.function_call;
    parts.push({ type: 'tool_call', name: name ?? '', arguments: toToolArguments(args) });
  }
  return message.name === undefined ? { role, parts } : { role, parts, name: message.name };
}

/** Chat Completions messages in the OTel input-messages schema (system messages included, as sent). */
export function toChatInputMessages(messages: readonly unknown[]): InputMessage[] {
  return messages.map((message) => toChatInputMessage(message as LooseChatMessage));
}

function toToolDefinitions(tools: readonly unknown[] | null | undefined): ToolDefinition[] | undefined {
  if (!Array.isArray(tools) || tools.length === 0) return undefined;
  return tools.map((tool: { type?: string; name?: string; description?: string; parameters?: unknown; function?: ToolDefinition }) => {
    // Chat nests the function; Responses has it flat.
    const fn = tool.function ?? tool;
    const definition: ToolDefinition = { type: tool.type ?? 'function' };
    if (fn.name !== undefined) definition.name = fn.name;
    if (fn.description !== undefined) definition.description = fn.description;
    if (fn.parameters !== undefined) definition.parameters = fn.parameters;
    return definition;
  });
}

function setCaptured(into: Attributes, key: string, value: unknown, options: MapOptions): void {
  const captured = value === undefined ? undefined : options.capture?.(value);
  if (captured !== undefined) into[key] = captured;
}

/** Request attributes of `chat.completions.create`; content only when `options.capture` is given. */
export function toChatRequestAttributes(params: ChatCompletionCreateParams, options: MapOptions = {}): Attributes {
  const attributes: Attributes = {};
  setNumber(attributes, ATTR_GEN_AI_REQUEST_TEMPERATURE, params.temperature);
  setNumber(attributes, ATTR_GEN_AI_REQUEST_TOP_P, params.top_p);
  // `max_tokens` is deprecated in favour of `max_completion_tokens`.
  setNumber(attributes, ATTR_GEN_AI_REQUEST_MAX_TOKENS, params.max_completion_tokens ?? params.max_tokens);
  setNumber(attributes, ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY, params.frequency_penalty);
  setNumber(attributes, ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY, params.presence_penalty);
  setNumber(attributes, ATTR_GEN_AI_REQUEST_SEED, params.seed);
  if (typeof params.n === 'number' && params.n !== 1) attributes[ATTR_GEN_AI_REQUEST_CHOICE_COUNT] = params.n;
  if (typeof params.stop === 'string') attributes[ATTR_GEN_AI_REQUEST_STOP_SEQUENCES] = [params.stop];
  else if (Array.isArray(params.stop)) attributes[ATTR_GEN_AI_REQUEST_STOP_SEQUENCES] = [...params.stop];
  if (params.stream === true) attributes[ATTR_GEN_AI_REQUEST_STREAM] = true;
  const outputType = toOutputType(params.response_format?.type);
  if (outputType !== undefined) attributes[ATTR_GEN_AI_OUTPUT_TYPE] = outputType;
  if (options.capture) {
    setCaptured(attributes, ATTR_GEN_AI_INPUT_MESSAGES, toChatInputMessages(params.messages ?? []), options);
    setCaptured(attributes, ATTR_GEN_AI_TOOL_DEFINITIONS, toToolDefinitions(params.tools), options);
  }
  return attributes;
}

/** One text per chat message, for counting tokens when the response reports no usage. */
export function toChatInputTexts(params: ChatCompletionCreateParams): string[] {
  return (params.messages ?? []).map((raw) => {
    const message = raw as LooseChatMessage;
    let text = toContentText(message.content);
    for (const call of message.tool_calls ?? []) {
      text += (call.function?.name ?? call.custom?.name ?? '') + (call.function?.arguments ?? call.custom?.input ?? '');
    }
    return text;
  });
}

// Responses API input items, loosely.
interface LooseInputItem {
  type?: string;
  role?: string;
  content?: string | LooseContentPart[];
  call_id?: string;
  name?: string;
  arguments?: string;
  output?: unknown;
  summary?: Array<{ text?: string }>;
}

function toResponsesInputMessage(item: LooseInputItem): InputMessage | undefined {
  switch (item.type ?? 'message') {
    case 'message':
      return { role: item.role ?? 'user', parts: toContentParts(item.content) };
    case 'function_call':
      return {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: item.call_id, name: item.name ?? '', arguments: toToolArguments(item.arguments) }],
      };
    case 'function_call_output':
      return { role: 'tool', parts: [{ type: 'tool_call_response', id: item.call_id, response: item.output }] };
    case 'reasoning':
      return {
        role: 'assistant',
        parts: (item.summary ?? []).map((s) => ({ type: 'reasoning', content: s.text ?? '' }) as const),
      };
    default:
      // Hosted tool calls (web search, file search…) and item references carry no conversation text.
      return undefined;
  }
}

/** Responses API `input` in the OTel input-messages schema; `instructions` go to system instructions. */
export function toResponsesInputMessages(input: ResponseCreateParams['input']): InputMessage[] {
  if (typeof input === 'string') return [{ role: 'user', parts: [{ type: 'text', content: input }] }];
  if (!Array.isArray(input)) return [];
  const messages: InputMessage[] = [];
  for (const item of input as LooseInputItem[]) {
    const message = toResponsesInputMessage(item);
    if (message !== undefined) messages.push(message);
  }
  return messages;
}

/** Request attributes of `responses.create`; content only when `options.capture` is given. */
export function toResponsesRequestAttributes(params: ResponseCreateParams, options: MapOptions = {}): Attributes {
  const attributes: Attributes = {};
  setNumber(attributes, ATTR_GEN_AI_REQUEST_TEMPERATURE, params.temperature);
  setNumber(attributes, ATTR_GEN_AI_REQUEST_TOP_P, params.top_p);
  setNumber(attributes, ATTR_GEN_AI_REQUEST_MAX_TOKENS, params.max_output_tokens);
  if (params.stream === true) attributes[ATTR_GEN_AI_REQUEST_STREAM] = true;
  const outputType = toOutputType(params.text?.format?.type);
  if (outputType !== undefined) attributes[ATTR_GEN_AI_OUTPUT_TYPE] = outputType;
  if (options.capture) {
    if (typeof params.instructions === 'string' && params.instructions !== '') {
      setCaptured(attributes, ATTR_GEN_AI_SYSTEM_INSTRUCTIONS, [{ type: 'text', content: params.instructions }], options);
    }
    setCaptured(attributes, ATTR_GEN_AI_INPUT_MESSAGES, toResponsesInputMessages(params.input), options);
    setCaptured(attributes, ATTR_GEN_AI_TOOL_DEFINITIONS, toToolDefinitions(params.tools), options);
  }
  return attributes;
}

/** Instructions and one text per input item, for counting tokens when the response reports no usage. */
export function toResponsesInputTexts(params: ResponseCreateParams): string[] {
  const texts: string[] = [];
  if (typeof params.instructions === 'string' && params.instructions !== '') texts.push(params.instructions);
  if (typeof params.input === 'string') texts.push(params.input);
  else if (Array.isArray(params.input)) {
    for (const item of params.input as LooseInputItem[]) {
      const output = typeof item.output === 'string' ? item.output : '';
      texts.push(toContentText(item.content) + (item.name ?? '') + (item.arguments ?? '') + output);
    }
  }
  return texts;
}

/** Request attributes of `embeddings.create`. */
export function toEmbeddingsRequestAttributes(params: EmbeddingCreateParams): Attributes {
  const attributes: Attributes = {};
  // The client may ask for base64 on the wire; what is recorded is the format the caller asked for.
  if (typeof params.encoding_format === 'string') attributes[ATTR_GEN_AI_REQUEST_ENCODING_FORMATS] = [params.encoding_format];
  setNumber(attributes, ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT, params.dimensions);
  return attributes;
}

/** The string inputs of an embeddings call (token-id inputs are not text), for counting tokens. */
export function toEmbeddingsInputTexts(params: EmbeddingCreateParams): string[] {
  const { input } = params;
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input)) return [];
  return (input as unknown[]).filter((item): item is string => typeof item === 'string');
}
