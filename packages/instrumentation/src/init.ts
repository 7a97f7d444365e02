import { diag } from '@opentelemetry/api';
import { OTLPLogExporter as OTLPJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AnthropicInstrumentation } from './anthropic/instrumentation.js';
import { resolveConfig, setActiveConfig, type ResolvedConfig } from './config.js';
import { ConversationSpanProcessor } from './conversation-span-processor.js';
import { OpenAIInstrumentation } from './openai/instrumentation.js';
import { settleLlmSpans } from './spans/llm-span.js';
import { stopTokenCounter } from './tokens/count.js';
import type { InstrumentationHandle, InstrumentationOptions } from './types.js';

/** Packages the instrumentations patch; the ESM loader hook intercepts only these. */
export const INSTRUMENTED_MODULES = ['openai', '@anthropic-ai/sdk', 'pg', 'pg-pool', 'http', 'https'] as const;

const NOOP_HANDLE: InstrumentationHandle = {
  forceFlush: () => settleLlmSpans(),
  shutdown: () => settleLlmSpans(),
};

let current: InstrumentationHandle | undefined;

function toSignalUrl(endpoint: string | undefined, path: string): string | undefined {
  return endpoint === undefined ? undefined : endpoint.replace(/\/+$/, '') + path;
}

function createInstrumentations(config: ResolvedConfig): Instrumentation[] {
  const instrumentations: Instrumentation[] = [];
  if (config.openai) instrumentations.push(new OpenAIInstrumentation());
  if (config.anthropic) {
    instrumentations.push(new AnthropicInstrumentation());
    // @anthropic-ai/sdk ≥ 1.x emits its own `anthropic.messages.create` span with the same
    // usage: left on, every call would be counted twice. The user's explicit choice wins.
    process.env.ANTHROPIC_OPEN_TELEMETRY ??= 'false';
  }
  // The exporters' own requests are not traced: they run with tracing suppressed.
  if (config.http) instrumentations.push(new HttpInstrumentation());
  if (config.pg) instrumentations.push(new PgInstrumentation({ enhancedDatabaseReporting: false }));
  return instrumentations;
}

function start(config: ResolvedConfig): InstrumentationHandle {
  const exportOptions = { headers: config.headers ? { ...config.headers } : undefined, timeoutMillis: config.exportTimeoutMillis };
  // Without an explicit endpoint the exporters read OTEL_EXPORTER_OTLP_(TRACES_|LOGS_)ENDPOINT themselves.
  const isJson = config.protocol === 'http/json';
  const traceExportOptions = { ...exportOptions, url: toSignalUrl(config.endpoint, '/v1/traces') };
  const logExportOptions = { ...exportOptions, url: toSignalUrl(config.endpoint, '/v1/logs') };
  const spanProcessor = new BatchSpanProcessor(
    isJson ? new OTLPJsonTraceExporter(traceExportOptions) : new OTLPTraceExporter(traceExportOptions),
    {
      maxQueueSize: config.maxQueueSize,
      maxExportBatchSize: Math.min(config.maxExportBatchSize, config.maxQueueSize),
      scheduledDelayMillis: config.scheduledDelayMillis,
      exportTimeoutMillis: config.exportTimeoutMillis,
    },
  );
  const logProcessor = new BatchLogRecordProcessor({
    exporter: isJson ? new OTLPJsonLogExporter(logExportOptions) : new OTLPLogExporter(logExportOptions),
    scheduledDelayMillis: config.scheduledDelayMillis,
    exportTimeoutMillis: config.exportTimeoutMillis,
  });
  const sdk = new NodeSDK({
    // NodeSDK exports OTLP metrics by default; convotel is about traces and logs, and the
    // convotel ingest has no /v1/metrics. Metrics stay on when OTEL_METRICS_EXPORTER asks for them.
    ...(process.env.OTEL_METRICS_EXPORTER === undefined ? { metricReaders: [] } : {}),
    serviceName: config.serviceName,
    resource: config.resourceAttributes ? resourceFromAttributes(config.resourceAttributes) : undefined,
    spanProcessors: [new ConversationSpanProcessor(), spanProcessor],
    logRecordProcessors: [logProcessor],
    instrumentations: createInstrumentations(config),
  });
  sdk.start();

  let shutdownPromise: Promise<void> | undefined;
  const forceFlush = async (): Promise<void> => {
    try {
      // LLM spans waiting for a token count end first, so the flush carries them.
      await settleLlmSpans();
      await Promise.all([spanProcessor.forceFlush(), logProcessor.forceFlush()]);
    } catch (err) {
      diag.error('convotel: flush failed', err);
    }
  };
  const handle: InstrumentationHandle = {
    forceFlush,
    shutdown: () => {
      shutdownPromise ??= (async () => {
        await forceFlush();
        try {
          await sdk.shutdown();
          await stopTokenCounter();
        } catch (err) {
          diag.error('convotel: shutdown failed', err);
        }
        if (current === handle) current = undefined;
      })();
      return shutdownPromise;
    },
  };
  return handle;
}

/**
 * Starts OpenTelemetry with OTLP/HTTP export of traces and logs, batch processors, the
 * conversation span processor and the openai, anthropic, http and pg instrumentations. Reads
 * the standard `OTEL_*` variables. Calling it again returns the running handle. Never throws:
 * a failure to start is reported through `diag` and the app runs uninstrumented.
 */
export function init(options: InstrumentationOptions = {}): InstrumentationHandle {
  if (current !== undefined) {
    diag.warn('convotel: init() called twice; keeping the first setup');
    return current;
  }
  try {
    const config = resolveConfig(options);
    setActiveConfig(config);
    if (config.disabled) return NOOP_HANDLE;
    current = start(config);
    return current;
  } catch (err) {
    diag.error('convotel: failed to start; running uninstrumented', err);
    return NOOP_HANDLE;
  }
}
