// Log lines of the API: one JSON object per line on stderr, like the ingest's.

export interface ApiLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const LEVEL_NUMBERS = { info: 30, warn: 40, error: 50 } as const;

function toJsonField(value: unknown): unknown {
  if (value instanceof Error) return { type: value.name, message: value.message, stack: value.stack, code: (value as { code?: unknown }).code };
  return value;
}

/** JSON lines on stderr (pino's field names: level, time, msg). */
export function createJsonLineLogger(write: (line: string) => void = (line) => process.stderr.write(line)): ApiLogger {
  const log = (level: keyof typeof LEVEL_NUMBERS) => (message: string, fields: Record<string, unknown> = {}) => {
    const entry: Record<string, unknown> = { level: LEVEL_NUMBERS[level], time: Date.now(), msg: message };
    for (const [key, value] of Object.entries(fields)) entry[key] = toJsonField(value);
    write(`${JSON.stringify(entry)}\n`);
  };
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

/** Logs nothing (tests). */
export const SILENT_LOGGER: ApiLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
