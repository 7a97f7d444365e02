// The live page's connection: the feed (GET /live over SSE) with its status, the calls already in
// progress when the page opened (GET /conversations?status=active), and the pause buffer. Messages
// are applied in small batches (every FLUSH_MILLIS) so a burst of commits renders once.
import type { ConversationDetailAnswer, ConversationsAnswer, TurnAnswer } from '@convotel/api';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, getAnswer } from '../../api/client.js';
import { streamLive, type LiveMessage } from '../../api/live-stream.js';
import { EMPTY_LIVE_STATE, applyMessages, applySnapshot, type LiveState } from './live-state.js';

/** The feed's filters, as GET /live and the URL take them. */
export interface LiveFilters {
  readonly agent?: string | undefined;
  readonly service?: string | undefined;
  readonly conversation?: string | undefined;
}

export type LiveConnection =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'connected'; readonly since: number }
  | { readonly kind: 'reconnecting'; readonly reason: string }
  /** The server runs without the feed (404 live_disabled, or its config says so). */
  | { readonly kind: 'off'; readonly reason: string };

const FLUSH_MILLIS = 50;
/** Messages held while paused; past it the oldest go (and the view says so). */
export const MAX_BUFFERED = 5000;
/** Active conversations read when the page opens, and how many of them get their turns read too. */
const SNAPSHOT_CALLS = 50;
const SNAPSHOT_DETAILS = 10;
/** How far back the snapshot looks for calls still in progress. */
const SNAPSHOT_HOURS = 1;

export interface LiveFeed {
  readonly state: LiveState;
  readonly connection: LiveConnection;
  /** Messages waiting while paused. */
  readonly buffered: number;
  /** Messages let go while paused. */
  readonly bufferDropped: number;
  readonly snapshotError: string | undefined;
}

async function readSnapshot(filters: LiveFilters, signal: AbortSignal): Promise<{ conversations: ConversationsAnswer['items']; turnsOf: Map<string, readonly TurnAnswer[]> }> {
  const turnsOf = new Map<string, readonly TurnAnswer[]>();
  if (filters.conversation !== undefined) {
    try {
      const detail = await getAnswer<ConversationDetailAnswer>(`/conversations/${encodeURIComponent(filters.conversation)}`, {}, signal);
      turnsOf.set(detail.conversation.conversation_id, detail.turns);
      return { conversations: [detail.conversation], turnsOf };
    } catch (error) {
      // Not there yet: it appears with its first turn.
      if (error instanceof ApiError && error.status === 404) return { conversations: [], turnsOf };
      throw error;
    }
  }
  const page = await getAnswer<ConversationsAnswer>('/conversations', { status: 'active', hours: SNAPSHOT_HOURS, limit: SNAPSHOT_CALLS, agent: filters.agent, service: filters.service }, signal);
  const recent = page.items.slice(0, SNAPSHOT_DETAILS);
  const details = await Promise.allSettled(recent.map((item) => getAnswer<ConversationDetailAnswer>(`/conversations/${encodeURIComponent(item.conversation_id)}`, {}, signal)));
  for (const detail of details) if (detail.status === 'fulfilled') turnsOf.set(detail.value.conversation.conversation_id, detail.value.turns);
  return { conversations: page.items, turnsOf };
}

/** Follows the feed with `filters` (reset when they change); nothing applies while `isPaused`. */
export function useLiveFeed(filters: LiveFilters, isLiveEnabled: boolean, isPaused: boolean): LiveFeed {
  const [state, setState] = useState<LiveState>(EMPTY_LIVE_STATE);
  const [connection, setConnection] = useState<LiveConnection>({ kind: 'connecting' });
  const [buffer, setBuffer] = useState({ buffered: 0, dropped: 0 });
  const [snapshotError, setSnapshotError] = useState<string | undefined>(undefined);
  const pending = useRef<LiveMessage[]>([]);
  const dropped = useRef(0);
  const isPausedRef = useRef(isPaused);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const flushRef = useRef<() => void>(() => undefined);

  flushRef.current = () => {
    timer.current = undefined;
    if (isPausedRef.current) {
      setBuffer({ buffered: pending.current.length, dropped: dropped.current });
      return;
    }
    const batch = pending.current;
    pending.current = [];
    dropped.current = 0;
    setBuffer({ buffered: 0, dropped: 0 });
    setState((previous) => applyMessages(previous, batch));
  };

  useEffect(() => {
    isPausedRef.current = isPaused;
    if (!isPaused) flushRef.current();
  }, [isPaused]);

  const filtersKey = JSON.stringify([filters.agent, filters.service, filters.conversation]);
  useEffect(() => {
    const [agent, service, conversation] = JSON.parse(filtersKey) as [string | undefined, string | undefined, string | undefined];
    const query = { agent, service, conversation };
    const controller = new AbortController();
    pending.current = [];
    dropped.current = 0;
    setState(EMPTY_LIVE_STATE);
    setSnapshotError(undefined);
    readSnapshot(query, controller.signal).then(
      ({ conversations, turnsOf }) => {
        if (!controller.signal.aborted) setState((previous) => applySnapshot(previous, conversations, turnsOf));
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setSnapshotError(error instanceof Error ? error.message : String(error));
      },
    );
    if (!isLiveEnabled) {
      setConnection({ kind: 'off', reason: '' });
      return () => controller.abort();
    }
    setConnection({ kind: 'connecting' });
    let lastReason = '';
    void streamLive(
      query,
      {
        onMessage: (message) => {
          pending.current.push(message);
          if (pending.current.length > MAX_BUFFERED) {
            pending.current.shift();
            dropped.current += 1;
          }
          timer.current ??= setTimeout(() => flushRef.current(), FLUSH_MILLIS);
        },
        onStatus: (isConnected, reason) => {
          lastReason = reason ?? '';
          setConnection(isConnected ? { kind: 'connected', since: Date.now() } : { kind: 'reconnecting', reason: lastReason });
        },
      },
      controller.signal,
    ).then(() => {
      // streamLive gives up only when the API says the feed is off (404 live_disabled).
      if (!controller.signal.aborted) setConnection({ kind: 'off', reason: lastReason });
    });
    return () => {
      controller.abort();
      clearTimeout(timer.current);
      timer.current = undefined;
    };
  }, [filtersKey, isLiveEnabled]);

  return { state, connection, buffered: buffer.buffered, bufferDropped: buffer.dropped, snapshotError };
}
