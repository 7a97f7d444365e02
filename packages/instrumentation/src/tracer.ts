import { trace, type Tracer } from '@opentelemetry/api';
import { logs, type Logger } from '@opentelemetry/api-logs';

/** Instrumentation scope of every span and log record the SDK makes. */
export const SCOPE_NAME = '@convotel/instrumentation';
export const SCOPE_VERSION = '0.1.0';

// Proxies: they follow a provider registered after this module loads, so caching them is safe.
let tracer: Tracer | undefined;
let logger: Logger | undefined;

export function getTracer(): Tracer {
  tracer ??= trace.getTracer(SCOPE_NAME, SCOPE_VERSION);
  return tracer;
}

export function getLogger(): Logger {
  logger ??= logs.getLogger(SCOPE_NAME, SCOPE_VERSION);
  return logger;
}
