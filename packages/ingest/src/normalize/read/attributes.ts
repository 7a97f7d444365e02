// Typed reads of decoded attribute maps, tolerant of the encodings instrumentations use:
// numbers sent as strings (OTLP/JSON int64), JSON documents sent as strings, and nested
// kvlists standing for dotted keys. Pure.
import type { AttributeMap, AttributeValue } from '../../otlp/types.js';

/** A value found under one of several keys, with the key that matched (stored as `source_key`). */
export interface Found<T> {
  readonly value: T;
  readonly key: string;
}

/**
 * The raw value of `key`. When absent, a dotted key is also looked up inside kvlist values
 * (`gen_ai.usage.prompt_tokens_details` = `{ cache_read: 5 }` answers
 * `gen_ai.usage.prompt_tokens_details.cache_read`) and inside JSON-object strings.
 */
export function getValue(attributes: AttributeMap, key: string): AttributeValue | undefined {
  const direct = attributes[key];
  if (direct !== undefined) return direct;
  // Most lookups miss; only maps holding object-like values need the nested search.
  const index = indexOf(attributes);
  const nestedKeys = index.nested;
  for (let i = 0; i < nestedKeys.length; i += 1) {
    const parentKey = nestedKeys[i] as string;
    if (key.length <= parentKey.length + 1 || key.charCodeAt(parentKey.length) !== DOT || !key.startsWith(parentKey)) continue;
    const nested = nestedObjectOf(index, parentKey);
    const found = nested === undefined ? undefined : getValue(nested, key.slice(parentKey.length + 1));
    if (found !== undefined) return found;
  }
  return undefined;
}

const DOT = 46;
const OPEN_BRACE = 123;
// Per attribute map: its keys (one `Object.keys`, reused by every scan of the map) and their
// values (each read once: lookups in these dictionary-mode objects are not free), the keys
// whose values are kvlists or JSON-object strings, and those values parsed.
interface AttributeIndex {
  readonly attributes: AttributeMap;
  readonly keys: readonly string[];
  readonly values: readonly AttributeValue[];
  readonly nested: readonly string[];
  nestedObjects: Map<string, AttributeMap | undefined> | undefined;
}

// The indexes of the two maps indexed last. Normalization reads one span's attributes together
// (with a detour to an event's or a nested map's), so this answers nearly every lookup; a
// WeakMap entry per span cost more than the index itself, mostly in garbage collection.
let latest: AttributeIndex | undefined;
let previous: AttributeIndex | undefined;

function indexOf(attributes: AttributeMap): AttributeIndex {
  if (latest !== undefined && latest.attributes === attributes) return latest;
  if (previous !== undefined && previous.attributes === attributes) {
    const index = previous;
    previous = latest;
    latest = index;
    return index;
  }
  const index = buildIndex(attributes);
  previous = latest;
  latest = index;
  return index;
}

const NO_KEYS: readonly string[] = [];

function buildIndex(attributes: AttributeMap): AttributeIndex {
  const keys = Object.keys(attributes);
  const values: AttributeValue[] = new Array<AttributeValue>(keys.length);
  let nested: string[] | undefined;
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    const value = attributes[key] as AttributeValue;
    values[i] = value;
    if (typeof value === 'string' ? value.charCodeAt(0) === OPEN_BRACE : isObject(value)) (nested ??= []).push(key);
  }
  return { attributes, keys, values, nested: nested ?? NO_KEYS, nestedObjects: undefined };
}

/** The map's own keys, in `Object.keys` order (do not modify). */
export function attributeKeys(attributes: AttributeMap): readonly string[] {
  return indexOf(attributes).keys;
}

/** The map's values, in the order of {@link attributeKeys} (do not modify). */
export function attributeValues(attributes: AttributeMap): readonly AttributeValue[] {
  return indexOf(attributes).values;
}

/** Whether some key of the map starts with `prefix`. */
export function hasKeyWithPrefix(attributes: AttributeMap, prefix: string): boolean {
  const keys = indexOf(attributes).keys;
  if (prefix === '') return keys.length > 0;
  // Comparing the prefix's last character first rules out most keys without a `startsWith`
  // (their first characters often match: `gen_ai.request.model` against `gen_ai.prompt.`).
  const lastIndex = prefix.length - 1;
  const last = prefix.charCodeAt(lastIndex);
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    if (key.charCodeAt(lastIndex) === last && key.startsWith(prefix)) return true;
  }
  return false;
}

