// One span with the context normalization reads it in, and the fields every row shares. Pure.
import type { AttributeMap, InstrumentationScope, Span } from '../../otlp/types.js';
import { attributeKeys, type Found } from '../read/attributes.js';
import { CONTENT_KEY_PREFIXES } from '../read/keys.js';
import type { Flavour } from '../concepts/flavour.js';
import type { Operation } from '../concepts/operation.js';
import type { Json, SpanRowBase } from '../rows.js';
import { isStorableText, isStorableValue, toIdentifier, toStorableText, toStorableValue } from '../read/sanitize.js';
import { readOutcome, type Outcome } from '../concepts/status.js';
import { durationMicros, nanosToMicros } from '../units/time.js';

/** A span with its resource, scope, flavour and operation: what every row builder reads. */
export interface SpanInput {
  readonly span: Span;
  readonly resource: AttributeMap;
  readonly scope: InstrumentationScope;
  readonly flavour: Flavour;
  readonly operation: Found<Operation> | undefined;
  readonly serviceName: string | undefined;
  readonly outcome: Outcome;
  /** The fields every row of this span shares (computed once). */
  readonly base: SpanRowBase;
}

/** Bundles a span with its context and computes its outcome and base fields once. */
export function toSpanInput(
  span: Span,
  resource: AttributeMap,
  scope: InstrumentationScope,
  flavour: Flavour,
  operation: Found<Operation> | undefined,
  serviceName: string | undefined,
): SpanInput {
  const outcome = readOutcome(span);
  return { span, resource, scope, flavour, operation, serviceName, outcome, base: toBase(span, scope, flavour, serviceName, outcome) };
}

function toBase(span: Span, scope: InstrumentationScope, flavour: Flavour, serviceName: string | undefined, outcome: Outcome): SpanRowBase {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: toIdentifier(span.name),
    startedAt: nanosToMicros(span.startTimeUnixNano),
    endedAt: nanosToMicros(span.endTimeUnixNano > span.startTimeUnixNano ? span.endTimeUnixNano : span.startTimeUnixNano),
    durationUs: durationMicros(span.startTimeUnixNano, span.endTimeUnixNano),
    status: outcome.status,
    errorType: outcome.errorType === undefined ? undefined : toIdentifier(outcome.errorType),
    errorMessage: outcome.errorMessage === undefined ? undefined : toStorableText(outcome.errorMessage),
    scopeName: toIdentifier(scope.name),
    scopeVersion: scope.version === undefined ? undefined : toIdentifier(scope.version),
    flavour,
    serviceName,
  };
}

/** Span attributes for the raw jsonb column: storable, and without content keys (stored parsed). */
export function toRawAttributes(attributes: AttributeMap): Json {
  // One pass classifying every key; the usual map (already storable: the decoders clean every
  // string) is then copied once, sharing its values, instead of deep-copied and re-sanitized.
  // Keyed stores beat a spread or Object.fromEntries here: those give fast properties (a bit
  // cheaper to JSON.stringify) but cost ~3 µs more to build from a dictionary-mode map.
  const keys = attributeKeys(attributes);
  let contentKeys = 0;
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    if (isContentKey(key)) {
      contentKeys += 1;
    } else if (key === '__proto__' || !isStorableText(key) || !isStorableValue(attributes[key])) {
      return copyWithoutContent(attributes);
    }
  }
  const kept: Record<string, Json> = {};
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    if (contentKeys === 0 || !isContentKey(key)) kept[key] = attributes[key] as Json;
  }
  return kept;
}

/** The general case of {@link toRawAttributes}: keys or values to sanitize, or a `__proto__` key (dropped). */
function copyWithoutContent(attributes: AttributeMap): Json {
  const kept: Record<string, Json> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (isContentKey(key)) continue;
    kept[key] = value;
  }
  return toStorableValue(kept);
}

// CONTENT_KEY_PREFIXES by first character: most keys are ruled out without a `startsWith`.
const CONTENT_PREFIXES_BY_FIRST_CHAR = new Map<number, string[]>();
for (const prefix of CONTENT_KEY_PREFIXES) {
  const first = prefix.charCodeAt(0);
  const bucket = CONTENT_PREFIXES_BY_FIRST_CHAR.get(first);
  if (bucket === undefined) CONTENT_PREFIXES_BY_FIRST_CHAR.set(first, [prefix]);
  else bucket.push(prefix);
}

/** Whether `key` starts with one of {@link CONTENT_KEY_PREFIXES}. */
function isContentKey(key: string): boolean {
  const prefixes = CONTENT_PREFIXES_BY_FIRST_CHAR.get(key.charCodeAt(0));
  if (prefixes === undefined) return false;
  for (let i = 0; i < prefixes.length; i += 1) if (key.startsWith(prefixes[i] as string)) return true;
  return false;
}

/** An optional identifier-like string made storable and bounded. */
export function optionalIdentifier(value: string | undefined): string | undefined {
  return value === undefined ? undefined : toIdentifier(value);
}
