// The CLI's only way to data: HTTP GETs to /api/v1 with global fetch. Every failure becomes a
// CliError with a one-line message and the exit code of its kind (exit-codes.ts), so each
// command only formats answers.
import { CliError, EXIT_CODES } from '../exit-codes.js';
import type { ErrorAnswer } from './answers.js';

/** Where data routes live under the server's base URL. */
export const API_PREFIX = '/api/v1';

/** Default time a JSON request (or a stream's headers) may take. */
export const DEFAULT_TIMEOUT_MS = 60_000;

export type QueryValue = string | number | undefined;
/** Query parameters as the API names them (`attr.<key>` included); `undefined` ones are left out. */
export type Query = Readonly<Record<string, QueryValue>>;

export interface ApiClientOptions {
  /** The server (`http://127.0.0.1:8080`), with or without `/api/v1`. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <key>`. */
  readonly apiKey?: string | undefined;
  /** Per request; for streams, until the headers arrive. Default 60 s. */
  readonly timeoutMs?: number;
  /** The option a user typed for an API parameter, for the message of a 400 (`hours` → `--hours`). */
  readonly optionOf?: (parameter: string) => string;
}

export interface OpenOptions {
  readonly headers?: Readonly<Record<string, string>>;
  /** Aborts the request and its body. */
  readonly signal?: AbortSignal;
}

export interface ApiClient {
  /** The server's base URL, as shown in messages. */
  readonly baseUrl: string;
  /** GET `path` (under /api/v1) and parse its JSON answer. */
  getJson<T>(path: string, query?: Query): Promise<T>;
  /** GET a streamed answer (export, live): resolves with the response once its status is 2xx. */
  open(path: string, query?: Query, options?: OpenOptions): Promise<Response>;
}

/** The server's base URL from what the user gave: http(s), without a trailing `/api/v1` or `/`. */
export function toBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(EXIT_CODES.badArguments, `--url: not a URL: ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CliError(EXIT_CODES.badArguments, `--url: expected an http:// or https:// URL, not ${url}`);
  }
  const path = parsed.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  return `${parsed.origin}${path}`;
}

/** The option of a parameter as the user types it: `min_duration_ms` → `--min-duration-ms`. */
export function defaultOptionOf(parameter: string): string {
  if (parameter.startsWith('attr.')) return `--attr ${parameter.slice('attr.'.length)}=…`;
  return `--${parameter.replace(/_/g, '-')}`;
}

// Node's fetch (undici) puts the socket error in `cause`; these mean "no server there".
const UNREACHABLE_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name did not resolve',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'the connection closed',
  UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
};

/** What went wrong with a request that got no HTTP answer. */
export function toNetworkError(error: unknown, baseUrl: string): CliError {
  const hint = 'is `convotel serve` running there? set --url or CONVOTEL_URL';
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new CliError(EXIT_CODES.serverDown, `the convotel API at ${baseUrl} did not answer in time`);
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (code !== undefined && UNREACHABLE_CODES[code] !== undefined) {
    return new CliError(EXIT_CODES.serverDown, `cannot reach the convotel API at ${baseUrl}: ${UNREACHABLE_CODES[code]} (${hint})`);
  }
  const detail = typeof cause?.message === 'string' ? cause.message : error instanceof Error ? error.message : String(error);
  return new CliError(EXIT_CODES.serverDown, `cannot reach the convotel API at ${baseUrl}: ${detail} (${hint})`);
}

function errorOf(body: unknown): ErrorAnswer['error'] | undefined {
  const error = (body as Partial<ErrorAnswer> | null)?.error;
  return typeof error?.message === 'string' && typeof error.code === 'string' ? error : undefined;
}

/** The CliError of a non-2xx answer, from its status and `{ error: { code, message, parameter } }` body. */
export function toHttpError(status: number, body: unknown, context: { baseUrl: string; hasKey: boolean; optionOf: (parameter: string) => string }): CliError {
  const error = errorOf(body);
  const message = error?.message ?? `HTTP ${status}`;
  if (status === 400) {
    const parameter = error?.parameter;
    return new CliError(EXIT_CODES.badArguments, parameter === undefined || parameter === '' ? message : `${context.optionOf(parameter)}: ${message}`);
  }
  if (status === 401 || status === 403) {
    const advice = context.hasKey ? 'check --api-key or CONVOTEL_API_KEY' : 'pass --api-key or set CONVOTEL_API_KEY';
    return new CliError(EXIT_CODES.badKey, `the convotel API at ${context.baseUrl} refused the request: ${message} (${advice})`);
  }
  if (status === 404) return new CliError(EXIT_CODES.notFound, `not found: ${message}`);
  if (status === 503) return new CliError(EXIT_CODES.serverDown, `the convotel API at ${context.baseUrl} is unavailable: ${message}`);
  return new CliError(EXIT_CODES.failure, `the convotel API at ${context.baseUrl} failed (HTTP ${status}): ${message}`);
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = toBaseUrl(options.url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const context = { baseUrl, hasKey: options.apiKey !== undefined && options.apiKey !== '', optionOf: options.optionOf ?? defaultOptionOf };
  const headers: Record<string, string> = { 'user-agent': 'convotel-cli' };
  if (context.hasKey) headers['authorization'] = `Bearer ${options.apiKey}`;

  const urlOf = (path: string, query: Query = {}): URL => {
    const url = new URL(`${baseUrl}${API_PREFIX}${path}`);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    return url;
  };

  /** Reads an error answer's body (JSON when it is one) and throws its CliError. */
  const fail = async (response: Response): Promise<never> => {
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    throw toHttpError(response.status, body, context);
  };

  const send = async (url: URL, extraHeaders: Readonly<Record<string, string>>, signal: AbortSignal): Promise<Response> => {
    try {
      return await fetch(url, { headers: { ...headers, ...extraHeaders }, signal });
    } catch (error) {
      throw toNetworkError(error, baseUrl);
    }
  };

  return {
    baseUrl,
    getJson: async <T>(path: string, query?: Query): Promise<T> => {
      const url = urlOf(path, query);
      const signal = AbortSignal.timeout(timeoutMs);
      const response = await send(url, { accept: 'application/json' }, signal);
      if (!response.ok) return fail(response);
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        throw toNetworkError(error, baseUrl);
      }
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new CliError(EXIT_CODES.failure, `the answer of GET ${url.pathname} is not JSON: is ${baseUrl} a convotel API?`);
      }
    },
    open: async (path, query, openOptions = {}) => {
      // The timeout covers the wait for headers only: a stream may then run as long as it likes.
      const headersTimeout = new AbortController();
      const timer = setTimeout(() => headersTimeout.abort(new DOMException('no headers in time', 'TimeoutError')), timeoutMs);
      const signal = openOptions.signal === undefined ? headersTimeout.signal : AbortSignal.any([headersTimeout.signal, openOptions.signal]);
      try {
        const response = await send(urlOf(path, query), openOptions.headers ?? {}, signal);
        if (!response.ok) return await fail(response);
        return response;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
