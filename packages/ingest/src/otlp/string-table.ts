// Short ASCII strings decoded once and then reused. Attribute keys (and many values: models,
// providers, regions, ids of the same conversation) repeat on every span of a batch; reusing
// the string skips the UTF-8 decode, the garbage it leaves, and V8 internalizing a fresh key
// string on every property store.
import { cleanText } from './values.js';

/** Longest string (bytes) worth looking up; longer ones are decoded every time. */
export const MAX_INTERNED_BYTES = 64;

const SLOTS = 8192; // a power of two: the slot is the hash's low bits

interface Entry {
  readonly hash: number;
  /** ASCII only: one character per byte, so a hit compares it with the bytes directly. */
  readonly text: string;
}

/**
 * A fixed-size, direct-mapped cache from ASCII bytes to their string: a new string takes its
 * slot from whatever was there, so memory stays bounded whatever the traffic. Text with other
 * characters (rare in keys and short values) is decoded every time.
 */
export class StringTable {
  private readonly entries: (Entry | undefined)[] = new Array<Entry | undefined>(SLOTS).fill(undefined);

  /** The text of `buffer[start, end)` (NUL characters removed, invalid UTF-8 as U+FFFD). */
  text(buffer: Buffer, start: number, end: number): string {
    const length = end - start;
    if (length > MAX_INTERNED_BYTES) return cleanText(buffer.toString('utf8', start, end));
    const hash = hashOf(buffer, start, end);
    const slot = hash & (SLOTS - 1);
    const entry = this.entries[slot];
    if (entry !== undefined && entry.hash === hash && entry.text.length === length && sameText(entry.text, buffer, start)) return entry.text;
    const text = cleanText(buffer.toString('utf8', start, end));
    // Kept when it has one character per byte (no NUL removed, no multi-byte character). An
    // invalid byte also decodes to one character, U+FFFD, but that never equals a byte, so
    // such an entry is never hit: only ASCII text is ever answered from the table.
    if (text.length === length) this.entries[slot] = { hash, text };
    return text;
  }
}

/**
 * A hash of the length and three 4-byte words (head, middle, tail): enough to tell keys and ids
 * apart, and cheap; strings that collide only cost a decode, never a
 * wrong answer, since a hit compares every byte.
 */
function hashOf(buffer: Buffer, start: number, end: number): number {
  const length = end - start;
  let hash = Math.imul(0x811c9dc5 ^ length, 0x01000193);
  if (length < 8) {
    for (let i = start; i < end; i += 1) hash = Math.imul(hash ^ (buffer[i] as number), 0x01000193);
    return hash;
  }
  const head = (buffer[start] as number) | ((buffer[start + 1] as number) << 8) | ((buffer[start + 2] as number) << 16) | ((buffer[start + 3] as number) << 24);
  const tail = (buffer[end - 4] as number) | ((buffer[end - 3] as number) << 8) | ((buffer[end - 2] as number) << 16) | ((buffer[end - 1] as number) << 24);
  const mid = start + (length >>> 1) - 2;
  const middle = (buffer[mid] as number) | ((buffer[mid + 1] as number) << 8) | ((buffer[mid + 2] as number) << 16) | ((buffer[mid + 3] as number) << 24);
  hash = Math.imul(hash ^ head, 0x01000193);
  hash = Math.imul(hash ^ tail, 0x01000193);
  hash = Math.imul(hash ^ middle, 0x01000193);
  // MurmurHash3's finalizer: every input bit reaches the low bits the slot is taken from.
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}

function sameText(text: string, buffer: Buffer, start: number): boolean {
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) !== buffer[start + i]) return false;
  return true;
}
