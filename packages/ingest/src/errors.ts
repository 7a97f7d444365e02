// Errors with a stable code and the HTTP status the OTLP spec asks for: 4xx for input that
// will never succeed (not retried by the Collector), 503 for transient trouble (retried).

export abstract class IngestError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
}

/** The database cannot be reached or refused the write for a transient reason. */
export class StoreUnavailableError extends IngestError {
  readonly code = 'CONVOTEL_STORE_UNAVAILABLE';
  readonly status = 503;
  /** Seconds the client should wait before retrying. */
  readonly retryAfterSeconds: number;
  constructor(message: string, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = 'StoreUnavailableError';
    this.retryAfterSeconds = options.retryAfterSeconds ?? 5;
  }
}

/** The write queue is over its byte budget; the client should back off. */
export class QueueFullError extends IngestError {
  readonly code = 'CONVOTEL_QUEUE_FULL';
  readonly status = 503;
  readonly retryAfterSeconds: number;
  constructor(message: string, options: { retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = 'QueueFullError';
    this.retryAfterSeconds = options.retryAfterSeconds ?? 1;
  }
}

/**
 * Bodies being read, inflated and decoded are over their byte budget (or memory ran out while
 * handling one): the same request succeeds once others are done.
 */
export class OverloadedError extends IngestError {
  readonly code = 'CONVOTEL_OVERLOADED';
  readonly status = 503;
  readonly retryAfterSeconds: number;
  constructor(message: string, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = 'OverloadedError';
    this.retryAfterSeconds = options.retryAfterSeconds ?? 1;
  }
}

/**
 * A bug of ours in pure code (decoding, normalizing): the same request would fail the same way
 * on every retry, so it is answered 500, which OTLP senders do not retry, and logged as an error.
 */
export class InternalError extends IngestError {
  readonly code = 'CONVOTEL_INTERNAL_ERROR';
  readonly status = 500;
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'InternalError';
  }
}

/**
 * What an error thrown by pure request processing means for the sender: our own errors as they
 * are, memory exhaustion as an overload (retry later), anything else as an `InternalError`.
 */
export function toProcessingError(error: unknown, stage: string): IngestError {
  if (error instanceof IngestError) return error;
  if (isOutOfMemory(error)) return new OverloadedError(`out of memory while ${stage}; retry later`, { cause: error });
  return new InternalError(`internal error while ${stage}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

// V8 and Node report a failed allocation as a RangeError (or ERR_MEMORY_ALLOCATION_FAILED).
function isOutOfMemory(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_MEMORY_ALLOCATION_FAILED' || code === 'ENOMEM') return true;
  return error instanceof RangeError && /allocation failed|out of memory/i.test(error.message);
}

/** The body cannot be decoded as the OTLP message it claims to be (bad bytes, invalid JSON, wrong types). */
export class MalformedPayloadError extends IngestError {
  readonly code = 'CONVOTEL_MALFORMED_PAYLOAD';
  readonly status = 400;
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'MalformedPayloadError';
  }
}

/** A `Content-Type` or `Content-Encoding` the OTLP/HTTP receiver does not speak. */
export class UnsupportedMediaTypeError extends IngestError {
  readonly code = 'CONVOTEL_UNSUPPORTED_MEDIA_TYPE';
  readonly status = 415;
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedMediaTypeError';
  }
}

/** The body is over the size cap, before or after decompression (OTLP v1.11.0 asks for 413). */
export class PayloadTooLargeError extends IngestError {
  readonly code = 'CONVOTEL_PAYLOAD_TOO_LARGE';
  readonly status = 413;
  /** The cap that was exceeded, in bytes. */
  readonly limitBytes: number;
  constructor(message: string, options: { limitBytes: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'PayloadTooLargeError';
    this.limitBytes = options.limitBytes;
  }
}

/** An ingest token is configured and the request did not present it. */
export class UnauthorizedError extends IngestError {
  readonly code = 'CONVOTEL_UNAUTHORIZED';
  readonly status = 401;
  constructor(message: string) {
    super(message);
    this.name = 'UnauthorizedError';
  }
}

/** A method other than POST on an OTLP path. */
export class MethodNotAllowedError extends IngestError {
  readonly code = 'CONVOTEL_METHOD_NOT_ALLOWED';
  readonly status = 405;
  /** Methods the path accepts, for the `Allow` header. */
  readonly allowedMethods: readonly string[];
  constructor(message: string, allowedMethods: readonly string[]) {
    super(message);
    this.name = 'MethodNotAllowedError';
    this.allowedMethods = allowedMethods;
  }
}

/** No route for the path. */
export class RouteNotFoundError extends IngestError {
  readonly code = 'CONVOTEL_NOT_FOUND';
  readonly status = 404;
  constructor(message: string) {
    super(message);
    this.name = 'RouteNotFoundError';
  }
}
