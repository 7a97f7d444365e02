// Errors the API answers with, each with its HTTP status and stable code. The body is always
// { "error": { "code", "message", "parameter"? } }.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The offending parameter, for `invalid_parameter`. */
    readonly parameter?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** 400: a parameter is missing, malformed, out of range or unknown. */
export class InvalidParameterError extends ApiError {
  constructor(parameter: string, message: string) {
    super(400, 'invalid_parameter', message, parameter);
  }
}

/** 404: no such conversation, trace or route. */
export class NotFoundError extends ApiError {
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

/**
 * 404: the live feed is turned off (CONVOTEL_LIVE=off, `convotel serve --no-live`). Not a 503:
 * nothing will come by retrying until the setting changes.
 */
export class LiveDisabledError extends ApiError {
  constructor(message: string) {
    super(404, 'live_disabled', message);
  }
}

/** 401: no valid `Authorization: Bearer <key>`. */
export class UnauthorizedError extends ApiError {
  constructor(message: string) {
    super(401, 'unauthorized', message);
  }
}

/** 403: a valid key that may not do this (a read key on an admin route). */
export class ForbiddenError extends ApiError {
  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}

/** 503: the database did not answer in time, or is unreachable. */
export class UnavailableError extends ApiError {
  constructor(message: string) {
    super(503, 'unavailable', message);
  }
}

/** The JSON body of an error answer. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly parameter?: string };
}

export function toErrorBody(error: ApiError): ErrorBody {
  return { error: { code: error.code, message: error.message, ...(error.parameter === undefined ? {} : { parameter: error.parameter }) } };
}
