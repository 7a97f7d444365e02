// Which database errors are transient (answer 503 and let the client retry) and which ones a
// transaction should simply be retried for (deadlock, serialization failure).

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// SQLSTATE classes/codes: 08 connection exception, 53 insufficient resources, 57P admin or
// crash shutdown / cannot connect now, 57014 statement timeout, 55P03 lock not available.
const TRANSIENT_SQLSTATE = /^(08|53|57P)|^(57014|55P03|40001|40P01)$/;
const TRANSIENT_MESSAGES =
  /Connection terminated|connection is closed|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end|PGlite store is closed|PGlite is closed/i;

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The database is unreachable or briefly unable to work: worth retrying later. */
export function isTransientDbError(error: unknown): boolean {
  const code = codeOf(error);
  if (code !== undefined && (NETWORK_CODES.has(code) || TRANSIENT_SQLSTATE.test(code))) return true;
  if (error instanceof AggregateError) return error.errors.some(isTransientDbError);
  return error instanceof Error && TRANSIENT_MESSAGES.test(error.message);
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
