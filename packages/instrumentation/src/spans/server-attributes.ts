import type { Attributes } from '@opentelemetry/api';
import { ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT } from '@convotel/semconv';

// A client talks to one base URL for its life: parse each once, not on every call.
const parsed = new Map<string, Readonly<Attributes>>();
const MAX_PARSED_URLS = 64;

function parse(baseURL: string): Readonly<Attributes> {
  try {
    const url = new URL(baseURL);
    const port = url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
    // `URL.hostname` keeps an IPv6 literal's brackets; `server.address` is the bare address.
    return Object.freeze({ [ATTR_SERVER_ADDRESS]: url.hostname.replace(/^\[(.*)\]$/, '$1'), [ATTR_SERVER_PORT]: port });
  } catch {
    return Object.freeze({});
  }
}

/** `server.address` and `server.port` of the API a client talks to; empty for a missing or unparsable URL. */
export function toServerAttributes(baseURL: string | undefined): Readonly<Attributes> {
  if (!baseURL) return {};
  let attributes = parsed.get(baseURL);
  if (attributes === undefined) {
    attributes = parse(baseURL);
    if (parsed.size >= MAX_PARSED_URLS) parsed.clear();
    parsed.set(baseURL, attributes);
  }
  return attributes;
}
