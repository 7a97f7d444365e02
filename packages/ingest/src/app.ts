// Wires the HTTP layer: OTLP routes, health, 405/404 and the error middleware. Request work
// lives in http/ (transport), otlp/ (decoding) and pipeline/ (normalizing into the sink); the
// store sits behind `BatchSink`.
import express from 'express';
import type { IngestConfig } from './config.js';
import { createBearerAuth } from './http/bearer-auth.js';
import { BodyBudget } from './http/body-budget.js';
import { createErrorHandler, rejectOtherMethods, rejectUnknownRoute } from './http/error-handler.js';
import { createExportHandler } from './http/export-route.js';
import { createHealthHandler } from './http/health-route.js';
import { createJsonLogger, type IngestLogger } from './http/logger.js';
import { countRequests, createMetricsHandler } from './http/metrics-route.js';
import type { CostEstimator } from './normalize/concepts/cost.js';
import { createThrottledLog } from './observe/log-throttle.js';
import { IngestMetrics } from './observe/metrics.js';
import { loadOtlpProtoTypes } from './otlp/proto-root.js';
import type { NormalizeSettings } from './pipeline/write-request.js';
import type { BatchSink } from './sink/batch-sink.js';

export type { IngestLogger } from './http/logger.js';

export interface IngestAppOptions {
  /** Where normalized batches go; requests are answered once its write resolves. */
  readonly sink: BatchSink;
  /** Also caps captured content (`maxContentLength`) as requests are normalized. */
  readonly config: IngestConfig;
  /** Prices calls whose spans report no cost. Default: the shared `@convotel/pricing` table. */
  readonly estimateCost?: CostEstimator;
  /** Defaults to JSON lines on stderr at `config.logLevel`. */
  readonly logger?: IngestLogger;
  /**
   * Served on `GET /metrics`. Default: a new set; pass one to also give its `sinkObserver` to
   * the sink (commit-side metrics).
   */
  readonly metrics?: IngestMetrics;
}

/**
 * The OTLP/HTTP receiver as an express app: `POST /v1/traces`, `POST /v1/logs` (protobuf or
 * JSON, gzip or plain), `GET /healthz` and `GET /metrics`. Never answers 500: unexpected
 * failures become 503.
 */
export function createIngestApp({
  sink,
  config,
  estimateCost,
  logger = createJsonLogger({ level: config.logLevel }),
  metrics = new IngestMetrics(),
}: IngestAppOptions): express.Application {
  // Parse the schema now, so a missing proto/ folder fails at startup instead of on the first request.
  loadOtlpProtoTypes();

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');

  const requireToken = createBearerAuth(config.ingestToken);
  const limits = { maxBodyBytes: config.maxBodyBytes, maxInflatedBytes: config.maxInflatedBytes };
  const bodyBudget = new BodyBudget(config.maxInflightBytes);
  // A bug that fails some spans of every request must not write a line per request.
  const logFailure = createThrottledLog(logger);
  const normalize: NormalizeSettings = {
    estimateCost,
    maxContentLength: config.maxContentLength,
    onItemsFailed: (error) => logFailure('error', 'normalize_failed', 'ingest: normalizing some items failed; they were rejected', { err: error }),
  };
  metrics.readQueueFrom(sink);
  metrics.readBodiesFrom(bodyBudget);
  app.all('/v1/traces', countRequests(metrics, 'traces'));
  app.all('/v1/logs', countRequests(metrics, 'logs'));
  app.post('/v1/traces', requireToken, createExportHandler({ signal: 'traces', sink, normalize, config: limits, metrics, bodyBudget }));
  app.post('/v1/logs', requireToken, createExportHandler({ signal: 'logs', sink, normalize, config: limits, metrics, bodyBudget }));
  app.all(['/v1/traces', '/v1/logs'], rejectOtherMethods);
  app.get('/healthz', createHealthHandler(sink, logger));
  app.get('/metrics', createMetricsHandler(metrics));
  app.use(rejectUnknownRoute);
  app.use(createErrorHandler(logger, metrics));
  return app;
}
