// Listens with the API app. Without any API key it binds 127.0.0.1 only, whatever host was
// asked for, and says so: an unauthenticated API must not be reachable from the network.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApi, type ApiOptions } from './app.js';
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
}

export interface RunningApi {
  readonly port: number;
  readonly host: string;
  /** True when no API key is configured (and the server is bound to 127.0.0.1). */
  readonly isOpen: boolean;
  /** Stops accepting connections and resolves once requests in flight are answered. The store stays open. */
  close(): Promise<void>;
}

export async function startApi(options: StartApiOptions): Promise<RunningApi> {
  const logger = options.logger ?? createJsonLineLogger();
  const isOpen = (options.apiKeys ?? []).length === 0;
  const host = isOpen ? LOCAL_HOST : (options.host ?? DEFAULT_API_HOST);
  if (isOpen && options.host !== undefined && options.host !== LOCAL_HOST) {
    logger.warn(`api: no API key configured (CONVOTEL_API_KEYS); listening on ${LOCAL_HOST} instead of ${options.host}`);
  }
  const server = createServer({ requestTimeout: 120_000, headersTimeout: 30_000 }, createApi({ ...options, logger }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_API_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
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
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
