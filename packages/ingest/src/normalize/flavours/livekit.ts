// LiveKit Agents (`@livekit/agents`, scope `livekit-agents`; test/fixtures/livekit): its span
// names, its `lk.*` keys, and where its LLM request says it failed. Pure.
import type { LlmCallRow } from '../rows.js';
import { readNumber } from '../read/attributes.js';
import type { SpanInput } from '../spans/span-input.js';

/** The session span: the root of a session's one trace. */
export const LIVEKIT_SESSION_SPAN = 'agent_session';

// Content-bearing keys carry a `pii` segment (`lk.pii.*`) since 1.x; LiveKit drops them before
// export when the app withholds PII (`setTracerProvider(provider, { allowPii: false })`). The
// bare `lk.*` spellings are older releases' (unverified against a capture).
/** What the user said or typed in a turn (`agent_turn`, `user_turn`), first present wins. */
export const LIVEKIT_USER_INPUT_KEYS = ['lk.pii.user_input', 'lk.pii.user_transcript', 'lk.user_transcript'] as const;
/** The agent's answer in a turn (`agent_turn`, `llm_node`). */
export const LIVEKIT_RESPONSE_TEXT_KEYS = ['lk.pii.response.text', 'lk.response.text'] as const;
/** Prompt content of a span without GenAI messages. */
export const LIVEKIT_INPUT_CONTENT_KEYS = [
  'lk.pii.user_transcript',
  'lk.pii.input_text',
  'lk.pii.chat_ctx',
  'lk.user_transcript',
  'lk.input_text',
  'lk.chat_ctx',
] as const;
export const LIVEKIT_INTERRUPTED_KEY = 'lk.interrupted';
/** Seconds. */
export const LIVEKIT_E2E_LATENCY_KEY = 'lk.e2e_latency';
/** Seconds. */
export const LIVEKIT_TTFT_KEY = 'lk.response.ttft';

/**
 * One attempt of an LLM request: `llm_request` (usage, content) has one `llm_request_run` child
 * per try, numbered by `lk.retry_count`. A failure is recorded on the attempt only; the request
 * span stays unset, with zero tokens.
 */
const ATTEMPT_SPAN = 'llm_request_run';
const RETRY_COUNT_KEY = 'lk.retry_count';

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
  if (input.flavour !== 'livekit' || span.name !== ATTEMPT_SPAN || span.parentSpanId === undefined) return undefined;
  return {
    traceId: span.traceId,
    requestSpanId: span.parentSpanId,
    retryCount: readNumber(span.attributes, RETRY_COUNT_KEY) ?? 0,
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
 * promise callbacks as its request span, so an SDK batch processor exports them together (a
 * batch that fills up between the two, or a Collector re-splitting it, leaves the call ok).
 */
export function applyRequestAttempts(calls: LlmCallRow[], attempts: readonly RequestAttempt[]): LlmCallRow[] {
  if (attempts.length === 0) return calls;
  const last = new Map<string, RequestAttempt>();
  for (const attempt of attempts) {
    const key = `${attempt.traceId}:${attempt.requestSpanId}`;
    const seen = last.get(key);
    if (seen === undefined || isLater(attempt, seen)) last.set(key, attempt);
  }
  return calls.map((call) => {
    const attempt = call.flavour === 'livekit' && call.status !== 'error' ? last.get(`${call.traceId}:${call.spanId}`) : undefined;
    if (attempt === undefined || attempt.status !== 'error') return call;
    return { ...call, status: 'error', errorType: attempt.errorType, errorMessage: attempt.errorMessage };
  });
}

/** Higher retry count, then (for duplicates) the larger span id: an order-free choice. */
function isLater(a: RequestAttempt, b: RequestAttempt): boolean {
  return a.retryCount !== b.retryCount ? a.retryCount > b.retryCount : a.spanId > b.spanId;
}
