// LISTEN on PostgreSQL: a connection of its own (a pooled one would be handed to other work and
// its LISTEN lost), reopened with backoff when it breaks. NOTIFYs sent while it was away are
// not replayed by PostgreSQL: the subscriber hears of the gap through onLost/onRestored.
import pg from 'pg';
import type { Listener, ListenHandlers } from './store.js';

/** Options of {@link listenOnPostgres}. */
export interface PostgresListenerOptions {
  readonly connectionString: string;
  readonly connectionTimeoutMillis: number;
  /** First wait before reopening a broken connection; doubled up to 30 s. Default 500. */
  readonly retryMillis?: number;
}

const MAX_RETRY_MILLIS = 30_000;

/** Listens to `channel` until closed; resolves once the first LISTEN is in place. */
export async function listenOnPostgres(channel: string, handlers: ListenHandlers, options: PostgresListenerOptions): Promise<Listener> {
  let client: pg.Client | undefined;
  let isClosed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  const firstRetryMillis = options.retryMillis ?? 500;

  const open = async (): Promise<void> => {
    const next = new pg.Client({
      connectionString: options.connectionString,
      connectionTimeoutMillis: options.connectionTimeoutMillis,
      application_name: 'convotel-listen',
      // Without it a silently dropped network path would leave the listener deaf forever.
      keepAlive: true,
    });
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) handlers.onNotification(message.payload);
    });
    // Registered before connect: a socket error must never go unhandled (it would crash the process).
    next.on('error', (error) => onBroken(next, error));
    next.on('end', () => onBroken(next, new Error('the listening connection closed')));
    try {
      await next.connect();
      // The channel is ours (a constant), but quote it as an identifier anyway.
      await next.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
    } catch (error) {
      next.removeAllListeners('end');
      await next.end().catch(() => undefined);
      throw error;
    }
    if (isClosed) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
  };

  const onBroken = (broken: pg.Client, error: Error): void => {
    if (isClosed || client !== broken) return;
    client = undefined;
    broken.removeAllListeners('end');
    broken.end().catch(() => undefined);
    handlers.onLost?.(error);
    reopen(firstRetryMillis);
  };

  const reopen = (waitMillis: number): void => {
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (isClosed) return;
      open().then(
        () => {
          if (!isClosed) handlers.onRestored?.();
        },
        () => reopen(Math.min(waitMillis * 2, MAX_RETRY_MILLIS)),
      );
    }, waitMillis);
    retryTimer.unref();
  };

  await open();
  return {
    close: async () => {
      isClosed = true;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      const current = client;
      client = undefined;
      if (current !== undefined) {
        current.removeAllListeners('end');
        await current.end().catch(() => undefined);
      }
    },
  };
}
