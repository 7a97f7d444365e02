// Listens with the API app. Without any API key it binds 127.0.0.1 only, whatever host was
// asked for, and says so: an unauthenticated API must not be reachable from the network.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApi, type ApiOptions } from './app.js';
import { startLiveFeed, type LiveFeedOptions } from './live/live-feed.js';
import { createJsonLineLogger } from './logger.js';

/** Default port (CONVOTEL_PORT). */
export const DEFAULT_API_PORT = 8080;
/** Default interface with API keys configured. */
export const DEFAULT_API_HOST = '0.0.0.0';
/** The only interface without API keys. */
export const LOCAL_HOST = '127.0.0.1';

export interface StartApiOptions extends ApiOptions {
  /** Default 8080; 0 picks a free port. */
  readonly port?: number;
  /** Default 0.0.0.0, forced to 127.0.0.1 when no API key is configured. */
  readonly host?: string;
  /** Buffer and heartbeat of the live feed started here (when `live` is not given). */
  readonly liveOptions?: Omit<LiveFeedOptions, 'logger'>;
}

export interface RunningApi {
  readonly port: number;
  readonly host: string;
  /** True when no API key is configured (and the server is bound to 127.0.0.1). */
  readonly isOpen: boolean;
  /**
   * Ends live streams, stops accepting connections and resolves once requests in flight are
   * answered. The store stays open.
   */
  close(): Promise<void>;
}

export async function startApi(options: StartApiOptions): Promise<RunningApi> {
  const logger = options.logger ?? createJsonLineLogger();
  const isOpen = (options.apiKeys ?? []).length === 0;
  const host = isOpen ? LOCAL_HOST : (options.host ?? DEFAULT_API_HOST);
  if (isOpen && options.host !== undefined && options.host !== LOCAL_HOST) {
    logger.warn(`api: no API key configured (CONVOTEL_API_KEYS); listening on ${LOCAL_HOST} instead of ${options.host}`);
  }
  // The feed is this server's own unless one was given (or the feed is off); it listens from the
  // start, so a client can resume with an event that came before its first request.
  const ownLive = options.live === undefined && options.isLiveDisabled !== true ? startLiveFeed(options.store, { ...options.liveOptions, logger }) : undefined;
  await ownLive?.ready;
  const live = options.live ?? ownLive;
  const server = createServer({ requestTimeout: 120_000, headersTimeout: 30_000 }, createApi({ ...options, logger, live }));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? DEFAULT_API_PORT, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await ownLive?.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  logger.info(
    isOpen
      ? `api: listening on ${host}:${port} without authentication (no CONVOTEL_API_KEYS): local clients only`
      : `api: listening on ${host}:${port}, Bearer keys required`,
    { host, port },
  );
  return {
    port,
    host,
    isOpen,
    close: async () => {
      // Live streams never end on their own: end them (and stop listening) first.
      await ownLive?.close();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      });
    },
  };
}
