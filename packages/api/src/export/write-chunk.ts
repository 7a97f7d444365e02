// Writing to a response at the pace the client reads: when the socket's buffer is full, wait
// for 'drain' (or for the client to go away) before producing more.
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Writes `chunk`; resolves when more may be written. Rejects with an AbortError once `signal` aborts. */
export async function writeChunk(out: Writable, chunk: string, signal: AbortSignal): Promise<void> {
  if (chunk === '' || out.write(chunk)) return;
  await once(out, 'drain', { signal });
}
