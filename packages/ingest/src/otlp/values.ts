// Rules shared by both decoders: text clean-up, open enums, safe attribute keys, and the tally of
// rejected items. Everything we keep ends up in Postgres `text` or `jsonb`, which refuse NUL
// characters (and jsonb refuses lone UTF-16 surrogates).
import type { AttributeValue, RejectionCategory, SpanKindNumber, StatusCodeNumber } from './types.js';

type WellFormedString = string & { isWellFormed(): boolean; toWellFormed(): string };

/** `value` without NUL characters. Protobuf strings come from Node's UTF-8 decoder, which never yields lone surrogates. */
export function cleanText(value: string): string {
  return value.indexOf('\0') === -1 ? value : value.replaceAll('\0', '');
}

/**
 * `value` without NUL characters and with lone surrogates replaced by U+FFFD: JSON strings can
 * carry both through `\u0000` and `\ud800` escapes.
 */
export function cleanJsonText(value: string): string {
  const text = value as WellFormedString;
  return cleanText(text.isWellFormed() ? value : text.toWellFormed());
}

/** At most `maxLength` characters of `value`, for names quoted in rejection reasons. */
export function shorten(value: string, maxLength = 64): string {
  return value.length <= maxLength ? value : `${value.slice(0, maxLength)}…`;
}

/** Assigns an own property: a `__proto__` key must not replace the object's prototype. */
export function setAttribute(target: Record<string, AttributeValue>, key: string, value: AttributeValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

// Proto3 enums are open: numbers outside the known range become "unspecified", not invalid data.

export function toSpanKind(value: number): SpanKindNumber {
  return Number.isInteger(value) && value >= 0 && value <= 5 ? (value as SpanKindNumber) : 0;
}

export function toStatusCode(value: number): StatusCodeNumber {
  return Number.isInteger(value) && value >= 0 && value <= 2 ? (value as StatusCodeNumber) : 0;
}

export function toSeverityNumber(value: number): number {
  return Number.isInteger(value) && value >= 0 && value <= 24 ? value : 0;
}

/** Reasons kept per request for partial_success; the count covers all rejected items. */
export const MAX_REJECTION_REASONS = 5;

/** Counts the spans or log records a decoder drops and keeps the first few distinct reasons. */
export class RejectionTally {
  count = 0;
  readonly reasons: string[] = [];
  readonly byCategory: Partial<Record<RejectionCategory, number>> = {};

  add(category: RejectionCategory, reason: string): void {
    this.count += 1;
    this.byCategory[category] = (this.byCategory[category] ?? 0) + 1;
    if (this.reasons.length < MAX_REJECTION_REASONS && !this.reasons.includes(reason)) this.reasons.push(reason);
  }
}
