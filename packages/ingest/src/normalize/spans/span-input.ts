// One span with the context normalization reads it in, and the fields every row shares. Pure.
import type { AttributeMap, InstrumentationScope, Span } from '../../otlp/types.js';
import type { Found } from '../read/attributes.js';
import { SpanValueCheck, type DroppedValues } from '../read/dropped-values.js';
import type { Flavour } from '../concepts/flavour.js';
import type { Operation } from '../concepts/operation.js';
import type { SpanRowBase } from '../rows.js';
import { toIdentifier, toStorableText } from '../read/sanitize.js';
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
  /** Checks its numbers against their columns; what does not fit is dropped and noted for the request. */
  readonly values: SpanValueCheck;
}

/** Bundles a span with its context and computes its outcome and base fields once. */
export function toSpanInput(
  span: Span,
  resource: AttributeMap,
  scope: InstrumentationScope,
  flavour: Flavour,
  operation: Found<Operation> | undefined,
  serviceName: string | undefined,
  dropped: DroppedValues | undefined,
): SpanInput {
  const outcome = readOutcome(span);
  const base = toBase(span, scope, flavour, serviceName, outcome);
  return { span, resource, scope, flavour, operation, serviceName, outcome, base, values: new SpanValueCheck(dropped, span.traceId, span.spanId) };
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

/** An optional identifier-like string made storable and bounded. */
export function optionalIdentifier(value: string | undefined): string | undefined {
  return value === undefined ? undefined : toIdentifier(value);
}
