// Watching the client's APIPromise without consuming it. The caller keeps the very same object.
//
// An APIPromise parses the response body lazily, once, when someone calls then/catch/finally.
// Subscribing with `.then()` would start that parse ourselves: `asResponse()` would then hand the
// caller a Response whose body is already read, and helpers that derive a second promise with
// `_thenUnwrap()` (`chat.completions.parse()`, `responses.parse()`) would read the body twice
// and fail with "Body is unusable" (opentelemetry-js-contrib#3586). So we hook the parser the
// client already runs, and watch the raw response promise for errors.
import { diag, type HrTime } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';

/** Bodies larger than this are not kept for telemetry when nobody parses them. */
const MAX_COPY_BYTES = 1024 * 1024;
/** How long a copy may wait for its next chunk before the call is recorded without the body. */
const COPY_STALL_MS = 1_000;

interface RawResponse {
  readonly bodyUsed: boolean;
  // A web ReadableStream from openai 5 on; openai 4 on Node uses node-fetch, whose body is a Node
  // Readable (no getReader()). Both are async iterables of bytes.
  readonly body: AsyncIterable<Uint8Array> | null;
  readonly headers: { get(name: string): string | null };
  clone(): RawResponse;
}

// The parts of APIPromise we rely on; the same in openai 4.19 to 7.
interface ApiPromiseInternals {
  responsePromise: Promise<{ response: RawResponse }>;
  parseResponse: (...args: unknown[]) => unknown;
  asResponse: () => Promise<RawResponse>;
}

/** What {@link observeApiPromise} reports; exactly one method is called, at most once. */
export interface ApiPromiseObserver {
  /** The parsed answer the caller receives: a completion, or a `Stream` that is not read yet. */
  onParsed(value: unknown): void;
  /** The request failed (HTTP error, timeout, connection) or its body could not be parsed. */
  onError(error: unknown): void;
  /**
   * Nobody parsed the answer: the caller took the raw response (`asResponse()`) or never awaited
   * the call. `body` is the JSON read from a copy of a non-streamed response, when it was readable;
   * `endTime`, when the copy's last byte arrived.
   */
  onUnparsed(body: unknown, endTime?: HrTime): void;
}

function hasInternals(promise: object): promise is ApiPromiseInternals {
  const candidate = promise as Partial<ApiPromiseInternals>;
  return (
    typeof candidate.parseResponse === 'function' &&
    typeof candidate.asResponse === 'function' &&
    typeof candidate.responsePromise?.then === 'function'
  );
}

/** A body as far as its copy was read. */
interface BodyCopy {
  /** The JSON; undefined when not JSON, too large, or the copy stalled. */
  readonly body: unknown;
  /** When the copy's last chunk arrived. */
  readonly endTime: HrTime;
}

/** The iterator's next chunk, or undefined when none comes within `timeoutMs`. */
function nextWithin<T>(iterator: AsyncIterator<T>, timeoutMs: number): Promise<IteratorResult<T> | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs).unref();
  });
  return Promise.race([iterator.next(), stalled]).finally(() => clearTimeout(timer));
}

/**
 * Reads a copy of a JSON body and reports it, leaving the original to the caller. The copy is
 * always read to its end: openai 4 tees a body through node-fetch's bounded buffers, where a
 * copy left unread, or destroyed, stops the original too. There the copy of a large body also
 * waits until the caller reads the original, which the caller of an un-awaited call never does;
 * so a copy that stalls is reported without its body at once, and read on in the background.
 * `report` may be called twice; only the first call counts.
 */
async function readJsonCopy(response: RawResponse, report: (copy: BodyCopy) => void): Promise<void> {
  let endTime = hrTime();
  const isCopied =
    !response.bodyUsed &&
    response.body !== null &&
    (response.headers.get('content-type') ?? '').includes('json') &&
    !(Number(response.headers.get('content-length')) > MAX_COPY_BYTES);
  if (!isCopied) return report({ body: undefined, endTime });
  // clone() runs before the first await: nobody can have started reading in between.
  const copy = response.clone().body![Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const next = await nextWithin(copy, COPY_STALL_MS);
    if (next === undefined) {
      report({ body: undefined, endTime });
      // Read on, unwatched: node-fetch passes the rest of the original only as the copy is read.
      while ((await copy.next()).done !== true);
      return;
    }
    if (next.done === true) break;
    endTime = hrTime();
    size += next.value.byteLength;
    if (size <= MAX_COPY_BYTES) chunks.push(next.value);
  }
  const body = size > MAX_COPY_BYTES ? undefined : (JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
  report({ body, endTime });
}

/**
 * Reports how the client's promise settles without parsing its body and without changing what
 * the caller gets from it. Must be called before the promise is handed to the caller.
 */
export function observeApiPromise(promise: object, observer: ApiPromiseObserver, options: { isStream: boolean }): void {
  let isSettled = false;
  const settle = (report: () => void): void => {
    if (isSettled) return;
    isSettled = true;
    try {
      report();
    } catch (err) {
      diag.error('convotel: openai telemetry failed', err);
    }
  };

  if (!hasInternals(promise)) {
    // An unknown client shape: observe the public way, as a last resort.
    (promise as PromiseLike<unknown>).then(
      (value) => settle(() => observer.onParsed(value)),
      (error: unknown) => settle(() => observer.onError(error)),
    );
    return;
  }

  let isParsing = false;
  let hasCopied = false;
  const copyOnce = (response: RawResponse): void => {
    if (isSettled || isParsing || hasCopied) return;
    hasCopied = true;
    // A stream copy would have to be read to its end in parallel; record the call without it.
    if (options.isStream) return settle(() => observer.onUnparsed(undefined));
    readJsonCopy(response, ({ body, endTime }) => settle(() => observer.onUnparsed(body, endTime))).catch(() =>
      settle(() => observer.onUnparsed(undefined)),
    );
  };

  // Every parse path goes through this instance property: then/catch/finally, withResponse(),
  // and `_thenUnwrap()` promises, whose parser calls `this.parseResponse` of their source.
  const parseResponse = promise.parseResponse;
  promise.parseResponse = function (this: unknown, ...args: unknown[]) {
    isParsing = true;
    const parsed = parseResponse.apply(this, args);
    // Registered before the client adopts `parsed`: a stream is wrapped before the caller gets it.
    Promise.resolve(parsed).then(
      (value) => settle(() => observer.onParsed(value)),
      (error: unknown) => settle(() => observer.onError(error)),
    );
    return parsed;
  };

  const asResponse = promise.asResponse;
  promise.asResponse = function (this: unknown) {
    return asResponse.call(this).then((response) => {
      // withResponse() parses too and calls asResponse() second: isParsing is set by then.
      copyOnce(response);
      return response;
    });
  };

  promise.responsePromise.then(
    ({ response }) => {
      // A caller's parse starts in the microtasks after this one. If none has started by the
      // next macrotask, nobody awaited the call: record it from a copy. A stream instead waits
      // for a late reader, since recording it needs the chunks.
      if (!options.isStream) setImmediate(() => copyOnce(response));
    },
    (error: unknown) => settle(() => observer.onError(error)),
  );
}
