// Short UTF-8 strings decoded once and then reused. Attribute keys (and many values: models,
// providers, regions, ids of the same conversation) repeat on every span of a batch; reusing
// the string skips the UTF-8 decode, the garbage it leaves, and V8 internalizing a fresh key
// string on every property store.
import { cleanText } from './values.js';

/** Longest string (bytes) worth looking up; longer ones are decoded every time. */
export const MAX_INTERNED_BYTES = 64;

const SLOTS = 4096; // a power of two: the slot is the hash's low bits

interface Entry {
  readonly hash: number;
  readonly bytes: Buffer;
  readonly text: string;
}

/**
 * A fixed-size, direct-mapped cache from UTF-8 bytes to their cleaned string: a new string
 * takes its slot from whatever was there, so memory stays bounded whatever the traffic.
 */
export class StringTable {
  private readonly entries: (Entry | undefined)[] = new Array<Entry | undefined>(SLOTS).fill(undefined);

  /** The text of `buffer[start, end)` (NUL characters removed, invalid UTF-8 as U+FFFD). */
  text(buffer: Buffer, start: number, end: number): string {
    const length = end - start;
    if (length > MAX_INTERNED_BYTES) return cleanText(buffer.toString('utf8', start, end));
    // FNV-1a over the length and at most the first and last 8 bytes: enough to tell keys and
    // ids apart (ids differ at one end), and a collision only costs a decode, never a wrong string.
    let hash = 0x811c9dc5 ^ length;
    const head = Math.min(end, start + 8);
    for (let i = start; i < head; i += 1) hash = Math.imul(hash ^ (buffer[i] as number), 0x01000193);
    for (let i = Math.max(head, end - 8); i < end; i += 1) hash = Math.imul(hash ^ (buffer[i] as number), 0x01000193);
    const slot = hash & (SLOTS - 1);
    const entry = this.entries[slot];
    if (entry !== undefined && entry.hash === hash && entry.bytes.length === length && sameBytes(entry.bytes, buffer, start)) return entry.text;
    const text = cleanText(buffer.toString('utf8', start, end));
    // A copy: the request body the bytes live in is gone after this request.
    this.entries[slot] = { hash, bytes: Buffer.from(buffer.subarray(start, end)), text };
    return text;
  }
}

function sameBytes(known: Buffer, buffer: Buffer, start: number): boolean {
  for (let i = 0; i < known.length; i += 1) if (known[i] !== buffer[start + i]) return false;
  return true;
}
