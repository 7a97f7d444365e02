// The one place failures become HTTP answers: { "error": { "code", "message", "parameter"? } }.
import { QueryParameterError } from '@convotel/query';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ApiError, InvalidParameterError, NotFoundError, UnavailableError, toErrorBody } from './errors.js';
import type { ApiLogger } from './logger.js';

// SQLSTATEs that mean "not now" rather than "wrong": statement timeout, cancelled, too many
// connections, cannot connect, shutting down.
const UNAVAILABLE_SQLSTATES = new Set(['57014', '53300', '08000', '08001', '08003', '08006', '57P01', '57P03']);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

/** Maps anything thrown to an ApiError; `isUnexpected` when it is a bug or unknown. */
export function toApiError(error: unknown): { error: ApiError; isUnexpected: boolean } {
  if (error instanceof ApiError) return { error, isUnexpected: false };
  if (error instanceof QueryParameterError) return { error: new InvalidParameterError(error.parameter, error.message), isUnexpected: false };
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_NODE_CODES.has(code))) {
    const message = code === '57014' ? 'the query took longer than the statement timeout; narrow the window or filters' : 'the database is unavailable; retry later';
    return { error: new UnavailableError(message), isUnexpected: false };
  }
  if (error instanceof Error && /Query read timeout|timeout exceeded when trying to connect|Connection terminated/i.test(error.message)) {
    return { error: new UnavailableError('the database did not answer in time; retry later'), isUnexpected: false };
  }
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // express's own 4xx (a malformed URL, a bad JSON body).
    return { error: new ApiError(status, 'bad_request', (error as Error).message), isUnexpected: false };
  }
  return { error: new ApiError(500, 'internal', 'internal error'), isUnexpected: true };
}

export function createErrorHandler(logger: ApiLogger): ErrorRequestHandler {
  return (thrown: unknown, req, res, next) => {
    const { error, isUnexpected } = toApiError(thrown);
    if (isUnexpected) logger.error(`api: ${req.method} ${req.path} failed`, { err: thrown });
    else if (error.status === 503) logger.warn(`api: ${req.method} ${req.path}: ${error.message}`, { err: thrown });
    if (res.headersSent) {
      next(thrown);
      return;
    }
    if (error.status === 401) res.set('WWW-Authenticate', 'Bearer');
    if (error.status === 503) res.set('Retry-After', '5');
    res.status(error.status).json(toErrorBody(error));
  };
}

/** 404 for any other path. */
export const rejectUnknownRoute: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`no route for ${req.method} ${req.path}`));
};
