// Fine log-linear histograms (DDSketch-like) of the rollups: bucket i holds the values in
// (γ^(i-1), γ^i] ms, and its estimate 2·γ^i/(γ+1) lies within α (1%) of every one of them, so a
// percentile read from merged buckets is within 1% of the exact one. The bucket math is spelled
// here once, for the ingest's writes, the read side and the tests; migration 0003 holds the same
// index function in SQL (`convotel_fine_bucket`, for its backfill and for raw rows at query time)
// and the merge (`convotel_fine_histogram_add`); test/fine-histogram.test.ts holds them together.
//
// Stored sparse in two plain SQL arrays (PGlite and managed PostgreSQL have no sketch
// extension): bucket indexes (integer[], ascending) and their counts (bigint[]).

/** Relative accuracy α of a bucket's estimate. */
export const FINE_HISTOGRAM_ACCURACY = 0.01;

/** Ratio γ = (1 + α) / (1 − α) of a bucket's upper bound to its lower bound. */
export const FINE_HISTOGRAM_GAMMA = (1 + FINE_HISTOGRAM_ACCURACY) / (1 - FINE_HISTOGRAM_ACCURACY);

// ln γ; migration 0003 writes the same double (0.020000666706669435).
const LN_GAMMA = Math.log(FINE_HISTOGRAM_GAMMA);

/** Values below this many ms (zero, negative, not finite) count in the zero bucket, estimated as 0. */
export const FINE_HISTOGRAM_MIN_MS = 0.01;

/** Index of the zero bucket: below every other (the smallest, for 0.01 ms, is -230). */
export const FINE_HISTOGRAM_ZERO_BUCKET = -32768;

/** A histogram as stored: ascending bucket indexes and their counts (a delta may hold negative counts). */
export interface FineHistogram {
  readonly indexes: readonly number[];
  readonly counts: readonly number[];
}

/** The histogram with no values. */
export const EMPTY_FINE_HISTOGRAM: FineHistogram = Object.freeze({ indexes: Object.freeze([]), counts: Object.freeze([]) });

/** The bucket of a value in ms: ceil(ln(ms) / ln γ), or the zero bucket below {@link FINE_HISTOGRAM_MIN_MS}. */
export function fineBucketOf(ms: number): number {
  if (!(ms >= FINE_HISTOGRAM_MIN_MS) || ms === Infinity) return FINE_HISTOGRAM_ZERO_BUCKET;
  // `+ 0` turns the -0 of values just below 1 ms into 0.
  return Math.ceil(Math.log(ms) / LN_GAMMA) + 0;
}

/** The value (ms) a bucket stands for: 2·γ^i/(γ+1), within α of every value in the bucket; 0 for the zero bucket. */
export function fineBucketEstimateMs(index: number): number {
  if (index === FINE_HISTOGRAM_ZERO_BUCKET) return 0;
  return (2 * Math.exp(index * LN_GAMMA)) / (FINE_HISTOGRAM_GAMMA + 1);
}

/** Counts by bucket index → a stored histogram (ascending, zero counts left out). */
export function toFineHistogram(counts: ReadonlyMap<number, number>): FineHistogram {
  const indexes = [...counts.keys()].filter((index) => counts.get(index) !== 0).sort((a, b) => a - b);
  return { indexes, counts: indexes.map((index) => counts.get(index) as number) };
}

/** The histogram of some values (ms). */
export function fineHistogramOf(values: Iterable<number>): FineHistogram {
  const counts = new Map<number, number>();
  for (const value of values) {
    const index = fineBucketOf(value);
    counts.set(index, (counts.get(index) ?? 0) + 1);
  }
  return toFineHistogram(counts);
}

/** The sum of histograms, bucket by bucket (what `convotel_fine_histogram_add` does in SQL). */
export function mergeFineHistograms(...histograms: readonly FineHistogram[]): FineHistogram {
  const counts = new Map<number, number>();
  for (const { indexes, counts: of } of histograms) {
    indexes.forEach((index, i) => counts.set(index, (counts.get(index) ?? 0) + (of[i] as number)));
  }
  return toFineHistogram(counts);
}

/** How many values the histogram holds. */
export function fineHistogramTotal(histogram: FineHistogram): number {
  return histogram.counts.reduce((sum, count) => sum + count, 0);
}

/**
 * The `fraction` percentile (0…1) by percentile_cont's rule applied to bucket estimates: the
 * values at ranks floor(r) and ceil(r), r = fraction·(n−1), interpolated linearly. Each is
 * within α of the exact value at its rank, so the result is within α of the exact percentile.
 * Null without values.
 */
export function fineHistogramPercentile(histogram: FineHistogram, fraction: number): number | null {
  const total = fineHistogramTotal(histogram);
  if (total <= 0) return null;
  const rank = Math.min(Math.max(fraction, 0), 1) * (total - 1);
  const lower = Math.floor(rank);
  const low = valueAtRank(histogram, lower);
  const high = rank === lower ? low : valueAtRank(histogram, lower + 1);
  return low + (rank - lower) * (high - low);
}

/** The estimate of the value at 0-based rank `rank` (the first bucket whose running count exceeds it). */
function valueAtRank(histogram: FineHistogram, rank: number): number {
  let seen = 0;
  for (let i = 0; i < histogram.indexes.length; i += 1) {
    seen += histogram.counts[i] as number;
    if (seen > rank) return fineBucketEstimateMs(histogram.indexes[i] as number);
  }
  return fineBucketEstimateMs(histogram.indexes.at(-1) as number);
}

/**
 * Values above `thresholdMs`, counting each bucket by its estimate: exact but for the values of
 * the one bucket that straddles the threshold (within 2% of it), counted whole or not at all.
 */
export function fineHistogramCountAbove(histogram: FineHistogram, thresholdMs: number): number {
  let above = 0;
  histogram.indexes.forEach((index, i) => {
    if (fineBucketEstimateMs(index) > thresholdMs) above += histogram.counts[i] as number;
  });
  return above;
}
