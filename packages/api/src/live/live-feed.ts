// The live feed of one API process: it listens to the store's live channel (PostgreSQL
// LISTEN on a connection of its own, so notices of every ingest process arrive; PGlite
// in-process), keeps the last events for resumes, and hands each event to the subscribers whose
// filter it passes. Notices arrive in commit order, the same in every API process, so an event
// id from one process can resume on another that was listening at the time.
import { LIVE_CHANNEL, LIVE_NOTICE_TYPES, type Listener, type Store } from '@convotel/store';
import { createJsonLineLogger, type ApiLogger } from '../logger.js';
import { RecentEvents, type GapReason, type LiveEntry, type LiveEvent } from './recent-events.js';

export type LiveEventType = (typeof LIVE_NOTICE_TYPES)[number];

/** Which events a subscriber wants; every given field must match. */
export interface LiveFilter {
  readonly conversation?: string | undefined;
  readonly agent?: string | undefined;
  readonly service?: string | undefined;
  /** Default: every type. */
  readonly types?: readonly LiveEventType[] | undefined;
}

export interface LiveSubscriber {
  readonly filter: LiveFilter;
  /** Resume after this event (the SSE `Last-Event-ID`). */
  readonly lastEventId?: string | undefined;
  readonly onEvent: (event: LiveEvent) => void;
  /** Events may be missing before the next one. */
  readonly onGap: (reason: GapReason) => void;
  /** The feed is closing: end the stream. */
  readonly onClose: () => void;
}

export interface LiveSubscription {
  unsubscribe(): void;
}

/** Committed turns, errors and conversations, for `/live`. */
export interface LiveFeed {
  /** Replays what `lastEventId` missed (or reports a gap when it is not in the buffer), then delivers as events come. */
  subscribe(subscriber: LiveSubscriber): LiveSubscription;
  /** How often a stream sends a heartbeat comment, in ms. */
  readonly heartbeatMillis: number;
  /** Settles once the first attempt to listen did (listening, or retrying in the background). */
  readonly ready: Promise<void>;
  /** Ends every subscription and stops listening. */
  close(): Promise<void>;
}

/** Options of {@link startLiveFeed}. */
export interface LiveFeedOptions {
  /** Events kept for `Last-Event-ID` resumes. Default 1000. */
  readonly bufferSize?: number;
  /** Heartbeat comment interval of each stream, in ms. Default 15000. */
  readonly heartbeatMillis?: number;
  /** Default: JSON lines on stderr. */
  readonly logger?: ApiLogger;
  /** First wait before retrying to listen when the database is away at start; doubled up to 30 s. Default 1000. */
  readonly retryMillis?: number;
}

export const DEFAULT_LIVE_BUFFER_SIZE = 1000;
export const DEFAULT_LIVE_HEARTBEAT_MILLIS = 15_000;
const MAX_RETRY_MILLIS = 30_000;
const TYPES: ReadonlySet<string> = new Set(LIVE_NOTICE_TYPES);

/** Whether `event` passes `filter`. */
export function matchesFilter(event: LiveEvent, filter: LiveFilter): boolean {
  return (
    (filter.types === undefined || filter.types.includes(event.type as LiveEventType)) &&
    (filter.conversation === undefined || event.conversationId === filter.conversation) &&
    (filter.agent === undefined || event.agentName === filter.agent) &&
    (filter.service === undefined || event.serviceName === filter.service)
  );
}

/** A notice payload as an event; undefined when it is not one of ours. */
export function toLiveEvent(payload: string): LiveEvent | undefined {
  let notice: Record<string, unknown>;
  try {
    notice = JSON.parse(payload) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const { id, type } = notice;
  if (typeof id !== 'string' || typeof type !== 'string' || !TYPES.has(type)) return undefined;
  const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
  return {
    kind: 'event',
    id,
    type,
    data: payload,
    conversationId: text(notice['conversation_id']),
    agentName: text(notice['agent_name']),
    serviceName: text(notice['service_name']),
  };
}

/** Starts listening on `store` (retrying in the background while the database is away). */
export function startLiveFeed(store: Store, options: LiveFeedOptions = {}): LiveFeed {
  const logger = options.logger ?? createJsonLineLogger();
  const recent = new RecentEvents(options.bufferSize ?? DEFAULT_LIVE_BUFFER_SIZE);
  const subscribers = new Set<LiveSubscriber>();
  let listener: Listener | undefined;
  let isClosed = false;
  let retryTimer: NodeJS.Timeout | undefined;

  const deliver = (entry: LiveEntry, to: Iterable<LiveSubscriber>): void => {
    for (const subscriber of to) {
      if (entry.kind === 'gap') subscriber.onGap(entry.reason);
      else if (matchesFilter(entry, subscriber.filter)) subscriber.onEvent(entry);
    }
  };
  const publish = (entry: LiveEntry): void => {
    recent.push(entry);
    deliver(entry, subscribers);
  };

  let settleFirstAttempt: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (settleFirstAttempt = resolve));

  const listen = (waitMillis: number): void => {
    store
      .listen(LIVE_CHANNEL, {
        onNotification: (payload) => {
          const event = toLiveEvent(payload);
          if (event === undefined) logger.warn('api: live: ignored a notice that is not one of ours', { payload: payload.slice(0, 200) });
          else publish(event);
        },
        onLost: (error) => {
          logger.warn('api: live: the listening connection broke; reopening it (notices meanwhile are lost)', { err: error });
          publish({ kind: 'gap', reason: 'listener_lost' });
        },
        onRestored: () => logger.info('api: live: listening again'),
      })
      .then(
        async (opened) => {
          settleFirstAttempt();
          if (isClosed) await opened.close();
          else listener = opened;
        },
        (error: unknown) => {
          settleFirstAttempt();
          if (isClosed) return;
          logger.warn(`api: live: cannot listen for committed turns yet; retrying in ${waitMillis} ms`, { err: error });
          retryTimer = setTimeout(() => listen(Math.min(waitMillis * 2, MAX_RETRY_MILLIS)), waitMillis);
          retryTimer.unref();
        },
      );
  };
  listen(options.retryMillis ?? 1000);

  return {
    ready,
    heartbeatMillis: options.heartbeatMillis ?? DEFAULT_LIVE_HEARTBEAT_MILLIS,
    subscribe: (subscriber) => {
      if (isClosed) {
        subscriber.onClose();
        return { unsubscribe: () => undefined };
      }
      if (subscriber.lastEventId !== undefined) {
        const missed = recent.after(subscriber.lastEventId);
        if (missed === undefined) subscriber.onGap('unknown_last_event_id');
        else for (const entry of missed) deliver(entry, [subscriber]);
      }
      subscribers.add(subscriber);
      return { unsubscribe: () => subscribers.delete(subscriber) };
    },
    close: async () => {
      isClosed = true;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      for (const subscriber of [...subscribers]) subscriber.onClose();
      subscribers.clear();
      await listener?.close();
      listener = undefined;
    },
  };
}
