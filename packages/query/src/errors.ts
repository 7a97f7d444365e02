// A question the database cannot answer because of what was asked (not how it was stored).

/** A parameter value that is well-formed but cannot be used (a window over 90 days, a foreign cursor). */
export class QueryParameterError extends Error {
  readonly code = 'invalid_parameter';
  constructor(
    /** The parameter's name as the API spells it (`from`, `cursor`). */
    readonly parameter: string,
    message: string,
  ) {
    super(message);
    this.name = 'QueryParameterError';
  }
}
