// The page's only way to data: GET /api/v1/… with the tab's key. A 401 asks for a key once and
// retries; any other refusal becomes an ApiError carrying the API's own code and message.
import { apiKey, waitForKey } from './access-key.js';

export const API_PREFIX = '/api/v1';

export type QueryValue = string | number | boolean | undefined | null;
export type Query = Readonly<Record<string, QueryValue>>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** `path` (under /api/v1) with the set values of `query`, in a stable order. */
export function apiUrl(path: string, query: Query = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return `${API_PREFIX}${path}${text === '' ? '' : `?${text}`}`;
}

export function authHeaders(): Record<string, string> {
  const key = apiKey();
  return key === undefined ? {} : { authorization: `Bearer ${key}` };
}

interface ErrorBody {
  readonly error?: { readonly code?: string; readonly message?: string };
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: ErrorBody = {};
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  return new ApiError(response.status, body.error?.code ?? `http_${response.status}`, body.error?.message ?? response.statusText);
}

/**
 * Fetches `url` with the tab's key; on 401 waits for the person to give a key and tries again.
 * The answer's type is the API route's response schema (the page trusts its own server).
 */
export async function fetchWithKey(url: string, init: RequestInit = {}): Promise<Response> {
  for (;;) {
    const key = apiKey();
    const response = await fetch(url, { ...init, headers: { accept: 'application/json', ...authHeaders(), ...init.headers } });
    if (response.status !== 401) return response;
    await response.body?.cancel();
    await waitForKey(key);
  }
}

export async function getAnswer<T>(path: string, query: Query = {}, signal?: AbortSignal): Promise<T> {
  const response = await fetchWithKey(apiUrl(path, query), signal === undefined ? {} : { signal });
  if (!response.ok) throw await toApiError(response);
  return (await response.json()) as T;
}
