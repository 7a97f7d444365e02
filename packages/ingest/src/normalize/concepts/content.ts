// Prompts and completions, when a span carries them, converted to the OTel message schema
// (`[{ role, parts: [{ type: 'text', content }] }]`). The SDK or Collector already decided
// capture and redaction: whatever is present is kept. Pure.
import type { AttributeMap, AttributeValue, SpanEvent } from '../../otlp/types.js';
import { attributeKeys, getValue, hasKeyWithPrefix, isObject, parseJson, readStructured } from '../read/attributes.js';
import { toStorableValue } from '../read/sanitize.js';
import {
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  GEN_AI_EVENT_OPERATION_DETAILS,
} from '@convotel/semconv';
import { LANGFUSE_INPUT_KEY, LANGFUSE_OUTPUT_KEY } from '../flavours/langfuse.js';
import { LIVEKIT_INPUT_CONTENT_KEYS, LIVEKIT_RESPONSE_TEXT_KEYS } from '../flavours/livekit.js';
import {
  OPENINFERENCE_INPUT_MESSAGES_PREFIX,
  OPENINFERENCE_INPUT_VALUE_KEY,
  OPENINFERENCE_OUTPUT_MESSAGES_PREFIX,
  OPENINFERENCE_OUTPUT_VALUE_KEY,
} from '../flavours/openinference.js';
import {
  OPENLLMETRY_COMPLETION_KEY,
  OPENLLMETRY_COMPLETION_PREFIX,
  OPENLLMETRY_PROMPT_KEY,
  OPENLLMETRY_PROMPT_PREFIX,
  TRACELOOP_ENTITY_INPUT_KEY,
  TRACELOOP_ENTITY_OUTPUT_KEY,
} from '../flavours/openllmetry.js';
import { AI_SDK_PROMPT_KEY, AI_SDK_PROMPT_MESSAGES_KEY, AI_SDK_RESPONSE_TEXT_KEYS } from '../flavours/vercel-ai.js';

/** An OTel message part (`text`, `tool_call`, `blob`, …). */
export type MessagePart = { readonly type: string; readonly [field: string]: AttributeValue };
/** An OTel input or output message. */
export interface Message {
  readonly role: string;
  readonly parts: readonly MessagePart[];
  readonly finish_reason?: string;
}

/** Messages found on a span and where. */
export interface Content {
  readonly messages: readonly Message[];
  /** The attribute key (or span event name) it came from. */
  readonly key: string;
}

/** The prompt, with system instructions given apart. */
export interface InputContent extends Content {
  readonly systemInstructions: AttributeValue | undefined;
}


/** The prompt of a span, first source in reference order. */
export function readInputContent(attributes: AttributeMap, events: readonly SpanEvent[]): InputContent | undefined {
  const systemInstructions = readStructured(attributes, ATTR_GEN_AI_SYSTEM_INSTRUCTIONS);
  const found = findInput(attributes, events);
  if (found === undefined) {
    return systemInstructions === undefined ? undefined : { messages: [], key: ATTR_GEN_AI_SYSTEM_INSTRUCTIONS, systemInstructions };
  }
  return { ...found, systemInstructions };
}

/** The completion of a span, first source in reference order. */
export function readOutputContent(attributes: AttributeMap, events: readonly SpanEvent[]): Content | undefined {
  return (
    fromKey(attributes, ATTR_GEN_AI_OUTPUT_MESSAGES, 'assistant') ??
    fromEvent(events, GEN_AI_EVENT_OPERATION_DETAILS, ATTR_GEN_AI_OUTPUT_MESSAGES, 'assistant') ??
    fromFlattened(attributes, OPENLLMETRY_COMPLETION_PREFIX, false, 'assistant') ??
    fromKey(attributes, OPENLLMETRY_COMPLETION_KEY, 'assistant') ??
    fromFlattened(attributes, OPENINFERENCE_OUTPUT_MESSAGES_PREFIX, true, 'assistant') ??
    fromKey(attributes, OPENINFERENCE_OUTPUT_VALUE_KEY, 'assistant') ??
    fromFirstKey(attributes, AI_SDK_RESPONSE_TEXT_KEYS, 'assistant') ??
    fromKey(attributes, TRACELOOP_ENTITY_OUTPUT_KEY, 'assistant') ??
    fromKey(attributes, LANGFUSE_OUTPUT_KEY, 'assistant') ??
    fromFirstKey(attributes, LIVEKIT_RESPONSE_TEXT_KEYS, 'assistant')
  );
}

