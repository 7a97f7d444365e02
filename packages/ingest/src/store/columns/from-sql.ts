// Reading values back: pg returns bigint and numeric as strings, PGlite as number or bigint.

export function readText(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

/** A bigint from a number, bigint or numeric string. */
export function readBigInt(value: unknown): bigint | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  return BigInt(String(value));
}

/** A JS number from an integer column. */
export function readInt(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  return Number(value);
}

/** A finite JS number from a float column. */
export function readFloat(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** A boolean from a boolean column. */
export function readBool(value: unknown): boolean | undefined {
  if (value === null || value === undefined) return undefined;
  return value === true || value === 't' || value === 'true';
}

/** SQL that selects a timestamptz as exact microseconds since the epoch. */
export function micros(column: string, alias = `${column}_us`): string {
  return `(extract(epoch from ${column}) * 1000000)::bigint AS ${alias}`;
}
