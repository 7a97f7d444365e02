// Which database errors are transient (answer 503 and let the client retry) and which ones a
// transaction should simply be retried for (deadlock, serialization failure). Anything the
// sender cannot have caused belongs in the first group: a 200 with the spans "rejected" for a
// reason of ours would be data acknowledged and lost.

// Network trouble, and resources of this process running out (file descriptors, memory): the
// same request succeeds once they are back.
const NETWORK_AND_RESOURCE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN',
  'EMFILE', 'ENFILE', 'ENOMEM', 'ENOBUFS', 'EADDRNOTAVAIL',
]);
// SQLSTATE classes/codes: 08 connection exception, 53 insufficient resources, 57P admin or
// crash shutdown / cannot connect now, 57014 statement timeout, 55P03 lock not available,
// 25006 read-only transaction (a standby after failover), 25P04 transaction timeout,
// 42P01 / 42703 / 3F000 a table, column or schema missing (not migrated yet, or a replica of
// another version during a rolling upgrade): the operator's to fix, not the sender's.
const TRANSIENT_SQLSTATE = /^(08|53|57P)|^(57014|55P03|40001|40P01|25006|25P04|42P01|42703|3F000)$/;
const TRANSIENT_MESSAGES =
  /Connection terminated|connection is closed|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end|PGlite store is closed|PGlite is closed|Query read timeout|timeout expired/i;
// After these the connection cannot be trusted (socket gone, backend terminated, a query
// abandoned mid-flight) or points at a server that can no longer take writes: drop it, so the
// pool reconnects (maybe to the new primary).
const DISCARD_SQLSTATE = /^(08|57P)|^25006$/;
const DISCARD_MESSAGES = /Connection terminated|connection is closed|Client has encountered a connection error|Query read timeout|timeout expired/i;

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The database is unreachable or briefly unable to work: worth retrying later. */
export function isTransientDbError(error: unknown): boolean {
  const code = codeOf(error);
  if (code !== undefined && (NETWORK_AND_RESOURCE_CODES.has(code) || TRANSIENT_SQLSTATE.test(code))) return true;
  if (error instanceof AggregateError) return error.errors.some(isTransientDbError);
  return error instanceof Error && TRANSIENT_MESSAGES.test(error.message);
}

/** The connection the error came from must not go back to the pool. */
export function isDiscardedConnectionError(error: unknown): boolean {
  const code = codeOf(error);
  if (code !== undefined && (DISCARD_SQLSTATE.test(code) || code.startsWith('E'))) return true;
  return error instanceof Error && DISCARD_MESSAGES.test(error.message);
}

/** Deadlock or serialization failure: the same transaction may simply be run again. */
export function isRetryableTransactionError(error: unknown): boolean {
  const code = codeOf(error);
  return code === '40P01' || code === '40001';
}

/** A unique violation: an optimistic write met a row another writer created meanwhile (see `insertAll`). */
export function isUniqueViolation(error: unknown): boolean {
  return codeOf(error) === '23505';
}
