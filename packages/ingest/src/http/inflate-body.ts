// Content-Encoding handling: OTLP/HTTP servers MUST accept identity and gzip. Inflation streams,
// so a gzip bomb stops at the size cap, and every inflated byte is held in the request's share
// of the bodies' byte budget before it is kept.
import { createGunzip } from 'node:zlib';
import { MalformedPayloadError, OverloadedError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors.js';
import type { BodyReservation } from './body-budget.js';

export type ContentEncoding = 'identity' | 'gzip';

/** Output slices of the inflater: fewer, larger chunks than zlib's 16 KiB default. */
const CHUNK_BYTES = 256 * 1024;

/** The body's encoding from the `Content-Encoding` header; anything but identity/gzip → 415. */
export function parseContentEncoding(header: string | undefined): ContentEncoding {
  const value = header?.trim().toLowerCase() ?? '';
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  throw new UnsupportedMediaTypeError(`unsupported Content-Encoding "${header}": send gzip or no encoding`);
}

/**
 * The body as decoders need it. Gunzip runs on the libuv thread pool, so a 64 MiB body does not
 * block other requests. Over `maxInflatedBytes` → 413; broken gzip → 400; when `reservation`
 * cannot hold the inflated bytes → `OverloadedError` (503). Afterwards the reservation holds
 * just the body returned.
 */
export async function inflateBody(
  raw: Buffer,
  encoding: ContentEncoding,
  maxInflatedBytes: number,
  reservation?: BodyReservation,
): Promise<Buffer> {
  if (encoding === 'identity') {
    if (raw.length > maxInflatedBytes) throw tooLarge(maxInflatedBytes);
    return raw;
  }
  // The gzip trailer's size (mod 2^32, and only the last member's) is a hint, not a promise:
  // asking for it first refuses a body that cannot fit before any CPU goes into inflating it.
  const hint = Math.min(gzipSizeHint(raw), maxInflatedBytes);
  if (reservation !== undefined && !reservation.resize(Math.max(reservation.bytes, raw.length + hint))) throw overloaded();

  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  const chunks: Buffer[] = [];
  let inflatedBytes = 0;
  gunzip.end(raw);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      inflatedBytes += chunk.length;
      if (inflatedBytes > maxInflatedBytes) throw tooLarge(maxInflatedBytes);
      const needed = raw.length + inflatedBytes;
      if (reservation !== undefined && needed > reservation.bytes && !reservation.resize(needed)) throw overloaded();
      chunks.push(chunk);
    }
  } catch (error) {
    gunzip.destroy();
    if (error instanceof PayloadTooLargeError || error instanceof OverloadedError) throw error;
    throw new MalformedPayloadError(`invalid gzip body: ${(error as Error).message}`, { cause: error });
  }
  reservation?.resize(inflatedBytes);
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, inflatedBytes);
}

/** ISIZE, the last four bytes of a gzip member: the inflated length mod 2^32 (0 when too short). */
export function gzipSizeHint(raw: Buffer): number {
  return raw.length >= 18 ? raw.readUInt32LE(raw.length - 4) : 0;
}

function overloaded(): OverloadedError {
  return new OverloadedError('too many request bodies are being inflated and decoded; retry later');
}

function tooLarge(limitBytes: number, cause?: unknown): PayloadTooLargeError {
  return new PayloadTooLargeError(`request body is over the ${limitBytes}-byte limit once decompressed`, {
    limitBytes,
    cause,
  });
}
