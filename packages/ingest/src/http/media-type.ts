// Content-Type parsing: OTLP routes on the bare media type and ignores parameters (`; charset=utf-8`).
import type { IncomingHttpHeaders } from 'node:http';
import { encodingForMediaType, type OtlpEncoding } from '../otlp/decode.js';

/** `type/subtype` lowercased without parameters, or undefined when the header is absent or empty. */
export function parseMediaType(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const semicolon = header.indexOf(';');
  const mediaType = (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  return mediaType === '' ? undefined : mediaType;
}

/** The OTLP encoding the request's `Content-Type` names, or undefined for anything else. */
export function requestEncoding(headers: IncomingHttpHeaders): OtlpEncoding | undefined {
  return encodingForMediaType(parseMediaType(headers['content-type']));
}
