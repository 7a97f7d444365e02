// Unions of time ranges: a stage (or one model) measured in several pieces is busy over their
// union, so splitting a span in two, or repeating it, changes nothing downstream. Pure.

/** A half-open range [startUs, endUs) of µs, start < end. */
export interface Run {
  readonly startUs: bigint;
  readonly endUs: bigint;
}

/** The union of non-empty ranges as disjoint runs in time order; overlapping or touching ranges merge. */
export function unionOf(ranges: readonly Run[]): Run[] {
  const sorted = [...ranges].sort((a, b) => compareBigints(a.startUs, b.startUs));
  const runs: Run[] = [];
  for (const range of sorted) {
    const last = runs.at(-1);
    if (last !== undefined && range.startUs <= last.endUs) {
      if (range.endUs > last.endUs) runs[runs.length - 1] = { startUs: last.startUs, endUs: range.endUs };
    } else {
      runs.push({ startUs: range.startUs, endUs: range.endUs });
    }
  }
  return runs;
}

/** A range cut to [fromUs, toUs], or undefined when nothing of it is left. */
export function clipRun(range: Run, fromUs: bigint, toUs: bigint): Run | undefined {
  const startUs = range.startUs > fromUs ? range.startUs : fromUs;
  const endUs = range.endUs < toUs ? range.endUs : toUs;
  return endUs > startUs ? { startUs, endUs } : undefined;
}

/** Comparator for bigints (Array.prototype.sort wants a number). */
export function compareBigints(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
