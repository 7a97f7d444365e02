// Writing to a response at the pace the client reads: when the socket's buffer is full, wait
// for 'drain' (or for the client to go away) before producing more.
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Writes `chunk`; resolves when more may be written. Rejects with an AbortError once `signal` aborts. */
export async function writeChunk(out: Writable, chunk: string, signal: AbortSignal): Promise<void> {
  if (chunk === '') return;
  // Encoded once here: given a string, http would measure its UTF-8 length and then encode it.
  if (out.write(Buffer.from(chunk, 'utf8'))) return;
  await once(out, 'drain', { signal });
}
