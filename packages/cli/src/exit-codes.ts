// How `convotel` ends, so scripts can tell a typo from a server that is down. Spelled here
// only; docs/cli.md lists them.

/** Exit codes of every command. */
export const EXIT_CODES = {
  ok: 0,
  /** Anything else: the server failed (5xx), answered something that is not the API, a file could not be written. */
  failure: 1,
  /** Bad arguments: an unknown option, a malformed value, or a parameter the API refused (400). */
  badArguments: 2,
  /** The API cannot be reached (refused, no such host, no answer in time) or is unavailable (503). */
  serverDown: 3,
  /** The API refused the key (401): missing, wrong, or not the admin key. */
  badKey: 4,
  /** No such conversation, trace or route (404). */
  notFound: 5,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** A failure the user can act on: printed as one line, then the process exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
