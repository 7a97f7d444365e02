// Optional bearer token for the OTLP routes (CONVOTEL_INGEST_TOKEN).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { UnauthorizedError } from '../errors.js';

/**
 * Middleware that lets a request through only with `Authorization: Bearer <expectedToken>`;
 * a no-op when no token is configured.
 */
export function createBearerAuth(expectedToken: string | undefined): RequestHandler {
  if (expectedToken === undefined) return (_req, _res, next) => next();
  const expectedDigest = digest(expectedToken);
  return (req, _res, next) => {
    const presented = bearerToken(req.headers.authorization);
    if (presented === undefined) {
      next(new UnauthorizedError('missing bearer token: send "Authorization: Bearer <token>"'));
    } else if (!timingSafeEqual(digest(presented), expectedDigest)) {
      next(new UnauthorizedError('invalid bearer token'));
    } else {
      next();
    }
  };
}

/** The token of a `Bearer` authorization header (scheme is case-insensitive), or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

// Comparing fixed-length digests keeps timingSafeEqual usable and hides the token's length.
function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
