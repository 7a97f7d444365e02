import { context, diag, type Context, type Span } from '@opentelemetry/api';
import { recordError } from './record-error.js';

/** How the work of a span settled. */
export type SpanOutcome = { readonly failed: false; readonly value: unknown } | { readonly failed: true; readonly error: unknown };

/** Records the outcome on the span and ends it (possibly later, e.g. after counting tokens). */
export type SpanFinisher = (span: Span, outcome: SpanOutcome) => void;

function endPlainly(span: Span): void {
  span.end();
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function finish(span: Span, finisher: SpanFinisher, outcome: SpanOutcome): void {
  try {
    if (outcome.failed) recordError(span, outcome.error);
    finisher(span, outcome);
  } catch (err) {
    diag.error('convotel: failed to end span', err);
    span.end();
  }
}

/**
 * Runs `fn` with `ctx` active and finishes `span` when it settles. Sync results and errors pass
 * through untouched; for a promise the caller gets the very promise `fn` returned (observed on a
 * side chain), so its own type and rejection behaviour are kept.
 */
export function runInSpan<T>(span: Span, ctx: Context, fn: () => T, finisher: SpanFinisher = endPlainly): T {
  let result: T;
  try {
    result = context.with(ctx, fn);
  } catch (error) {
    finish(span, finisher, { failed: true, error });
    throw error;
  }
  if (isThenable(result)) {
    result.then(
      (value) => finish(span, finisher, { failed: false, value }),
      (error: unknown) => finish(span, finisher, { failed: true, error }),
    );
    return result;
  }
  finish(span, finisher, { failed: false, value: result });
  return result;
}
