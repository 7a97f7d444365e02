// @convotel/ingest: the OTLP/HTTP receiver and its write path. The database itself (connection,
// migrations, tables) is @convotel/store's.
export { serveIngest } from './serve.js';
export type { RunningIngest, ServeOptions } from './serve.js';
export { createIngestApp } from './app.js';
export type { IngestAppOptions, IngestLogger } from './app.js';
export { startIngestServer } from './main.js';
export type { IngestServerOptions, RunningIngestServer } from './main.js';
export { DEFAULT_INGEST_CONFIG, parseIngestConfig } from './config.js';
export type { IngestConfig } from './config.js';
export { StoreSink } from './store/store-sink.js';
export type { StoreSinkOptions } from './store/store-sink.js';
export type { BatchSink, DbErrorKind, NormalizedRequest, SinkObserver, SinkReservation, WriteResult } from './sink/batch-sink.js';
export { IngestMetrics } from './observe/metrics.js';
export { IngestError, QueueFullError, StoreUnavailableError } from './errors.js';
