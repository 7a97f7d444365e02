// Starts the real ingest server on a free port for HTTP tests.
import { DEFAULT_INGEST_CONFIG, type IngestConfig } from '../../src/config.js';
import type { IngestLogger } from '../../src/http/logger.js';
import { startIngestServer } from '../../src/main.js';
import type { CostEstimator } from '../../src/normalize/concepts/cost.js';
import type { IngestMetrics } from '../../src/observe/metrics.js';
import type { BatchSink } from '../../src/sink/batch-sink.js';

export interface TestServer {
  readonly url: string;
  readonly logged: { level: 'info' | 'warn' | 'error'; message: string; details: unknown }[];
  /** Every status the server answered, to assert it never answered 500. */
  readonly statuses: number[];
  post(path: string, body: Uint8Array | string, headers?: Record<string, string>): Promise<Response>;
  get(path: string): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestServer(
  sink: BatchSink,
  config: Partial<IngestConfig> = {},
  options: { metrics?: IngestMetrics; estimateCost?: CostEstimator } = {},
): Promise<TestServer> {
  const logged: TestServer['logged'] = [];
  const logger: IngestLogger = {
    info: (message, details) => logged.push({ level: 'info', message, details }),
    warn: (message, details) => logged.push({ level: 'warn', message, details }),
    error: (message, details) => logged.push({ level: 'error', message, details }),
  };
  const server = await startIngestServer({
    sink,
    config: { ...DEFAULT_INGEST_CONFIG, host: '127.0.0.1', port: 0, ...config },
    logger,
    metrics: options.metrics,
    estimateCost: options.estimateCost,
  });
  const url = `http://127.0.0.1:${server.port}`;
  const statuses: number[] = [];
  return {
    url,
    logged,
    statuses,
    async post(path, body, headers = {}) {
      const response = await fetch(`${url}${path}`, { method: 'POST', body, headers });
      statuses.push(response.status);
      return response;
    },
    async get(path) {
      const response = await fetch(`${url}${path}`);
      statuses.push(response.status);
      return response;
    },
    close: () => server.close(),
  };
}