function findInput(attributes: AttributeMap, events: readonly SpanEvent[]): Content | undefined {
  return (
    fromKey(attributes, ATTR_GEN_AI_INPUT_MESSAGES, 'user') ??
    fromEvent(events, GEN_AI_EVENT_OPERATION_DETAILS, ATTR_GEN_AI_INPUT_MESSAGES, 'user') ??
    fromFlattened(attributes, OPENLLMETRY_PROMPT_PREFIX, false, 'user') ??
    fromKey(attributes, OPENLLMETRY_PROMPT_KEY, 'user') ??
    fromFlattened(attributes, OPENINFERENCE_INPUT_MESSAGES_PREFIX, true, 'user') ??
    fromKey(attributes, OPENINFERENCE_INPUT_VALUE_KEY, 'user') ??
    fromKey(attributes, AI_SDK_PROMPT_MESSAGES_KEY, 'user') ??
    fromKey(attributes, AI_SDK_PROMPT_KEY, 'user') ??
    fromKey(attributes, TRACELOOP_ENTITY_INPUT_KEY, 'user') ??
    fromKey(attributes, LANGFUSE_INPUT_KEY, 'user') ??
    fromFirstKey(attributes, LIVEKIT_INPUT_CONTENT_KEYS, 'user')
  );
}

/** Text of the last `user` message (the dashboard's "last user input"). */
export function lastUserText(messages: readonly Message[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const message = messages[i];
    if (message?.role !== 'user') continue;
    const text = textOf(message);
    if (text !== undefined) return text;
  }
  return undefined;
}

/** Text of the first output message (choice 0). */
export function outputText(messages: readonly Message[]): string | undefined {
  for (const message of messages) {
    const text = textOf(message);
    if (text !== undefined) return text;
  }
  return undefined;
}

/** The message's text parts joined; none when they are blank (a failed Mastra call's output is `""`). */
function textOf(message: Message): string | undefined {
  const texts = message.parts
    .filter((part) => part.type === 'text' && typeof part['content'] === 'string')
    .map((part) => part['content'] as string);
  const text = texts.join('\n');
  return text.trim() === '' ? undefined : text;
}

function fromKey(attributes: AttributeMap, key: string, role: string): Content | undefined {
  const value = readStructured(attributes, key);
  if (value === undefined || value === null) return undefined;
  const messages = toMessages(value, role);
  return messages.length === 0 ? undefined : { messages, key };
}

function fromEvent(events: readonly SpanEvent[], name: string, key: string, role: string): Content | undefined {
  for (const event of events) {
    if (event.name !== name) continue;
    const found = fromKey(event.attributes, key, role);
    if (found !== undefined) return { ...found, key: `${name}:${key}` };
  }
  return undefined;
}

/**
 * Regroups flattened messages: `gen_ai.prompt.0.role` / `.content` (OpenLLMetry legacy) or
 * `llm.input_messages.0.message.role` / `.message.content` / `.message.contents.1.message_content.text`
 * (OpenInference).
 */
function fromFlattened(attributes: AttributeMap, prefix: string, isOpenInference: boolean, role: string): Content | undefined {
  // Most spans have no flattened messages: answered from a per-map cache, without a scan.
  if (!hasKeyWithPrefix(attributes, prefix)) return undefined;
  const byIndex = new Map<number, Record<string, AttributeValue>>();
  const keys = attributeKeys(attributes);
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    if (!key.startsWith(prefix)) continue;
    const value = attributes[key] as AttributeValue;
    const rest = key.slice(prefix.length);
    const dot = rest.indexOf('.');
    const index = Number(rest.slice(0, dot));
    if (dot <= 0 || !Number.isInteger(index)) continue;
    const field = rest.slice(dot + 1).replace(/^message\./, isOpenInference ? '' : 'message.');
    const entry = byIndex.get(index) ?? {};
    entry[field] = value;
    byIndex.set(index, entry);
  }
  if (byIndex.size === 0) return undefined;
  const messages = [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, fields]) => toFlattenedMessage(fields, role))
    .filter((message): message is Message => message !== undefined);
  return messages.length === 0 ? undefined : { messages, key: `${prefix}*` };
}

function toFlattenedMessage(fields: Record<string, AttributeValue>, role: string): Message | undefined {
  const parts: MessagePart[] = [];
  if (typeof fields['content'] === 'string') parts.push(textPart(fields['content']));
  const contentTexts = Object.entries(fields)
    .filter(([field]) => /^contents\.\d+\.message_content\.text$/.test(field))
    .sort(([a], [b]) => indexIn(a) - indexIn(b))
    .map(([, text]) => text);
  for (const text of contentTexts) if (typeof text === 'string') parts.push(textPart(text));
  if (parts.length === 0) return undefined;
  const finishReason = fields['finish_reason'];
  return {
    role: typeof fields['role'] === 'string' ? fields['role'] : role,
    parts,
    ...(typeof finishReason === 'string' ? { finish_reason: finishReason } : {}),
  };
}

