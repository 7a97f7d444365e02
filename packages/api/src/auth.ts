// Bearer keys: CONVOTEL_API_KEYS for every /api/v1 route, CONVOTEL_ADMIN_KEY for admin routes.
// Keys are compared as SHA-256 digests with timingSafeEqual: constant time, whatever the lengths.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface ApiKeys {
  /** Keys that may read. Empty: reading needs no key (the server then listens on 127.0.0.1 only). */
  readonly apiKeys: readonly string[];
  /** Key of admin routes; unset: admin routes are open only when no API key is configured either. */
  readonly adminKey: string | undefined;
}

const digest = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

/** Whether `candidate` equals one of `digests`; every digest is compared, so timing says nothing. */
function matchesAny(candidate: Buffer, digests: readonly Buffer[]): boolean {
  let isMatch = false;
  for (const expected of digests) isMatch = timingSafeEqual(candidate, expected) || isMatch;
  return isMatch;
}

function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(headers.authorization ?? '');
  return match?.[1];
}

/** Why a request may not go on: no valid key (401), or a valid key without the right (403). */
export interface Refusal {
  readonly isForbidden: boolean;
  readonly message: string;
}

/** The access check of each kind of route: `undefined` lets the request in, a refusal says why not. */
export interface AccessCheck {
  readonly isOpen: boolean;
  read(headers: IncomingHttpHeaders): Refusal | undefined;
  admin(headers: IncomingHttpHeaders): Refusal | undefined;
}

const unauthorized = (message: string): Refusal => ({ isForbidden: false, message });

export function createAccessCheck(keys: ApiKeys): AccessCheck {
  const readDigests = keys.apiKeys.map(digest);
  const adminDigests = keys.adminKey === undefined ? [] : [digest(keys.adminKey)];
  const isOpen = readDigests.length === 0 && adminDigests.length === 0;
  return {
    isOpen,
    read: (headers) => {
      if (readDigests.length === 0) return undefined;
      const token = bearerToken(headers);
      if (token === undefined) return unauthorized('send Authorization: Bearer <key> (a key of CONVOTEL_API_KEYS)');
      const candidate = digest(token);
      // The admin key reads too.
      return matchesAny(candidate, [...readDigests, ...adminDigests]) ? undefined : unauthorized('the API key is not valid');
    },
    admin: (headers) => {
      if (isOpen) return undefined;
      const token = bearerToken(headers);
      if (token === undefined) return unauthorized('send Authorization: Bearer <admin key> (CONVOTEL_ADMIN_KEY)');
      const candidate = digest(token);
      if (matchesAny(candidate, adminDigests)) return undefined;
      if (matchesAny(candidate, readDigests)) {
        const message = adminDigests.length === 0 ? 'admin routes are disabled: set CONVOTEL_ADMIN_KEY' : 'this route needs the admin key (CONVOTEL_ADMIN_KEY)';
        return { isForbidden: true, message };
      }
      return unauthorized(adminDigests.length === 0 ? 'admin routes are disabled: set CONVOTEL_ADMIN_KEY' : 'the admin key is not valid');
    },
  };
}
