// Ingest configuration: one zod schema over the environment, parsed once at startup, frozen.
import { readFileSync } from 'node:fs';
import { CONVOTEL_DEFAULT_MAX_CONTENT_LENGTH } from '@convotel/semconv';
import { z } from 'zod';

/** Environment variables the ingest reads (a typed union, so a typo is a compile error). */
export type IngestEnvVar =
  | 'CONVOTEL_OTLP_PORT'
  | 'CONVOTEL_OTLP_HOST'
  | 'CONVOTEL_MAX_BODY_BYTES'
  | 'CONVOTEL_MAX_INFLATED_BYTES'
  | 'CONVOTEL_MAX_INFLIGHT_BYTES'
  | 'CONVOTEL_MAX_CONNECTIONS'
  | 'CONVOTEL_REQUEST_TIMEOUT_MS'
  | 'CONVOTEL_DB_TIMEOUT_MS'
  | 'CONVOTEL_INGEST_TOKEN'
  | 'CONVOTEL_RETENTION_DAYS'
  | 'CONVOTEL_MAX_CONTENT_LENGTH'
  | 'CONVOTEL_LIVE'
  | 'CONVOTEL_LOG_LEVEL';

/** Log levels, most severe first (pino's names); `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface IngestConfig {
  /** Port for OTLP/HTTP. Default 4318 (the OTLP/HTTP port); 0 picks a free one. Env `CONVOTEL_OTLP_PORT`. */
  readonly port: number;
  /** Interface to listen on. Default `0.0.0.0`. Env `CONVOTEL_OTLP_HOST`. */
  readonly host: string;
  /** Cap on the body as sent (compressed when gzip), in bytes; over it → 413. Default 16 MiB. Env `CONVOTEL_MAX_BODY_BYTES`. */
  readonly maxBodyBytes: number;
  /**
   * Cap on the body after gunzip, in bytes; over it → 413 (also stops gzip bombs). Default 64 MiB,
   * the OTLP v1.11.0 recommendation. Env `CONVOTEL_MAX_INFLATED_BYTES`.
   */
  readonly maxInflatedBytes: number;
  /**
   * Bytes of request bodies being read, inflated and decoded at once (raw and inflated); a
   * request that does not fit beside the others → 503 + Retry-After. Bounds memory under many
   * concurrent large or compressed bodies; a lone request is always taken. Default 128 MiB, at
   * least `maxInflatedBytes`. Env `CONVOTEL_MAX_INFLIGHT_BYTES`.
   */
  readonly maxInflightBytes: number;
  /**
   * Client connections held open at once; more are closed as they arrive (the sender retries).
   * Keeps file descriptors for the database when many clients connect. Default half the
   * process's open-file limit, between 64 and 4096. Env `CONVOTEL_MAX_CONNECTIONS`.
   */
  readonly maxConnections: number;
  /**
   * Time a client has to send a whole request (ms); its headers get a third of it. Default
   * 60000 (Node's own are 300000 and 60000), so stalled uploads do not hold sockets and memory.
   * Env `CONVOTEL_REQUEST_TIMEOUT_MS`.
   */
  readonly requestTimeoutMillis: number;
  /**
   * Longest wait for one database statement of a write, or for the health check's ping (ms);
   * then the write is answered 503 and the connection dropped. Default 10000. Env
   * `CONVOTEL_DB_TIMEOUT_MS`.
   */
  readonly dbTimeoutMillis: number;
  /**
   * When set, `/v1/*` requests must send `Authorization: Bearer <token>` (else 401).
   * Default unset (no auth). Env `CONVOTEL_INGEST_TOKEN`.
   */
  readonly ingestToken: string | undefined;
  /**
   * Raw rows older than this many days are deleted hourly; hourly rollups are kept.
   * Default unset (keep everything). Env `CONVOTEL_RETENTION_DAYS`.
   */
  readonly retentionDays: number | undefined;
  /**
   * Longest captured content stored (user input, agent output, each text of the messages), in
   * characters; longer is cut and marked as the SDK does. Default 16384, the SDK's default.
   * Env `CONVOTEL_MAX_CONTENT_LENGTH`.
   */
  readonly maxContentLength: number;
  /**
   * Announce each commit's completed turns, errors and changed conversations to the live feed
   * (GET /live) with pg_notify. Off saves the PostgreSQL CPU it costs (about 3.5 µs a span) when
   * no one watches live. Default on. Env `CONVOTEL_LIVE` (`on` or `off`, case-insensitive).
   */
  readonly isLiveEnabled: boolean;
  /** Least severe level logged (JSON lines on stderr). Default `info`. Env `CONVOTEL_LOG_LEVEL`, case-insensitive. */
  readonly logLevel: LogLevel;
}

/** Values of `CONVOTEL_LIVE`. */
export const LIVE_SETTINGS = ['on', 'off'] as const;

const MIB = 1024 * 1024;

/** Half the soft open-file limit (Linux `/proc/self/limits`; 1024 assumed elsewhere), within 64…4096. */
function defaultMaxConnections(): number {
  let limit = 1024;
  try {
    const match = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (match !== null) limit = Number(match[1]);
  } catch {
    // Not Linux: keep the common default.
  }
  return Math.min(4096, Math.max(64, Math.floor(limit / 2)));
}

/** Defaults, also used by tests that override a field or two. */
export const DEFAULT_INGEST_CONFIG: IngestConfig = Object.freeze({
  port: 4318,
  host: '0.0.0.0',
  maxBodyBytes: 16 * MIB,
  maxInflatedBytes: 64 * MIB,
  maxInflightBytes: 128 * MIB,
  maxConnections: defaultMaxConnections(),
  requestTimeoutMillis: 60_000,
  dbTimeoutMillis: 10_000,
  ingestToken: undefined,
  retentionDays: undefined,
  maxContentLength: CONVOTEL_DEFAULT_MAX_CONTENT_LENGTH,
  isLiveEnabled: true,
  logLevel: 'info',
});

