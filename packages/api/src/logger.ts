// Log lines of the API: one JSON object per line on stderr, like the ingest's.

export interface ApiLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const LEVEL_NUMBERS = { info: 30, warn: 40, error: 50 } as const;

/** Least severe level logged, pino's names (the ingest's CONVOTEL_LOG_LEVEL); `silent` logs nothing. */
export type ApiLogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const THRESHOLDS: Readonly<Record<ApiLogLevel, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

function toJsonField(value: unknown): unknown {
  if (value instanceof Error) return { type: value.name, message: value.message, stack: value.stack, code: (value as { code?: unknown }).code };
  return value;
}

/** JSON lines on stderr (pino's field names: level, time, msg), from `level` (default info) up. */
export function createJsonLineLogger(
  options: { readonly level?: ApiLogLevel; readonly write?: (line: string) => void } = {},
): ApiLogger {
  const threshold = THRESHOLDS[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const log = (level: keyof typeof LEVEL_NUMBERS) => (message: string, fields: Record<string, unknown> = {}) => {
    if (LEVEL_NUMBERS[level] < threshold) return;
    const entry: Record<string, unknown> = { level: LEVEL_NUMBERS[level], time: Date.now(), msg: message };
    for (const [key, value] of Object.entries(fields)) entry[key] = toJsonField(value);
    write(`${JSON.stringify(entry)}\n`);
  };
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

/** Logs nothing (tests). */
export const SILENT_LOGGER: ApiLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
