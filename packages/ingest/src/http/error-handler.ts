// The one place failures become HTTP answers. OTLP clients retry only 429/502/503/504, so a
// transient failure must never surface as 500: anything unknown is logged and answered 503.
// A 500 is kept for our own deterministic bugs (`InternalError`), which a retry cannot fix.
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { IngestError, InternalError, MethodNotAllowedError, RouteNotFoundError } from '../errors.js';
import { encodeStatus } from '../otlp/encode-response.js';
import { OTLP_MEDIA_TYPES, type OtlpEncoding } from '../otlp/decode.js';
import type { IngestMetrics } from '../observe/metrics.js';
import { createThrottledLog } from '../observe/log-throttle.js';
import type { IngestLogger } from './logger.js';
import { requestEncoding } from './media-type.js';

/** Seconds to suggest in `Retry-After` when the failure does not say. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** How a failure is answered. */
export interface HttpFailure {
  readonly status: number;
  /** Stable error code, also sent as the `X-Convotel-Error-Code` header. */
  readonly code: string;
  readonly message: string;
  /** Set for 503s: the `Retry-After` header, in seconds. */
  readonly retryAfterSeconds: number | undefined;
  /** Set for 405s: the `Allow` header. */
  readonly allowedMethods: readonly string[] | undefined;
  /** True for a bug or an unknown failure (not one of our expected errors): it gets logged as an error. */
  readonly isUnexpected: boolean;
}

// google.rpc.Code for the Status body (clients do not act on it, but it should not lie).
const RPC_CODE_BY_STATUS: Readonly<Record<number, number>> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  404: 5, // NOT_FOUND
  405: 12, // UNIMPLEMENTED
  413: 3, // INVALID_ARGUMENT: the payload will never fit
  415: 3, // INVALID_ARGUMENT
  500: 13, // INTERNAL
  503: 14, // UNAVAILABLE
};

/** Maps any thrown value to its answer: our errors keep their status, everything else is a 503. */
export function toHttpFailure(error: unknown): HttpFailure {
  if (error instanceof IngestError) {
    const retryAfter = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    return {
      status: error.status,
      code: error.code,
      message: error.message,
      retryAfterSeconds:
        error.status === 503 || error.status === 429
          ? typeof retryAfter === 'number'
            ? retryAfter
            : DEFAULT_RETRY_AFTER_SECONDS
          : undefined,
      allowedMethods: error instanceof MethodNotAllowedError ? error.allowedMethods : undefined,
      isUnexpected: error instanceof InternalError,
    };
  }
  const clientStatus = (error as { status?: unknown } | null)?.status;
  if (typeof clientStatus === 'number' && clientStatus >= 400 && clientStatus < 500 && clientStatus !== 429) {
    // An http-errors 4xx raised by express itself (e.g. a malformed URL): the request's fault.
    return {
      status: clientStatus,
      code: 'CONVOTEL_BAD_REQUEST',
      message: (error as Error).message,
      retryAfterSeconds: undefined,
      allowedMethods: undefined,
      isUnexpected: false,
    };
  }
  return {
    status: 503,
    code: 'CONVOTEL_UNAVAILABLE',
    message: 'the ingest could not process the request; retry later',
    retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS,
    allowedMethods: undefined,
    isUnexpected: true,
  };
}

/** Writes a `google.rpc.Status` answer in `encoding`, with the headers the failure asks for. */
export function sendFailure(res: Response, failure: HttpFailure, encoding: OtlpEncoding): void {
  res.status(failure.status);
  res.setHeader('Content-Type', OTLP_MEDIA_TYPES[encoding]); // exact type, no charset (see export-route.ts)
  res.set('X-Convotel-Error-Code', failure.code);
  if (failure.retryAfterSeconds !== undefined) res.set('Retry-After', String(failure.retryAfterSeconds));
  if (failure.allowedMethods !== undefined) res.set('Allow', failure.allowedMethods.join(', '));
  if (failure.status === 401) res.set('WWW-Authenticate', 'Bearer');
  const body = encodeStatus({ code: RPC_CODE_BY_STATUS[failure.status] ?? 2, message: failure.message }, encoding);
  res.send(Buffer.from(body.buffer, body.byteOffset, body.length));
}

/** The `reason` label of a 503: `unexpected` for errors not our own, else from the stable code (`CONVOTEL_QUEUE_FULL` → `queue_full`). */
export function toUnavailableReason(failure: HttpFailure): string {
  return failure.isUnexpected ? 'unexpected' : failure.code.replace(/^CONVOTEL_/, '').toLowerCase();
}

/**
 * Express error middleware: answers in the request's encoding (JSON when the request's type is
 * neither OTLP type). Each 503 is counted, and logged at most once per reason every few seconds:
 * unexpected errors at error with their stack, the others at warn.
 */
export function createErrorHandler(logger: IngestLogger, metrics: IngestMetrics): ErrorRequestHandler {
  const log = createThrottledLog(logger);
  return (error: unknown, req, res, next) => {
    const failure = toHttpFailure(error);
    if (failure.status === 503) {
      const reason = toUnavailableReason(failure);
      metrics.countUnavailable(reason);
      const fields = { route: req.path, method: req.method, status: 503, code: failure.code, reason };
      if (failure.isUnexpected) log('error', reason, `ingest: ${req.method} ${req.path} failed; answered 503`, { ...fields, err: error });
      else log('warn', reason, `ingest: ${req.method} ${req.path}: ${failure.message}; answered 503`, fields);
    } else if (failure.isUnexpected) {
      // A bug of ours (InternalError, 500): never throttled away.
      logger.error(`ingest: ${req.method} ${req.path} failed; answered ${failure.status}`, {
        route: req.path, method: req.method, status: failure.status, code: failure.code, err: error,
      });
    }
    if (res.headersSent) {
      // Too late for a status: let express close the connection (the client will retry).
      next(error);
      return;
    }
    sendFailure(res, failure, requestEncoding(req.headers) ?? 'json');
  };
}

/** 405 for any method but POST on an OTLP path. */
export const rejectOtherMethods: RequestHandler = (req, _res, next) => {
  next(new MethodNotAllowedError(`${req.method} is not allowed on ${req.path}; OTLP/HTTP uses POST`, ['POST']));
};

/** 404 for paths we do not serve, as a Status body rather than express's HTML page. */
export const rejectUnknownRoute: RequestHandler = (req, _res, next) => {
  next(new RouteNotFoundError(`no route for ${req.method} ${req.path}; OTLP paths are /v1/traces and /v1/logs`));
};
