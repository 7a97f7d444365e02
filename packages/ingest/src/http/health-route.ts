// GET /healthz: 200 once the sink accepts data (migrations applied, database answering and
// writable), else 503 — promptly, also when the database hangs instead of refusing.
import type { RequestHandler } from 'express';
import type { BatchSink } from '../sink/batch-sink.js';
import type { IngestLogger } from './logger.js';

/** Probes usually give up after a second or two; a database slower than this counts as down. */
export const HEALTH_CHECK_TIMEOUT_MILLIS = 2000;

export function createHealthHandler(sink: BatchSink, logger: IngestLogger): RequestHandler {
  return async (_req, res) => {
    let isReady = false;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), HEALTH_CHECK_TIMEOUT_MILLIS);
    });
    try {
      isReady = await Promise.race([sink.isReady(), timedOut]);
    } catch (error) {
      logger.warn('ingest: readiness check failed', error);
    } finally {
      clearTimeout(timer);
    }
    res.status(isReady ? 200 : 503).json({ status: isReady ? 'ok' : 'unavailable' });
  };
}
