// Watches an SDK `APIPromise` without changing what its caller gets.
//
// Calling `.then()` on it, as a plain promise would be watched, makes the SDK parse the body at
// once: the `Response` that `asResponse()` hands back then arrives already read. So the watch
// hooks the parse step inside this one instance instead, and parses itself only when nobody
// else does. Every member used here exists from SDK 0.27 to 1.x; an unknown shape falls back to
// `.then()`.

/** Receives how a call settles. Callbacks must not throw. */
export interface ApiCallObserver {
  /** The parsed body — a message, or the `Stream` of a `stream: true` call — before the caller sees it. */
  onData(data: unknown): void;
  /** The caller took the raw `Response` with `asResponse()` and nothing parses: the body is theirs. */
  onRawResponse(): void;
  onError(error: unknown): void;
}

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** The members of the SDK's `APIPromise` that the watch hooks. */
interface ApiPromiseInternals {
  responsePromise?: unknown;
  parseResponse?: unknown;
  parse?: unknown;
  asResponse?: unknown;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Calls `observer` once `apiPromise` settles; the caller's promise, body and errors stay as they were. */
export function observeApiPromise(apiPromise: PromiseLike<unknown>, observer: ApiCallObserver): void {
  const target = apiPromise as ApiPromiseInternals;
  const { responsePromise, parseResponse, parse, asResponse } = target;
  if (
    !isThenable(responsePromise) ||
    typeof parseResponse !== 'function' ||
    typeof parse !== 'function' ||
    typeof asResponse !== 'function'
  ) {
    // Registered before the caller's own callbacks, so a stream is wrapped before anyone reads it.
    apiPromise.then(observer.onData, observer.onError);
    return;
  }

  let isParsing = false;
  let isRawTaken = false;
  // The SDK memoizes parse(), so this runs once per call, and the caller awaits what it returns.
  // Its arguments are passed through unread: 0.x calls it with (props), 1.x with (client, props).
  target.parseResponse = function (this: unknown, ...args: unknown[]) {
    return Promise.resolve((parseResponse as AnyFunction).apply(this, args)).then(
      (data) => {
        observer.onData(data);
        return data;
      },
      (error: unknown) => {
        observer.onError(error);
        throw error;
      },
    );
  };
  // `then`, `catch`, `finally` and `withResponse` all go through parse().
  target.parse = function (this: unknown, ...args: unknown[]) {
    isParsing = true;
    return (parse as AnyFunction).apply(this, args);
  };
  target.asResponse = function (this: unknown, ...args: unknown[]) {
    isRawTaken = true;
    return (asResponse as AnyFunction).apply(this, args);
  };

  // HTTP errors, timeouts and connection failures reject here without reaching the parse step.
  responsePromise.then(() => {
    if (isParsing) return;
    if (isRawTaken) {
      observer.onRawResponse();
      return;
    }
    // Nobody has asked for the answer yet (fire-and-forget, or an await still to come): parse now
    // so the span ends; a later await gets the same memoized result. Failures reach the observer
    // through parseResponse; the catch only keeps this extra chain from being an unhandled rejection.
    const parsed = (target.parse as AnyFunction).call(apiPromise);
    if (isThenable(parsed)) parsed.then(undefined, () => undefined);
  }, observer.onError);
}
