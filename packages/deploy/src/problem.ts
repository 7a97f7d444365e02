// What every offline check returns: a list of problems, empty when the file passes.

/** One thing wrong in a deployment file. `rule` is stable (tests match on it); `message` says where and why. */
export interface Problem {
  readonly rule: string;
  readonly message: string;
}

/** A parsed YAML or JSON value, walked without trusting its shape. */
export type Parsed = unknown;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

export function asStringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
