// COPY text format: bulk rows' SQL values written straight into buffers for COPY FROM STDIN.
import type { BulkRows, SqlValue } from './store.js';

const COPY_CHUNK_BYTES = 256 * 1024;
/** Room for any number, boolean or NULL and its separator. */
const MAX_SCALAR_BYTES = 40;
/** Strings up to this length are copied byte by byte; longer ones go through the native encoder. */
const SHORT_TEXT = 64;

/**
 * COPY text-format data of bulk rows, as buffers of about 256 KiB. Values are written straight
 * into the buffer, with no string per row: building one (a chain of concatenations, then
 * flattened by the encoder) was a third of all the bytes the ingest allocates, and young-GC
 * work grows with them. A chunk may end inside a row (COPY data need not follow row
 * boundaries), never inside a value. JSON text is only scanned for `\` (JSON.stringify
 * escapes newline, return and tab).
 */
export function* toCopyChunks<R>(bulk: BulkRows<R>): Generator<Buffer> {
  const getters = bulk.columns.map((column) => column.get);
  const isJson = bulk.columns.map((column) => column.type === 'jsonb');
  const last = getters.length - 1;
  let buffer = Buffer.allocUnsafe(COPY_CHUNK_BYTES * 2) as RawWriteBuffer;
  let at = 0;
  for (const row of bulk.rows) {
    for (let column = 0; column <= last; column += 1) {
      const value = (getters[column] as (row: R) => SqlValue)(row);
      // The widest a string can get: 3 UTF-8 bytes per UTF-16 unit (an escape takes 2).
      const room = typeof value === 'string' ? value.length * 3 + 1 : MAX_SCALAR_BYTES;
      if (at + room > buffer.length) {
        if (at > 0) yield buffer.subarray(0, at);
        buffer = Buffer.allocUnsafe(Math.max(COPY_CHUNK_BYTES * 2, room)) as RawWriteBuffer;
        at = 0;
      }
      if (typeof value === 'string') at = writeText(buffer, at, value, isJson[column] as boolean);
      else if (typeof value === 'number') at = writeNumber(buffer, at, value);
      else if (value === null) {
        buffer[at++] = 0x5c; // \N
        buffer[at++] = 0x4e;
      } else buffer[at++] = value ? 0x74 : 0x66; // t, f
      buffer[at++] = column === last ? 0x0a : 0x09;
    }
    if (at >= COPY_CHUNK_BYTES) {
      yield buffer.subarray(0, at);
      buffer = Buffer.allocUnsafe(COPY_CHUNK_BYTES * 2) as RawWriteBuffer;
      at = 0;
    }
  }
  if (at > 0) yield buffer.subarray(0, at);
}

/** Writes `value` escaped for COPY text format at `at`; returns the end. The caller made room. */
function writeText(buffer: RawWriteBuffer, at: number, value: string, isJson: boolean): number {
  const length = value.length;
  if (length > SHORT_TEXT) return writeNative(buffer, at, value, isJson ? value.includes('\\') : needsCopyEscape(value));
  for (let i = 0; i < length; i += 1) {
    const code = value.charCodeAt(i);
    if (code >= 0x20 && code < 0x80 && code !== 0x5c) {
      buffer[at++] = code;
    } else if (code >= 0x80) {
      // Non-ASCII from here on: the native encoder (surrogate pairs, lone surrogates as U+FFFD).
      const rest = value.slice(i);
      return writeNative(buffer, at, rest, needsCopyEscape(rest));
    } else {
      const escape = ESCAPE_LETTER[code] as number;
      if (escape === 0) {
        buffer[at++] = code;
      } else {
        buffer[at++] = 0x5c;
        buffer[at++] = escape;
      }
    }
  }
  return at;
}

/**
 * `text` through Buffer's native UTF-8 encoder, then, if `needsEscape`, escaped in place; returns
 * the end. The caller's room (3 bytes per UTF-16 unit) holds the escapes: an escaped character
 * is one unit and two bytes.
 */
function writeNative(buffer: RawWriteBuffer, at: number, text: string, needsEscape: boolean): number {
  const end = at + buffer.utf8Write(text, at);
  return needsEscape ? escapeInPlace(buffer, at, end) : end;
}

/**
 * Escapes the UTF-8 bytes in [start, end) for COPY text format, in place; returns the new end.
 * Linear in the bytes, whatever their share of escapes: a regex replace calling back per
 * escaped character took seconds on megabytes of backslashes. In UTF-8 the escaped bytes
 * (`\`, newline, return, tab) never occur inside a multi-byte character.
 */
function escapeInPlace(buffer: Buffer, start: number, end: number): number {
  let escapes = 0;
  for (let i = start; i < end; i += 1) if (ESCAPE_LETTER[buffer[i] as number] !== 0) escapes += 1;
  // Back to front, each byte moved right by the escapes before it, until none is left: the
  // bytes before the first escape stay where they are.
  let to = end + escapes;
  for (let from = end - 1; to > from + 1; from -= 1) {
    const byte = buffer[from] as number;
    const letter = ESCAPE_LETTER[byte] as number;
    if (letter === 0) {
      buffer[--to] = byte;
    } else {
      buffer[--to] = letter;
      buffer[--to] = 0x5c;
    }
  }
  return end + escapes;
}

/** Writes a number's text at `at` (safe integers digit by digit, no string); returns the end. */
function writeNumber(buffer: RawWriteBuffer, at: number, value: number): number {
  if (!Number.isSafeInteger(value)) return at + buffer.utf8Write(String(value), at);
  let rest = value;
  if (rest < 0) {
    buffer[at++] = 0x2d;
    rest = -rest;
  }
  let end = at + 1;
  for (let bound = 10; bound <= rest; bound *= 10) end += 1;
  for (let i = end - 1; i >= at; i -= 1) {
    buffer[i] = 0x30 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return end;
}

/**
 * Buffer's own UTF-8 encoder without `write`'s argument checks (offsets are ours and in
 * range). protobufjs writes strings the same way.
 */
interface RawWriteBuffer extends Buffer {
  utf8Write(text: string, offset: number): number;
}

// Text format: backslash, newline, carriage return and tab are escaped, `\N` is NULL
// (https://www.postgresql.org/docs/current/sql-copy.html, "Text Format"). One regex scan is
// cheapest on short strings; four `includes` beat it on long ones.
const COPY_ESCAPED = /[\\\n\r\t]/;

function needsCopyEscape(value: string): boolean {
  if (value.length < 128) return COPY_ESCAPED.test(value);
  return value.includes('\\') || value.includes('\n') || value.includes('\r') || value.includes('\t');
}

/** The escape of each character COPY text format escapes. */
const COPY_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The letter after `\` for those characters, by code (0: not escaped); also by UTF-8 byte, which is the same below 0x80. */
const ESCAPE_LETTER = new Uint8Array(0x100);
for (const [char, escape] of Object.entries(COPY_ESCAPES)) ESCAPE_LETTER[char.charCodeAt(0)] = escape.charCodeAt(1);
