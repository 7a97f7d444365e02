// Fine histograms: percentiles read from them against exact ones for several distributions (heavy
// tails included), and the SQL of migration 0003 (bucket index, merge) against the TypeScript
// math, on both stores.
import { describe, expect, it } from 'vitest';
import {
  FINE_HISTOGRAM_GAMMA,
  FINE_HISTOGRAM_ZERO_BUCKET,
  fineBucketEstimateMs,
  fineBucketOf,
  fineHistogramCountAbove,
  fineHistogramOf,
  fineHistogramPercentile,
  fineHistogramTotal,
  mergeFineHistograms,
  type FineHistogram,
} from '../src/tables/fine-histogram.js';
import { queryRows, STORE_KINDS, useEmptiedStore } from './helpers/db.js';

/** Deterministic PRNG (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const normal = (random: () => number): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** Latency-like distributions (ms), rounded to µs as the store keeps them. */
const DISTRIBUTIONS: Readonly<Record<string, (random: () => number) => number>> = {
  uniform: (random) => 200 + random() * 2800,
  lognormal: (random) => Math.exp(Math.log(800) + 0.6 * normal(random)),
  exponential: (random) => -400 * Math.log(1 - random()),
  // Pareto, α = 1.1: a heavy tail reaching minutes.
  'heavy tail': (random) => 150 / Math.pow(1 - random(), 1 / 1.1),
  bimodal: (random) => (random() < 0.8 ? 300 + 40 * normal(random) : 4000 + 900 * normal(random)),
  // Cache hits near zero beside slow misses, some exactly 0.
  'with zeros': (random) => (random() < 0.1 ? 0 : random() < 0.5 ? random() * 0.5 : 50 + random() * 5000),
};
const FRACTIONS = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

function sample(name: string, count: number, seed: number): number[] {
  const random = seeded(seed);
  const draw = DISTRIBUTIONS[name] as (random: () => number) => number;
  return Array.from({ length: count }, () => Math.max(0, Math.round(draw(random) * 1000) / 1000));
}

/** PostgreSQL's percentile_cont. */
function percentileCont(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = fraction * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return (sorted[lower] as number) + (rank - lower) * ((sorted[upper] as number) - (sorted[lower] as number));
}

/** |estimate − exact| / exact, with an absolute floor of 0.01 ms (the zero bucket). */
function relativeError(estimate: number, exact: number): number {
  return Math.abs(estimate - exact) <= 0.01 ? 0 : Math.abs(estimate - exact) / exact;
}

describe('fine histograms', () => {
  it.each(Object.keys(DISTRIBUTIONS))('reads every percentile of a %s distribution within 1 percent of the exact value', (name) => {
    const values = sample(name, 20_000, 7);
    const histogram = fineHistogramOf(values);
    for (const fraction of FRACTIONS) {
      const estimate = fineHistogramPercentile(histogram, fraction) as number;
      expect(relativeError(estimate, percentileCont(values, fraction)), `p${fraction * 100}`).toBeLessThanOrEqual(0.01 + 1e-12);
    }
  });

  it('keeps the bound when histograms of parts are merged', () => {
    const parts = [sample('heavy tail', 3000, 1), sample('lognormal', 5000, 2), sample('with zeros', 1000, 3)];
    const merged = mergeFineHistograms(...parts.map((part) => fineHistogramOf(part)));
    const all = parts.flat();
    expect(merged).toEqual(fineHistogramOf(all));
    expect(fineHistogramTotal(merged)).toBe(all.length);
    for (const fraction of FRACTIONS) {
      expect(relativeError(fineHistogramPercentile(merged, fraction) as number, percentileCont(all, fraction))).toBeLessThanOrEqual(0.01 + 1e-12);
    }
  });

  it('estimates every value of a bucket within 1%', () => {
    for (const index of [-229, -1, 0, 1, 345, 800]) {
      const upper = Math.pow(FINE_HISTOGRAM_GAMMA, index);
      const estimate = fineBucketEstimateMs(index);
      expect(fineBucketOf(upper * 0.999_999)).toBe(index);
      expect(fineBucketOf((upper / FINE_HISTOGRAM_GAMMA) * 1.000_001)).toBe(index);
      expect(Math.abs(estimate - upper) / upper).toBeLessThanOrEqual(0.01 + 1e-12);
      expect(Math.abs(estimate - upper / FINE_HISTOGRAM_GAMMA) / (upper / FINE_HISTOGRAM_GAMMA)).toBeLessThanOrEqual(0.01 + 1e-12);
    }
  });

  it('counts zero, negative and tiny values in the zero bucket, estimated as 0', () => {
    for (const value of [0, -5, 0.009, Number.NaN, Number.POSITIVE_INFINITY]) expect(fineBucketOf(value)).toBe(FINE_HISTOGRAM_ZERO_BUCKET);
    expect(fineBucketEstimateMs(FINE_HISTOGRAM_ZERO_BUCKET)).toBe(0);
    expect(fineHistogramPercentile(fineHistogramOf([0, 0, 0]), 0.5)).toBe(0);
  });

  it('answers null without values, and drops buckets a delta empties', () => {
    expect(fineHistogramPercentile(fineHistogramOf([]), 0.5)).toBeNull();
    const removed: FineHistogram = { indexes: [fineBucketOf(100)], counts: [-1] };
    expect(mergeFineHistograms(fineHistogramOf([100, 2000]), removed)).toEqual(fineHistogramOf([2000]));
  });

  it('counts values above a threshold exactly but within 2% of it', () => {
    const values = sample('lognormal', 10_000, 5);
    const histogram = fineHistogramOf(values);
    for (const threshold of [300, 800, 1500, 4000]) {
      const exact = values.filter((value) => value > threshold).length;
      const near = values.filter((value) => Math.abs(value - threshold) <= 0.02 * threshold).length;
      expect(Math.abs(fineHistogramCountAbove(histogram, threshold) - exact)).toBeLessThanOrEqual(near);
    }
  });
});

