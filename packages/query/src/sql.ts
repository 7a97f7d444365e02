// Parameter numbering and the few SQL fragments every question shares. Values only ever travel
// as `$n` parameters; identifiers come from this package's own constants, never from input.

/** Collects parameter values and hands out their `$n` placeholders in order. */
export class SqlParams {
  readonly values: unknown[] = [];

  /** The placeholder of `value`, cast when `type` is given (`$3::timestamptz`). */
  add(value: unknown, type?: string): string {
    this.values.push(value);
    return type === undefined ? `$${this.values.length}` : `$${this.values.length}::${type}`;
  }
}

/** `WHERE a AND b …`, or nothing without conditions. */
export function whereClause(conditions: readonly string[]): string {
  return conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
}

/** A timestamptz expression as ISO-8601 UTC text with microseconds (exact, unlike a JS Date). */
export function isoText(expression: string): string {
  return `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** `value` as a LIKE pattern that matches it anywhere, its own `%`, `_` and `\` taken literally. */
export function containsPattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
