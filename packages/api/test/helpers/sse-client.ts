// A small server-sent events client over fetch, parsing the wire format as a browser's
// EventSource does (fields id, event, data; comment lines; blank line ends an event), keeping
// comments too so tests can see heartbeats.
export interface SseMessage {
  /** `comment` for a comment line, else the event name (default `message`). */
  readonly kind: 'event' | 'comment';
  readonly event: string;
  readonly id: string | undefined;
  readonly data: string;
}

export interface SseStream {
  readonly status: number;
  readonly headers: Headers;
  /** The next message matching `predicate` (earlier ones are skipped and kept in `seen`). */
  next(predicate?: (message: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  /** Every message received so far, in order. */
  readonly seen: SseMessage[];
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const seen: SseMessage[] = [];
  let cursor = 0;
  const waiters = new Set<() => void>();
  const notify = (): void => {
    for (const waiter of waiters) waiter();
  };
  const ended = (async () => {
    if (response.body === null) return;
    const decoder = new TextDecoder();
    let buffer = '';
    let fields: { id?: string; event?: string; data: string[] } = { data: [] };
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let newline: RegExpExecArray | null;
        while ((newline = /\r\n|\r|\n/.exec(buffer)) !== null) {
          const line = buffer.slice(0, newline.index);
          buffer = buffer.slice(newline.index + newline[0].length);
          if (line === '') {
            if (fields.data.length > 0 || fields.event !== undefined) {
              seen.push({ kind: 'event', event: fields.event ?? 'message', id: fields.id, data: fields.data.join('\n') });
              notify();
            }
            fields = { data: [] };
          } else if (line.startsWith(':')) {
            seen.push({ kind: 'comment', event: 'comment', id: undefined, data: line.slice(1).trim() });
            notify();
          } else {
            const colon = line.indexOf(':');
            const name = colon === -1 ? line : line.slice(0, colon);
            const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (name === 'data') fields.data.push(value);
            else if (name === 'event') fields.event = value;
            else if (name === 'id') fields.id = value;
          }
        }
      }
    } catch {
      // Closed by us.
    } finally {
      notify();
    }
  })();
  let isEnded = false;
  void ended.then(() => {
    isEnded = true;
    notify();
  });
  return {
    status: response.status,
    headers: response.headers,
    seen,
    ended,
    close: () => controller.abort(),
    next: (predicate = () => true, timeoutMs = 10_000) =>
      new Promise<SseMessage>((resolve, reject) => {
        const check = (): void => {
          while (cursor < seen.length) {
            const message = seen[cursor++] as SseMessage;
            if (predicate(message)) {
              done();
              resolve(message);
              return;
            }
          }
          if (isEnded) {
            done();
            reject(new Error('the stream ended'));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no matching message within ${timeoutMs} ms; seen: ${JSON.stringify(seen.slice(-5))}`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
  };
}
