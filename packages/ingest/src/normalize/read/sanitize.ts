// Makes decoded strings storable in Postgres text and jsonb. Pure.
import { createHash } from 'node:crypto';
import { CONVOTEL_CONTENT_TRUNCATED_SUFFIX } from '@convotel/semconv';
import type { AttributeValue } from '../../otlp/types.js';

// Postgres text cannot hold NUL, and jsonb rejects unpaired surrogate escapes.
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The string with NUL removed and unpaired surrogates (invalid UTF-16 from bad UTF-8) replaced by U+FFFD. */
export function toStorableText(text: string): string {
  if (isStorableText(text)) return text;
  let result = text;
  if (result.includes('\u0000')) result = result.replace(NUL, '');
  // Fast path: the regex runs only when a surrogate code unit is present at all.
  if (/[\uD800-\uDFFF]/.test(result)) result = result.replace(LONE_SURROGATE, '\uFFFD');
  return result;
}

type WellFormedString = string & { isWellFormed(): boolean };

/** Whether `text` is storable as is (no NUL, no unpaired surrogate): both checks are native scans. */
export function isStorableText(text: string): boolean {
  return text.indexOf('\u0000') === -1 && (text as WellFormedString).isWellFormed();
}

/**
 * Whether {@link toStorableValue} would return an equal value: every string (keys included)
 * storable and at most `maxTextLength` long, every number finite, and no `__proto__` key (which
 * the copy drops). Decoded OTLP values almost always are (the decoders already strip NUL and
 * lone surrogates), so checking is much cheaper than copying.
 */
export function isStorableValue(value: AttributeValue | undefined, maxTextLength = Infinity): boolean {
  if (typeof value === 'string') return value.length <= maxTextLength && isStorableText(value);
  if (typeof value === 'number') return Number.isFinite(value);
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) if (!isStorableValue(value[i] as AttributeValue, maxTextLength)) return false;
    return true;
  }
  const object = value as Record<string, AttributeValue>;
  const keys = Object.keys(object);
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    if (key === '__proto__' || !isStorableText(key) || !isStorableValue(object[key], maxTextLength)) return false;
  }
  return true;
}

/**
 * An attribute value with every string (keys included) made storable, and string values longer
 * than `maxTextLength` cut as {@link toStorableContent} cuts them: the value itself when it
 * already is ({@link isStorableValue}), otherwise a deep copy.
 */
export function toStorableValue(value: AttributeValue, maxTextLength = Infinity): AttributeValue {
  return isStorableValue(value, maxTextLength) ? value : copyStorable(value, maxTextLength);
}

/** A deep copy of an attribute value with every string (keys included) made storable and string values capped. */
function copyStorable(value: AttributeValue, maxTextLength: number): AttributeValue {
  if (typeof value === 'string') return toStorableContent(value, maxTextLength);
  if (value === null || typeof value !== 'object') {
    // JSON has no NaN/Infinity: jsonb would reject them.
    return typeof value === 'number' && !Number.isFinite(value) ? null : value;
  }
  if (Array.isArray(value)) return value.map((item: AttributeValue) => copyStorable(item, maxTextLength));
  const copy: Record<string, AttributeValue> = {};
  for (const [key, item] of Object.entries(value as Record<string, AttributeValue>)) {
    copy[toStorableText(key)] = copyStorable(item, maxTextLength);
  }
  return copy;
}

/**
 * Captured content made storable and cut to `maxLength` characters plus the SDK's marker
 * (`CONVOTEL_CONTENT_TRUNCATED_SUFFIX`), as the SDK cuts it at `CONVOTEL_MAX_CONTENT_LENGTH`.
 * Content already cut (the SDK's, or ours at another hop) is left as it is: one marker.
 */
export function toStorableContent(text: string, maxLength: number): string {
  if (text.length <= maxLength || isCutAlready(text, maxLength)) return toStorableText(text);
  // Cut before sanitizing (a 10 MB value costs no more than the cap), and never inside a surrogate pair.
  const end = isHighSurrogate(text.charCodeAt(maxLength - 1)) ? maxLength - 1 : maxLength;
  return `${toStorableText(text.slice(0, end))}${CONVOTEL_CONTENT_TRUNCATED_SUFFIX}`;
}

function isCutAlready(text: string, maxLength: number): boolean {
  const suffix = CONVOTEL_CONTENT_TRUNCATED_SUFFIX;
  return text.length - suffix.length <= maxLength && text.endsWith(suffix);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Longest identifier (ids, names, models) kept as is; btree index entries must stay small. */
export const MAX_IDENTIFIER_LENGTH = 256;

/**
 * An identifier safe to index: storable, and when longer than {@link MAX_IDENTIFIER_LENGTH}
 * cut and suffixed with a hash of the whole, so distinct long ids stay distinct.
 */
export function toIdentifier(text: string): string {
  const clean = toStorableText(text);
  if (clean.length <= MAX_IDENTIFIER_LENGTH) return clean;
  const hash = createHash('sha256').update(clean).digest('hex').slice(0, 16);
  // Re-sanitize the cut: it may split a surrogate pair.
  return `${toStorableText(clean.slice(0, MAX_IDENTIFIER_LENGTH - 17))}#${hash}`;
}
