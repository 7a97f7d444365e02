import { diag } from '@opentelemetry/api';
import { CONVOTEL_DEFAULT_MAX_CONTENT_LENGTH } from '@convotel/semconv';
import type { InstrumentationOptions, RedactFn } from './types.js';

/** Environment variables the SDK reads; a typed union so a typo fails to compile. */
export type ConvotelEnvVar =
  | 'OTEL_SDK_DISABLED'
  | 'OTEL_SERVICE_NAME'
  | 'OTEL_EXPORTER_OTLP_ENDPOINT'
  | 'OTEL_EXPORTER_OTLP_PROTOCOL'
  | 'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT'
  | 'OTEL_BSP_MAX_QUEUE_SIZE'
  | 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE'
  | 'OTEL_BSP_SCHEDULE_DELAY'
  | 'OTEL_EXPORTER_OTLP_TIMEOUT'
  | 'CONVOTEL_CAPTURE_CONTENT'
  | 'CONVOTEL_MAX_CONTENT_LENGTH'
  | 'CONVOTEL_PRICE_FILE'
  | 'CONVOTEL_HTTP'
  | 'CONVOTEL_PG'
  | 'CONVOTEL_OPENAI'
  | 'CONVOTEL_ANTHROPIC';

/** Options after code > env > defaults have been applied; frozen. */
export interface ResolvedConfig {
  readonly disabled: boolean;
  readonly serviceName: string | undefined;
  readonly endpoint: string | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly protocol: 'http/protobuf' | 'http/json';
  readonly captureContent: boolean;
  readonly maxContentLength: number;
  readonly redact: RedactFn | undefined;
  readonly openai: boolean;
  readonly anthropic: boolean;
  readonly http: boolean;
  readonly pg: boolean;
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
  readonly scheduledDelayMillis: number;
  readonly exportTimeoutMillis: number;
  readonly priceFile: string | undefined;
  readonly prices: InstrumentationOptions['prices'];
  readonly resourceAttributes: InstrumentationOptions['resourceAttributes'];
}

function readEnv(name: ConvotelEnvVar): string | undefined {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function readBool(name: ConvotelEnvVar): boolean | undefined {
  const value = readEnv(name);
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (lower === 'true' || lower === '1' || lower === 'yes') return true;
  if (lower === 'false' || lower === '0' || lower === 'no') return false;
  diag.warn(`convotel: ignoring ${name}=${value}: expected true or false`);
  return undefined;
}

function readPositiveInt(name: ConvotelEnvVar): number | undefined {
  const value = readEnv(name);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (Number.isInteger(parsed) && parsed > 0) return parsed;
  diag.warn(`convotel: ignoring ${name}=${value}: expected a positive integer`);
  return undefined;
}

function positiveOr(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (Number.isFinite(value) && value > 0) return Math.floor(value);
  diag.warn(`convotel: ignoring ${name}=${String(value)}: expected a positive number`);
  return fallback;
}

function readProtocol(): 'http/protobuf' | 'http/json' {
  const value = readEnv('OTEL_EXPORTER_OTLP_PROTOCOL');
  if (value === undefined || value === 'http/protobuf') return 'http/protobuf';
  if (value === 'http/json') return 'http/json';
  diag.warn(`convotel: OTEL_EXPORTER_OTLP_PROTOCOL=${value} is not supported; using http/protobuf`);
  return 'http/protobuf';
}

/** Applies code > environment > defaults, once. Bad values are warned about and replaced by defaults; never thrown. */
export function resolveConfig(options: InstrumentationOptions = {}): ResolvedConfig {
  const captureFromEnv =
    readBool('OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT') ?? readBool('CONVOTEL_CAPTURE_CONTENT');
  return Object.freeze({
    disabled: options.disabled ?? readBool('OTEL_SDK_DISABLED') ?? false,
    serviceName: options.serviceName ?? readEnv('OTEL_SERVICE_NAME'),
    endpoint: options.endpoint ?? readEnv('OTEL_EXPORTER_OTLP_ENDPOINT'),
    headers: options.headers,
    protocol: options.protocol ?? readProtocol(),
    captureContent: options.captureContent ?? captureFromEnv ?? false,
    maxContentLength: positiveOr(
      options.maxContentLength ?? readPositiveInt('CONVOTEL_MAX_CONTENT_LENGTH'),
      'maxContentLength',
      CONVOTEL_DEFAULT_MAX_CONTENT_LENGTH,
    ),
    redact: typeof options.redact === 'function' ? options.redact : undefined,
    openai: options.openai ?? readBool('CONVOTEL_OPENAI') ?? true,
    anthropic: options.anthropic ?? readBool('CONVOTEL_ANTHROPIC') ?? true,
    http: options.http ?? readBool('CONVOTEL_HTTP') ?? true,
    pg: options.pg ?? readBool('CONVOTEL_PG') ?? true,
    // Sized for bursts: the SDK's default queue of 2048 dropped 97% of a 100k-span burst (DESIGN.md §7).
    maxQueueSize: positiveOr(options.maxQueueSize ?? readPositiveInt('OTEL_BSP_MAX_QUEUE_SIZE'), 'maxQueueSize', 65_536),
    maxExportBatchSize: positiveOr(
      options.maxExportBatchSize ?? readPositiveInt('OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
      'maxExportBatchSize',
      2048,
    ),
    scheduledDelayMillis: positiveOr(
      options.scheduledDelayMillis ?? readPositiveInt('OTEL_BSP_SCHEDULE_DELAY'),
      'scheduledDelayMillis',
      1000,
    ),
    exportTimeoutMillis: positiveOr(
      options.exportTimeoutMillis ?? readPositiveInt('OTEL_EXPORTER_OTLP_TIMEOUT'),
      'exportTimeoutMillis',
      10_000,
    ),
    priceFile: options.priceFile ?? readEnv('CONVOTEL_PRICE_FILE'),
    prices: options.prices,
    resourceAttributes: options.resourceAttributes,
  });
}

let active: ResolvedConfig | undefined;

/** The configuration in force: the one `init()` set, else one read from the environment on first use. */
export function getActiveConfig(): ResolvedConfig {
  active ??= resolveConfig();
  return active;
}

/** Installs the configuration `init()` resolved. */
export function setActiveConfig(config: ResolvedConfig): void {
  active = config;
}
