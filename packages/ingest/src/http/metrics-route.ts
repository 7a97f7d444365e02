// GET /metrics: the Prometheus text format, on the OTLP port and without the ingest token, as
// the Collector serves its own metrics (scrapers carry no OTLP credentials).
import type { RequestHandler } from 'express';
import type { OtlpSignal } from '../otlp/decode.js';
import type { IngestMetrics } from '../observe/metrics.js';

/** Answers the current metrics as `text/plain; version=0.0.4`. */
export function createMetricsHandler(metrics: IngestMetrics): RequestHandler {
  return async (_req, res) => {
    const text = await metrics.registry.metrics();
    res.status(200).setHeader('Content-Type', metrics.registry.contentType);
    // A Buffer, so express sends the type as prom-client spells it (it would reorder a string's).
    res.send(Buffer.from(text, 'utf8'));
  };
}

/** Middleware counting every answer on a signal's OTLP path by status, errors included. */
export function countRequests(metrics: IngestMetrics, signal: OtlpSignal): RequestHandler {
  return (_req, res, next) => {
    res.once('finish', () => metrics.countRequest(signal, res.statusCode));
    next();
  };
}
