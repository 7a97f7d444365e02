// GET /api/v1/live as server-sent events over fetch (EventSource cannot send the Authorization
// header). Reconnects after the server's retry delay with Last-Event-ID, so nothing committed in
// between is missed while the API still holds it; a `gap` event says when it did not.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { apiUrl, fetchWithKey, type Query } from './client.js';

export interface LiveMessage {
  /** turn, error, conversation or gap. */
  readonly type: string;
  readonly id: string | undefined;
  readonly data: Record<string, unknown>;
}

export interface LiveStreamHandlers {
  readonly onMessage: (message: LiveMessage) => void;
  /** Connected (true) or waiting to reconnect (false), with why. */
  readonly onStatus: (isConnected: boolean, reason?: string) => void;
}

const DEFAULT_RETRY_MILLIS = 3000;

/** Streams until `signal` aborts; after that it reports nothing (a late answer must not undo a newer state). */
export async function streamLive(query: Query, given: LiveStreamHandlers, signal: AbortSignal): Promise<void> {
  const handlers: LiveStreamHandlers = {
    onMessage: (message) => {
      if (!signal.aborted) given.onMessage(message);
    },
    onStatus: (isConnected, reason) => {
      if (!signal.aborted) given.onStatus(isConnected, reason);
    },
  };
  let lastEventId: string | undefined;
  let retryMillis = DEFAULT_RETRY_MILLIS;
  while (!signal.aborted) {
    try {
      const response = await fetchWithKey(apiUrl('/live', query), {
        signal,
        headers: { accept: 'text/event-stream', ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }) },
      });
      if (!response.ok || response.body === null) {
        let message = `HTTP ${response.status}`;
        try {
          const body = (await response.json()) as { error?: { message?: string } };
          message = body.error?.message ?? message;
        } catch {
          // keep the status
        }
        handlers.onStatus(false, message);
        // The feed is off for good: don't knock forever.
        if (response.status === 404) return;
      } else {
        handlers.onStatus(true);
        const parser = createParser({
          onEvent: (event: EventSourceMessage) => {
            if (event.id !== undefined) lastEventId = event.id;
            let data: Record<string, unknown> = {};
            try {
              data = JSON.parse(event.data) as Record<string, unknown>;
            } catch {
              return;
            }
            handlers.onMessage({ type: event.event ?? 'message', id: event.id, data });
          },
          onRetry: (millis) => {
            retryMillis = millis;
          },
        });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parser.feed(value);
        }
        handlers.onStatus(false, 'the stream ended');
      }
    } catch (error) {
      if (signal.aborted) return;
      handlers.onStatus(false, error instanceof Error ? error.message : String(error));
    }
    await new Promise((resolve) => setTimeout(resolve, retryMillis));
  }
}
