// Grouping and ordering of planned facts, for the expected answers of the analysis routes.

/** Items by key, in first-seen order. */
export function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}

/** Arithmetic mean; null without values. */
export function average(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Code-point order of two keys (an unknown key, null, is the empty string). */
export function compareKeys(a: string | null, b: string | null): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Distinct count. */
export function distinct<T>(values: readonly T[]): number {
  return new Set(values).size;
}