function indexIn(field: string): number {
  return Number(field.split('.')[1]);
}

/** Any of the shapes instrumentations use, as OTel messages. */
export function toMessages(value: AttributeValue, role: string): Message[] {
  if (typeof value === 'string') {
    const parsed = parseJson(value);
    if (parsed !== undefined) return toMessages(parsed, role);
    return value === '' ? [] : [{ role, parts: [textPart(value)] }];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item: AttributeValue) => {
      const message = toMessage(item, role);
      return message === undefined ? [] : [message];
    });
  }
  if (isObject(value)) {
    // Whole requests/responses (OpenInference input.value/output.value, AI SDK ai.prompt).
    const messages = value['messages'];
    if (Array.isArray(messages)) {
      const system = typeof value['system'] === 'string' ? [{ role: 'system', parts: [textPart(value['system'])] }] : [];
      return [...system, ...toMessages(messages, role)];
    }
    const choices = value['choices'];
    if (Array.isArray(choices)) {
      return choices.flatMap((choice: AttributeValue) => {
        const message = isObject(choice) ? toMessage(choice['message'] ?? null, role) : undefined;
        return message === undefined ? [] : [message];
      });
    }
    if (typeof value['prompt'] === 'string') return [{ role, parts: [textPart(value['prompt'])] }];
    const single = toMessage(value, role);
    return single === undefined ? [{ role, parts: [textPart(JSON.stringify(value))] }] : [single];
  }
  return [];
}

function toMessage(item: AttributeValue, role: string): Message | undefined {
  if (typeof item === 'string') return { role, parts: [textPart(item)] };
  if (!isObject(item)) return undefined;
  const itemRole = typeof item['role'] === 'string' ? item['role'] : role;
  const finish = typeof item['finish_reason'] === 'string' ? { finish_reason: item['finish_reason'] } : {};
  const parts = item['parts'];
  if (Array.isArray(parts)) {
    return { role: itemRole, parts: parts.filter(isObject).map(toPart), ...finish };
  }
  const content = item['content'] ?? getValue(item, 'message.content');
  const toolCalls = toToolCallParts(item['tool_calls']);
  if (typeof content === 'string') return { role: itemRole, parts: [textPart(content), ...toolCalls], ...finish };
  if (Array.isArray(content)) {
    // OpenAI/Anthropic content arrays: `{ type: 'text', text }`.
    const contentParts = content.filter(isObject).map((part) =>
      typeof part['text'] === 'string' ? textPart(part['text']) : toPart(part),
    );
    return { role: itemRole, parts: [...contentParts, ...toolCalls], ...finish };
  }
  if (typeof item['text'] === 'string') return { role: itemRole, parts: [textPart(item['text'])], ...finish };
  // An assistant turn that only calls tools (OpenAI `message.tool_calls`, e.g. the contrib
  // instrumentation's gen_ai.choice / gen_ai.assistant.message events).
  if (toolCalls.length > 0) return { role: itemRole, parts: toolCalls, ...finish };
  return undefined;
}

/** OpenAI `tool_calls` (`{ id, type: 'function', function: { name, arguments } }`) as OTel `tool_call` parts. */
function toToolCallParts(value: AttributeValue | undefined): MessagePart[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).flatMap((call): MessagePart[] => {
    const fn = isObject(call['function']) ? call['function'] : call;
    const name = fn['name'];
    if (typeof name !== 'string') return [];
    const args = fn['arguments'];
    return [
      {
        type: 'tool_call',
        ...(typeof call['id'] === 'string' ? { id: call['id'] } : {}),
        name,
        ...(args === undefined ? {} : { arguments: typeof args === 'string' ? (parseJson(args) ?? args) : args }),
      },
    ];
  });
}

function toPart(part: AttributeMap): MessagePart {
  const type = typeof part['type'] === 'string' ? part['type'] : 'unknown';
  return { ...part, type };
}

function textPart(content: string): MessagePart {
  return { type: 'text', content };
}

/** {@link fromKey} for the first of `keys` that holds messages. */
function fromFirstKey(attributes: AttributeMap, keys: readonly string[], role: string): Content | undefined {
  for (const key of keys) {
    const found = fromKey(attributes, key, role);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Messages with every string made storable (no NUL, no unpaired surrogates) and cut to `maxContentLength` characters. */
export function toStorableMessages(messages: readonly Message[], maxContentLength: number): Message[] {
  return toStorableValue(messages as unknown as AttributeValue, maxContentLength) as unknown as Message[];
}
