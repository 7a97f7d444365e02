// What a batch adds to (or takes from) a rollup, gathered by rollup key before one upsert: a
// measure object per key, and fine histogram deltas. Pure.
import { fineBucketOf, toFineHistogram, type FineHistogram } from '@convotel/store';
import type { Micros } from '../../normalize/units/time.js';

/** A rollup row's key: its time bucket and its other key columns, in key order. */
export interface RollupEntry<K extends Record<string, string>, M> {
  readonly time: Micros;
  readonly key: K;
  readonly measures: M;
}

/** Measures of a batch by rollup key; `entries()` in key order, the lock order of the upsert. */
export class RollupDeltas<K extends Record<string, string>, M> {
  readonly #byKey = new Map<string, RollupEntry<K, M>>();
  readonly #empty: () => M;

  constructor(empty: () => M) {
    this.#empty = empty;
  }

  /** The measures of a key, created empty on first use (mutated in place by the caller). */
  measuresOf(time: Micros, key: K): M {
    // NUL never occurs in stored text (normalization strips it), so it separates the parts.
    let id = String(time);
    for (const part of Object.values(key)) id += `\u0000${part}`;
    let entry = this.#byKey.get(id);
    if (entry === undefined) this.#byKey.set(id, (entry = { time, key, measures: this.#empty() }));
    return entry.measures;
  }

  entries(): RollupEntry<K, M>[] {
    return [...this.#byKey.values()].sort(compareEntries);
  }

  get size(): number {
    return this.#byKey.size;
  }
}

function compareEntries<K extends Record<string, string>>(a: { time: Micros; key: K }, b: { time: Micros; key: K }): number {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  const left = Object.values(a.key);
  const right = Object.values(b.key);
  for (let i = 0; i < left.length; i += 1) {
    const x = left[i] as string;
    const y = right[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Counts added to (and taken from) the buckets of a fine histogram. */
export class FineHistogramDelta {
  readonly #counts = new Map<number, number>();

  /** Counts a value in ms (sign 1) or takes it out (sign -1). */
  add(ms: number, sign: 1 | -1): void {
    const bucket = fineBucketOf(ms);
    this.#counts.set(bucket, (this.#counts.get(bucket) ?? 0) + sign);
  }

  /** The delta as stored: ascending buckets, those that net to zero left out. */
  toHistogram(): FineHistogram {
    return toFineHistogram(this.#counts);
  }
}
