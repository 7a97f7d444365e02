// Ingest configuration: one zod schema over the environment, parsed once at startup, frozen.
import { z } from 'zod';

/** Environment variables the ingest reads (a typed union, so a typo is a compile error). */
export type IngestEnvVar =
  | 'CONVOTEL_OTLP_PORT'
  | 'CONVOTEL_OTLP_HOST'
  | 'CONVOTEL_MAX_BODY_BYTES'
  | 'CONVOTEL_MAX_INFLATED_BYTES'
  | 'CONVOTEL_INGEST_TOKEN'
  | 'CONVOTEL_RETENTION_DAYS'
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
   * When set, `/v1/*` requests must send `Authorization: Bearer <token>` (else 401).
   * Default unset (no auth). Env `CONVOTEL_INGEST_TOKEN`.
   */
  readonly ingestToken: string | undefined;
  /**
   * Raw rows older than this many days are deleted hourly; hourly rollups are kept.
   * Default unset (keep everything). Env `CONVOTEL_RETENTION_DAYS`.
   */
  readonly retentionDays: number | undefined;
  /** Least severe level logged (JSON lines on stderr). Default `info`. Env `CONVOTEL_LOG_LEVEL`, case-insensitive. */
  readonly logLevel: LogLevel;
}

const MIB = 1024 * 1024;

/** Defaults, also used by tests that override a field or two. */
export const DEFAULT_INGEST_CONFIG: IngestConfig = Object.freeze({
  port: 4318,
  host: '0.0.0.0',
  maxBodyBytes: 16 * MIB,
  maxInflatedBytes: 64 * MIB,
  ingestToken: undefined,
  retentionDays: undefined,
  logLevel: 'info',
});

/** Largest accepted cap: one Buffer holds the whole inflated body. */
const MAX_CAP_BYTES = 1024 * MIB;

// Empty variables count as unset, so `CONVOTEL_INGEST_TOKEN=` in a compose file means "no token".
const unsetIfEmpty = (value: unknown): unknown => (value === '' ? undefined : value);
const byteCount = z.coerce.number().int().min(1024).max(MAX_CAP_BYTES);

const ingestEnvSchema = z
  .object({
    CONVOTEL_OTLP_PORT: z.preprocess(
      unsetIfEmpty,
      z.coerce.number().int().min(0).max(65535).default(DEFAULT_INGEST_CONFIG.port),
    ),
    CONVOTEL_OTLP_HOST: z.preprocess(unsetIfEmpty, z.string().min(1).default(DEFAULT_INGEST_CONFIG.host)),
    CONVOTEL_MAX_BODY_BYTES: z.preprocess(unsetIfEmpty, byteCount.default(DEFAULT_INGEST_CONFIG.maxBodyBytes)),
    CONVOTEL_MAX_INFLATED_BYTES: z.preprocess(unsetIfEmpty, byteCount.default(DEFAULT_INGEST_CONFIG.maxInflatedBytes)),
    CONVOTEL_INGEST_TOKEN: z.preprocess(unsetIfEmpty, z.string().optional()),
    CONVOTEL_RETENTION_DAYS: z.preprocess(unsetIfEmpty, z.coerce.number().positive().optional()),
    CONVOTEL_LOG_LEVEL: z.preprocess(
      (value) => (typeof value === 'string' ? unsetIfEmpty(value.toLowerCase()) : value),
      z.enum(LOG_LEVELS).default(DEFAULT_INGEST_CONFIG.logLevel),
    ),
  } satisfies Record<IngestEnvVar, z.ZodType>)
  .refine((env) => env.CONVOTEL_MAX_INFLATED_BYTES >= env.CONVOTEL_MAX_BODY_BYTES, {
    path: ['CONVOTEL_MAX_INFLATED_BYTES'],
    message: 'must be at least CONVOTEL_MAX_BODY_BYTES (an uncompressed body is checked against both)',
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
    ingestToken: values.CONVOTEL_INGEST_TOKEN,
    retentionDays: values.CONVOTEL_RETENTION_DAYS,
    logLevel: values.CONVOTEL_LOG_LEVEL,
  });
}