describe.each(STORE_KINDS)('fine histograms in SQL (%s)', (kind) => {
  const db = useEmptiedStore(kind);

  it('puts every value in the bucket the TypeScript math does', async () => {
    const values = [
      ...Object.keys(DISTRIBUTIONS).flatMap((name, i) => sample(name, 2000, 100 + i)),
      ...Array.from({ length: 3000 }, (_, i) => i + 1),
      // Next to bucket bounds (on one, the two logarithms may round apart by an ulp: either bucket is within 1%).
      ...Array.from({ length: 400 }, (_, i) => Math.pow(FINE_HISTOGRAM_GAMMA, i - 229) * (1 + 1e-9)),
      ...Array.from({ length: 400 }, (_, i) => Math.pow(FINE_HISTOGRAM_GAMMA, i - 229) * (1 - 1e-9)),
      0,
      -1,
      0.01,
      0.0099999,
      1e-300,
      1e300,
      Number.MAX_VALUE,
    ];
    const rows = await queryRows<{ bucket: number }>(
      db.store,
      'SELECT convotel_fine_bucket(v) AS bucket FROM unnest($1::float8[]) WITH ORDINALITY AS u(v, i) ORDER BY i',
      [values],
    );
    const differing = values.flatMap((value, i) => (Number(rows[i]?.bucket) === fineBucketOf(value) ? [] : [[value, rows[i]?.bucket, fineBucketOf(value)]]));
    expect(differing).toEqual([]);
    const [special] = await queryRows<Record<string, number | null>>(
      db.store,
      `SELECT convotel_fine_bucket('NaN') AS nan, convotel_fine_bucket('Infinity') AS inf, convotel_fine_bucket(NULL) AS "null"`,
    );
    expect(special).toEqual({ nan: FINE_HISTOGRAM_ZERO_BUCKET, inf: FINE_HISTOGRAM_ZERO_BUCKET, null: null });
  });

  it('merges histograms as the TypeScript math does, dropping emptied buckets', async () => {
    const a = fineHistogramOf(sample('bimodal', 500, 9));
    const b = mergeFineHistograms(fineHistogramOf(sample('heavy tail', 300, 10)), { indexes: [a.indexes[0] as number], counts: [-(a.counts[0] as number)] });
    const [row] = await queryRows<{ bucket_index: number[]; bucket_count: (string | number)[] }>(
      db.store,
      'SELECT * FROM convotel_fine_histogram_add($1::integer[], $2::bigint[], $3::integer[], $4::bigint[])',
      [a.indexes, a.counts, b.indexes, b.counts],
    );
    expect({ indexes: row?.bucket_index, counts: row?.bucket_count.map(Number) }).toEqual(mergeFineHistograms(a, b));
    const [empty] = await queryRows<{ bucket_index: number[] }>(db.store, `SELECT * FROM convotel_fine_histogram_add('{}', '{}', '{}', '{}')`);
    expect(empty?.bucket_index).toEqual([]);
  });

  it.each(Object.keys(DISTRIBUTIONS))('reads percentiles of %s values bucketed in SQL within 2 percent of percentile_cont', async (name) => {
    const values = sample(name, 20_000, 21);
    const [exact] = await queryRows<{ p: number[] }>(
      db.store,
      `SELECT percentile_cont($2::float8[]) WITHIN GROUP (ORDER BY v) AS p FROM unnest($1::float8[]) AS u(v)`,
      [values, FRACTIONS],
    );
    const buckets = await queryRows<{ i: number; n: string | number }>(
      db.store,
      'SELECT convotel_fine_bucket(v) AS i, count(*) AS n FROM unnest($1::float8[]) AS u(v) GROUP BY 1 ORDER BY 1',
      [values],
    );
    const histogram = { indexes: buckets.map((row) => Number(row.i)), counts: buckets.map((row) => Number(row.n)) };
    FRACTIONS.forEach((fraction, i) => {
      const estimate = fineHistogramPercentile(histogram, fraction) as number;
      expect(relativeError(estimate, Number(exact?.p[i])), `p${fraction * 100}`).toBeLessThanOrEqual(0.02);
    });
  });
});