/** Largest accepted cap: one Buffer holds the whole inflated body. */
const MAX_CAP_BYTES = 1024 * MIB;

// Empty variables count as unset, so `CONVOTEL_INGEST_TOKEN=` in a compose file means "no token".
const unsetIfEmpty = (value: unknown): unknown => (value === '' ? undefined : value);
const lowerCase = (value: unknown): unknown => (typeof value === 'string' ? unsetIfEmpty(value.toLowerCase()) : value);
const byteCount = z.coerce.number().int().min(1024).max(MAX_CAP_BYTES);
const milliseconds = z.coerce.number().int().min(100).max(3_600_000);

const ingestEnvSchema = z
  .object({
    CONVOTEL_OTLP_PORT: z.preprocess(
      unsetIfEmpty,
      z.coerce.number().int().min(0).max(65535).default(DEFAULT_INGEST_CONFIG.port),
    ),
    CONVOTEL_OTLP_HOST: z.preprocess(unsetIfEmpty, z.string().min(1).default(DEFAULT_INGEST_CONFIG.host)),
    CONVOTEL_MAX_BODY_BYTES: z.preprocess(unsetIfEmpty, byteCount.default(DEFAULT_INGEST_CONFIG.maxBodyBytes)),
    CONVOTEL_MAX_INFLATED_BYTES: z.preprocess(unsetIfEmpty, byteCount.default(DEFAULT_INGEST_CONFIG.maxInflatedBytes)),
    CONVOTEL_MAX_INFLIGHT_BYTES: z.preprocess(unsetIfEmpty, byteCount.default(DEFAULT_INGEST_CONFIG.maxInflightBytes)),
    CONVOTEL_MAX_CONNECTIONS: z.preprocess(
      unsetIfEmpty,
      z.coerce.number().int().min(1).max(1_000_000).default(DEFAULT_INGEST_CONFIG.maxConnections),
    ),
    CONVOTEL_REQUEST_TIMEOUT_MS: z.preprocess(unsetIfEmpty, milliseconds.default(DEFAULT_INGEST_CONFIG.requestTimeoutMillis)),
    CONVOTEL_DB_TIMEOUT_MS: z.preprocess(unsetIfEmpty, milliseconds.default(DEFAULT_INGEST_CONFIG.dbTimeoutMillis)),
    CONVOTEL_INGEST_TOKEN: z.preprocess(unsetIfEmpty, z.string().optional()),
    CONVOTEL_RETENTION_DAYS: z.preprocess(unsetIfEmpty, z.coerce.number().positive().optional()),
    CONVOTEL_MAX_CONTENT_LENGTH: z.preprocess(unsetIfEmpty, z.coerce.number().int().positive().default(DEFAULT_INGEST_CONFIG.maxContentLength)),
    CONVOTEL_LIVE: z.preprocess(lowerCase, z.enum(LIVE_SETTINGS).default(DEFAULT_INGEST_CONFIG.isLiveEnabled ? 'on' : 'off')),
    CONVOTEL_LOG_LEVEL: z.preprocess(lowerCase, z.enum(LOG_LEVELS).default(DEFAULT_INGEST_CONFIG.logLevel)),
  } satisfies Record<IngestEnvVar, z.ZodType>)
  .refine((env) => env.CONVOTEL_MAX_INFLATED_BYTES >= env.CONVOTEL_MAX_BODY_BYTES, {
    path: ['CONVOTEL_MAX_INFLATED_BYTES'],
    message: 'must be at least CONVOTEL_MAX_BODY_BYTES (an uncompressed body is checked against both)',
  })
  .refine((env) => env.CONVOTEL_MAX_INFLIGHT_BYTES >= env.CONVOTEL_MAX_INFLATED_BYTES, {
    path: ['CONVOTEL_MAX_INFLIGHT_BYTES'],
    message: 'must be at least CONVOTEL_MAX_INFLATED_BYTES (one whole body must fit)',
  });

/**
 * Reads the ingest configuration from `env` (normally `process.env`) and returns it frozen.
 * Throws an `Error` listing every invalid variable; the server entry point exits non-zero on it.
 */
export function parseIngestConfig(env: Readonly<Record<string, string | undefined>>): IngestConfig {
  const parsed = ingestEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
    throw new Error(`Invalid ingest configuration:\n${problems.join('\n')}`);
  }
  const values = parsed.data;
  return Object.freeze({
    port: values.CONVOTEL_OTLP_PORT,
    host: values.CONVOTEL_OTLP_HOST,
    maxBodyBytes: values.CONVOTEL_MAX_BODY_BYTES,
    maxInflatedBytes: values.CONVOTEL_MAX_INFLATED_BYTES,
    maxInflightBytes: values.CONVOTEL_MAX_INFLIGHT_BYTES,
    maxConnections: values.CONVOTEL_MAX_CONNECTIONS,
    requestTimeoutMillis: values.CONVOTEL_REQUEST_TIMEOUT_MS,
    dbTimeoutMillis: values.CONVOTEL_DB_TIMEOUT_MS,
    ingestToken: values.CONVOTEL_INGEST_TOKEN,
    retentionDays: values.CONVOTEL_RETENTION_DAYS,
    maxContentLength: values.CONVOTEL_MAX_CONTENT_LENGTH,
    isLiveEnabled: values.CONVOTEL_LIVE === 'on',
    logLevel: values.CONVOTEL_LOG_LEVEL,
  });
}
