// Trace and span id checks shared by both decoders. OTLP sends ids as bytes in protobuf and
// as hex strings in JSON; both end up as lowercase hex, or as a reason the id is unusable.

export const TRACE_ID_BYTES = 16;
export const SPAN_ID_BYTES = 8;

const ZERO_TRACE_ID = '0'.repeat(TRACE_ID_BYTES * 2);
const ZERO_SPAN_ID = '0'.repeat(SPAN_ID_BYTES * 2);
const LOWER_HEX = /^[0-9a-f]*$/;

/** True for the all-zeros id, which W3C trace context defines as invalid. */
export function isZeroId(hex: string): boolean {
  return hex === ZERO_TRACE_ID || hex === ZERO_SPAN_ID;
}

/** Lowercase hex of `bytes`, or undefined unless it is exactly `size` bytes. */
export function hexFromBytes(bytes: Uint8Array, size: number): string | undefined {
  if (bytes.length !== size) return undefined;
  return Buffer.isBuffer(bytes)
    ? bytes.toString('hex')
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}

/** `value` lowercased, or undefined unless it is exactly `size` bytes of hex (OTLP/JSON ids are hex, any case). */
export function hexFromJson(value: string, size: number): string | undefined {
  if (value.length !== size * 2) return undefined;
  const hex = value.toLowerCase();
  return LOWER_HEX.test(hex) ? hex : undefined;
}

/** Why a protobuf id is unusable; only called once `hexFromBytes` refused it or it was all zeros. */
export function describeBytesId(field: string, bytes: Uint8Array, size: number): string {
  if (bytes.length === 0) return `${field} is missing`;
  if (bytes.length !== size) return `${field} has ${bytes.length} bytes, expected ${size}`;
  return `${field} is all zeros`;
}

/** Why a JSON id is unusable; only called once `hexFromJson` refused it or it was all zeros. */
export function describeJsonId(field: string, value: string, size: number): string {
  if (value.length === 0) return `${field} is missing`;
  if (value.length !== size * 2) {
    // A common sender bug: base64 ids (the plain proto3 JSON mapping) instead of OTLP's hex.
    const base64Length = Math.ceil(size / 3) * 4;
    const hint = value.length === base64Length ? ' (OTLP/JSON ids are hex, not base64)' : '';
    return `${field} has ${value.length} characters, expected ${size * 2} hex digits${hint}`;
  }
  if (!LOWER_HEX.test(value.toLowerCase())) return `${field} is not hex`;
  return `${field} is all zeros`;
}
