// Column values as the drivers return them (pg: bigint and numeric as strings; PGlite: numbers
// or bigints) turned into API units: plain numbers, ISO strings, null.

/** A count, sum or measure as a number; null stays null. */
export function toNumberOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') return Number(value);
  throw new TypeError(`not a number: ${typeof value}`);
}

/** Like {@link toNumberOrNull}, with null (an empty sum) as 0. */
export function toNumber(value: unknown): number {
  return toNumberOrNull(value) ?? 0;
}

/** Text or null. */
export function toText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

/** A jsonb value: pg parses it; PGlite may hand it over as text. */
export function toJson(value: unknown): unknown {
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value ?? null;
}

/** `part / whole`, 0 when there is no whole. */
export function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}
