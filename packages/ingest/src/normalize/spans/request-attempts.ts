// LiveKit reports a failed LLM request on the try (`llm_request_run`), not on the request span
// that carries its usage (flavours/livekit.ts): here a request takes its last try's outcome. Pure.
import type { LlmCallRow } from '../rows.js';
import { readNumber } from '../read/attributes.js';
import { LIVEKIT_ATTEMPT_SPAN, LIVEKIT_RETRY_COUNT_KEY } from '../flavours/livekit.js';
import type { SpanInput } from './span-input.js';

/** What an attempt span says about its request. */
export interface RequestAttempt {
  readonly traceId: string;
  /** The `llm_request` span it tried. */
  readonly requestSpanId: string;
  readonly retryCount: number;
  readonly spanId: string;
  readonly status: LlmCallRow['status'];
  readonly errorType: string | undefined;
  readonly errorMessage: string | undefined;
}

/** The attempt a LiveKit `llm_request_run` span is, else undefined. */
export function toRequestAttempt(input: SpanInput): RequestAttempt | undefined {
  const { span, base } = input;
  if (input.flavour !== 'livekit' || span.name !== LIVEKIT_ATTEMPT_SPAN || span.parentSpanId === undefined) return undefined;
  return {
    traceId: span.traceId,
    requestSpanId: span.parentSpanId,
    retryCount: readNumber(span.attributes, LIVEKIT_RETRY_COUNT_KEY) ?? 0,
    spanId: span.spanId,
    status: base.status,
    errorType: base.errorType,
    errorMessage: base.errorMessage,
  };
}

/**
 * The calls with each LiveKit request given its last attempt's outcome: a request whose last
 * try failed failed, with that try's error; earlier failed tries of a request that then
 * succeeded change nothing. Sees one export request: the last attempt ends in the same chain of
 * promise callbacks as its request span, so an SDK batch processor exports them together; the
 * store applies attempts that come apart from their request (store/write/request-outcomes.ts).
 */
export function applyRequestAttempts(calls: LlmCallRow[], attempts: readonly RequestAttempt[]): LlmCallRow[] {
  if (attempts.length === 0) return calls;
  const last = lastAttempts(attempts);
  return calls.map((call) => {
    const attempt = call.flavour === 'livekit' && call.status !== 'error' ? last.get(`${call.traceId}:${call.spanId}`) : undefined;
    if (attempt === undefined || attempt.status !== 'error') return call;
    return { ...call, status: 'error', errorType: attempt.errorType, errorMessage: attempt.errorMessage };
  });
}

/** The last attempt of each request, by `trace_id:request span id`. */
export function lastAttempts(attempts: Iterable<RequestAttempt>): Map<string, RequestAttempt> {
  const last = new Map<string, RequestAttempt>();
  for (const attempt of attempts) {
    const key = `${attempt.traceId}:${attempt.requestSpanId}`;
    const seen = last.get(key);
    if (seen === undefined || isLater(attempt, seen)) last.set(key, attempt);
  }
  return last;
}

/** Higher retry count, then (for duplicates) the larger span id: an order-free choice. */
function isLater(a: RequestAttempt, b: RequestAttempt): boolean {
  return a.retryCount !== b.retryCount ? a.retryCount > b.retryCount : a.spanId > b.spanId;
}
