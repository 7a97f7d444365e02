// API configuration from the environment: one zod schema, parsed once, frozen.
import { DEFAULT_MAX_ROWS, DEFAULT_STATEMENT_TIMEOUT_MILLIS } from '@convotel/query';
import { z } from 'zod';
import { DEFAULT_API_PORT } from './server.js';

/** Environment variables the API reads. */
export type ApiEnvVar =
  | 'CONVOTEL_PORT'
  | 'CONVOTEL_API_HOST'
  | 'CONVOTEL_API_KEYS'
  | 'CONVOTEL_ADMIN_KEY'
  | 'CONVOTEL_API_STATEMENT_TIMEOUT_MS'
  | 'CONVOTEL_API_MAX_ROWS'
  | 'CONVOTEL_GRAFANA_URL';

export interface ApiConfig {
  /** Port. Default 8080. Env `CONVOTEL_PORT`. */
  readonly port: number;
  /** Interface, used only with API keys (else 127.0.0.1). Default unset: 0.0.0.0. Env `CONVOTEL_API_HOST`. */
  readonly host: string | undefined;
  /** Bearer keys that may read; comma-separated. Default none (local only). Env `CONVOTEL_API_KEYS`. */
  readonly apiKeys: readonly string[];
  /** Bearer key of admin routes. Default unset. Env `CONVOTEL_ADMIN_KEY`. */
  readonly adminKey: string | undefined;
  /** Statement timeout of every query, ms. Default 10000. Env `CONVOTEL_API_STATEMENT_TIMEOUT_MS`. */
  readonly statementTimeoutMillis: number;
  /** Row bound of every query. Default 10000. Env `CONVOTEL_API_MAX_ROWS`. */
  readonly maxRows: number;
  /** Grafana's address, for the web app's links to Tempo traces and Loki logs. Default unset. Env `CONVOTEL_GRAFANA_URL`. */
  readonly grafanaUrl: string | undefined;
}

const unsetIfEmpty = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const apiEnvSchema = z.object({
  CONVOTEL_PORT: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).max(65535).default(DEFAULT_API_PORT)),
  CONVOTEL_API_HOST: z.preprocess(unsetIfEmpty, z.string().min(1).optional()),
  CONVOTEL_API_KEYS: z.preprocess(unsetIfEmpty, z.string().optional()),
  CONVOTEL_ADMIN_KEY: z.preprocess(unsetIfEmpty, z.string().min(16, 'must be at least 16 characters').optional()),
  CONVOTEL_API_STATEMENT_TIMEOUT_MS: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(100).max(3_600_000).default(DEFAULT_STATEMENT_TIMEOUT_MILLIS)),
  CONVOTEL_API_MAX_ROWS: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1000).max(10_000_000).default(DEFAULT_MAX_ROWS)),
  CONVOTEL_GRAFANA_URL: z.preprocess(unsetIfEmpty, z.url({ protocol: /^https?$/ }).optional()),
} satisfies Record<ApiEnvVar, z.ZodType>);

/** Reads the API configuration; throws an Error listing every invalid variable. */
export function parseApiConfig(env: Readonly<Record<string, string | undefined>>): ApiConfig {
  const parsed = apiEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
    throw new Error(`Invalid API configuration:\n${problems.join('\n')}`);
  }
  const values = parsed.data;
  const apiKeys = (values.CONVOTEL_API_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
  return Object.freeze({
    port: values.CONVOTEL_PORT,
    host: values.CONVOTEL_API_HOST,
    apiKeys: Object.freeze(apiKeys),
    adminKey: values.CONVOTEL_ADMIN_KEY,
    statementTimeoutMillis: values.CONVOTEL_API_STATEMENT_TIMEOUT_MS,
    maxRows: values.CONVOTEL_API_MAX_ROWS,
    grafanaUrl: values.CONVOTEL_GRAFANA_URL?.replace(/\/+$/, ''),
  });
}
