// Content-Encoding handling: OTLP/HTTP servers MUST accept identity and gzip. The inflated size
// is capped inside zlib (maxOutputLength), so a gzip bomb stops at the cap instead of filling memory.
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { MalformedPayloadError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors.js';

const gunzipAsync = promisify(gunzip);

export type ContentEncoding = 'identity' | 'gzip';

/** The body's encoding from the `Content-Encoding` header; anything but identity/gzip → 415. */
export function parseContentEncoding(header: string | undefined): ContentEncoding {
  const value = header?.trim().toLowerCase() ?? '';
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  throw new UnsupportedMediaTypeError(`unsupported Content-Encoding "${header}": send gzip or no encoding`);
}

/**
 * The body as decoders need it. Gunzip runs on the libuv thread pool (async), so a 64 MiB body
 * does not block other requests. Over `maxInflatedBytes` → 413; broken gzip → 400.
 */
export async function inflateBody(raw: Buffer, encoding: ContentEncoding, maxInflatedBytes: number): Promise<Buffer> {
  if (encoding === 'identity') {
    if (raw.length > maxInflatedBytes) throw tooLarge(maxInflatedBytes);
    return raw;
  }
  try {
    return await gunzipAsync(raw, { maxOutputLength: maxInflatedBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxInflatedBytes, error);
    throw new MalformedPayloadError(`invalid gzip body: ${(error as Error).message}`, { cause: error });
  }
}

function tooLarge(limitBytes: number, cause?: unknown): PayloadTooLargeError {
  return new PayloadTooLargeError(`request body is over the ${limitBytes}-byte limit once decompressed`, {
    limitBytes,
    cause,
  });
}
