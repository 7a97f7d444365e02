// GET /healthz: 200 once the sink accepts data (migrations applied, database answering), else 503.
import type { RequestHandler } from 'express';
import type { BatchSink } from '../store/sink.js';
import type { IngestLogger } from './logger.js';

export function createHealthHandler(sink: BatchSink, logger: IngestLogger): RequestHandler {
  return async (_req, res) => {
    let isReady = false;
    try {
      isReady = await sink.isReady();
    } catch (error) {
      logger.warn('ingest: readiness check failed', error);
    }
    res.status(isReady ? 200 : 503).json({ status: isReady ? 'ok' : 'unavailable' });
  };
}
