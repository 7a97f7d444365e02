import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@convotel/semconv';

/** `error.type` per the conventions: the error's class name, else `_OTHER`. */
export function toErrorType(error: unknown): string {
  if (error instanceof Error) {
    const name = error.constructor?.name;
    return name && name !== 'Object' ? name : error.name || '_OTHER';
  }
  return '_OTHER';
}

/** Marks the span failed: exception event, ERROR status with the message, `error.type`. */
export function recordError(span: Span, error: unknown): void {
  try {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof Error) span.recordException(error);
    else span.recordException({ message });
    span.setStatus({ code: SpanStatusCode.ERROR, message });
    span.setAttribute(ATTR_ERROR_TYPE, toErrorType(error));
  } catch {
    // Recording must never replace the user's error with ours.
  }
}
