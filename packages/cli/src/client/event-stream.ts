// Follows a server-sent event stream (GET /live) like a browser's EventSource: parsed with
// eventsource-parser, reconnected after a drop with Last-Event-ID so the server resumes where
// the client left off, after the server's `retry:` delay (doubling while it stays away).
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { CliError, EXIT_CODES } from '../exit-codes.js';
import type { ApiClient, Query } from './api-client.js';

/** One event of the feed: its type, id, and data (JSON parsed when it is JSON). */
export interface LiveEvent {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: unknown;
}

/** Event types that only keep the connection alive. */
const KEEPALIVE_EVENTS: ReadonlySet<string> = new Set(['heartbeat', 'ping']);

/** Default reconnection delay, as for EventSource, and the longest while the server stays away. */
const DEFAULT_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

export interface FollowOptions {
  readonly query?: Query;
  /** Ends the stream (the generator returns). */
  readonly signal: AbortSignal;
  /** Told when the connection dropped and when the next try is. */
  readonly onReconnect?: (reason: string, delayMs: number) => void;
}

function parseData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * The events of `path` until `signal` aborts. The first connection's failure is thrown (server
 * down, key refused); later drops are retried for as long as the server is unreachable.
 */
export async function* followEvents(client: ApiClient, path: string, options: FollowOptions): AsyncGenerator<LiveEvent> {
  const { signal } = options;
  let lastEventId: string | undefined;
  let retryMs = DEFAULT_RETRY_MS;
  let delayMs = retryMs;
  let hasConnected = false;
  while (!signal.aborted) {
    let response: Response;
    try {
      response = await client.open(path, options.query, {
        headers: { accept: 'text/event-stream', ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }) },
        signal,
      });
    } catch (error) {
      if (signal.aborted) return;
      // Only "not there right now" is retried, and only once the feed has worked.
      if (!hasConnected || !(error instanceof CliError) || error.exitCode !== EXIT_CODES.serverDown) throw error;
      options.onReconnect?.(error.message, delayMs);
      await sleep(delayMs, signal);
      delayMs = Math.min(delayMs * 2, MAX_RETRY_MS);
      continue;
    }
    hasConnected = true;
    delayMs = retryMs;
    if (response.body === null) throw new CliError(EXIT_CODES.failure, `GET ${path} answered no body`);
    const events = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(
      new EventSourceParserStream({
        onRetry: (ms) => {
          retryMs = ms;
          delayMs = ms;
        },
      }),
    );
    let reason = 'the server closed the feed';
    try {
      for await (const message of events) {
        if (message.id !== undefined) lastEventId = message.id;
        const event = message.event ?? 'message';
        if (KEEPALIVE_EVENTS.has(event)) continue;
        yield { event, id: message.id, data: parseData(message.data) };
      }
    } catch (error) {
      if (signal.aborted) return;
      reason = `the connection was lost (${(error as Error).message})`;
    }
    if (signal.aborted) return;
    options.onReconnect?.(reason, delayMs);
    await sleep(delayMs, signal);
  }
}
