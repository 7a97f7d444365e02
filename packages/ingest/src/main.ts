// Starts the OTLP/HTTP server. The caller owns the sink (and closes it after the server).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createIngestApp, type IngestLogger } from './app.js';
import type { IngestConfig } from './config.js';
import type { CostEstimator } from './normalize/concepts/cost.js';
import type { IngestMetrics } from './observe/metrics.js';
import type { BatchSink } from './sink/batch-sink.js';

/** What {@link startIngestServer} serves; see {@link IngestAppOptions}. */
export interface IngestServerOptions {
  readonly sink: BatchSink;
  readonly config: IngestConfig;
  readonly estimateCost?: CostEstimator;
  readonly logger?: IngestLogger;
  readonly metrics?: IngestMetrics;
}

export interface RunningIngestServer {
  /** The port actually bound (useful with `config.port` 0). */
  readonly port: number;
  /** Stops accepting connections and resolves once in-flight requests are answered. */
  close(): Promise<void>;
}

/** Listens on `config.host`:`config.port` (default 4318) and resolves once the port is bound. */
export async function startIngestServer(options: IngestServerOptions): Promise<RunningIngestServer> {
  const app = createIngestApp(options);
  const { config } = options;
  // Tighter than Node's defaults (300 s per request, 60 s for headers, no connection cap): a
  // crowd of idle or stalled clients must not hold every file descriptor, or the database
  // connection the next write needs fails with EMFILE.
  const headersTimeout = Math.ceil(config.requestTimeoutMillis / 3);
  const server = createServer(
    {
      requestTimeout: config.requestTimeoutMillis,
      headersTimeout,
      // Node enforces both timeouts only when it checks (every 30 s by default).
      connectionsCheckingInterval: Math.min(30_000, Math.ceil(headersTimeout / 4)),
    },
    app,
  );
  server.maxConnections = config.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.config.port, options.config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets with no request in flight would hold close() open until they time out.
        server.closeIdleConnections();
      }),
  };
}