function nestedObjectOf(index: AttributeIndex, key: string): AttributeMap | undefined {
  index.nestedObjects ??= new Map();
  if (!index.nestedObjects.has(key)) index.nestedObjects.set(key, asObject(index.attributes[key]));
  return index.nestedObjects.get(key);
}

/** A non-empty string value (numbers and booleans are turned into text). */
export function readString(attributes: AttributeMap, key: string): string | undefined {
  const value = getValue(attributes, key);
  if (typeof value === 'string') return isBlank(value) ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Whether `text` is empty or all whitespace (what `trim` removes). */
function isBlank(text: string): boolean {
  // Most values start with a visible ASCII character, which is never whitespace: no `trim`.
  const first = text.charCodeAt(0);
  if (first > 32 && first < 127) return false;
  return text.trim() === '';
}

/** A finite number; numeric strings (`"123"`, `{"intValue":"123"}` inside a string) are parsed. */
export function readNumber(attributes: AttributeMap, key: string): number | undefined {
  return toNumber(getValue(attributes, key));
}

/** A boolean; `"true"`/`"false"` strings are accepted. */
export function readBoolean(attributes: AttributeMap, key: string): boolean | undefined {
  const value = getValue(attributes, key);
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** A structured value: kvlists and arrays as they are, JSON strings parsed; plain text as a string. */
export function readStructured(attributes: AttributeMap, key: string): AttributeValue | undefined {
  const value = getValue(attributes, key);
  if (typeof value !== 'string') return value;
  return parseJson(value) ?? value;
}

/** A string array: OTLP arrays, JSON arrays in a string, or a single string as one item. */
export function readStringArray(attributes: AttributeMap, key: string): string[] | undefined {
  const value = readStructured(attributes, key);
  if (typeof value === 'string') return isBlank(value) ? undefined : [value];
  if (!Array.isArray(value)) return undefined;
  const items = value.filter((item): item is string => typeof item === 'string');
  return items.length === 0 ? undefined : items;
}

/** The first key of `keys` holding a usable value, read with `read`. */
export function readFirst<T>(
  attributes: AttributeMap,
  keys: readonly string[],
  read: (attributes: AttributeMap, key: string) => T | undefined,
): Found<T> | undefined {
  for (const key of keys) {
    const value = read(attributes, key);
    if (value !== undefined) return { value, key };
  }
  return undefined;
}

/** A finite number from a number, numeric string, or OTLP/JSON `{intValue}` wrapper. */
export function toNumber(value: AttributeValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return undefined;
    const parsed = Number(text);
    if (Number.isFinite(parsed)) return parsed;
    // Some SDKs send the OTLP/JSON wrapper itself as a string (`{"intValue":"12"}`).
    const wrapped = asObject(value);
    if (wrapped !== undefined) return toNumber(wrapped['intValue'] ?? wrapped['doubleValue']);
    return undefined;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const wrapper = value as Record<string, AttributeValue>;
    if ('intValue' in wrapper || 'doubleValue' in wrapper) return toNumber(wrapper['intValue'] ?? wrapper['doubleValue']);
  }
  return undefined;
}

/** The value as an object: a kvlist, or a string holding a JSON object. */
export function asObject(value: AttributeValue | undefined): AttributeMap | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') {
    const parsed = value.startsWith('{') ? parseJson(value) : undefined;
    return isObject(parsed) ? parsed : undefined;
  }
  return isObject(value) ? value : undefined;
}

/** A kvlist (plain object), not an array or null. */
export function isObject(value: AttributeValue | undefined): value is AttributeMap {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `JSON.parse` for strings that look like JSON documents; undefined otherwise. */
export function parseJson(text: string): AttributeValue | undefined {
  if (!startsLikeJson(text)) return undefined;
  try {
    return JSON.parse(text) as AttributeValue;
  } catch {
    return undefined;
  }
}

const OPEN_BRACKET = 91;

/** Whether the first non-whitespace character is `{` or `[`. */
function startsLikeJson(text: string): boolean {
  const first = text.charCodeAt(0);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) return true;
  // A visible ASCII character is not whitespace: only other texts need `trimStart`.
  if (first > 32 && first < 127) return false;
  const char = text.trimStart()[0];
  return char === '{' || char === '[';
}
