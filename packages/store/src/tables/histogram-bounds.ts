// The bucket bounds of the rollups' latency histograms, for writers (which bucket a duration
// counts in) and readers (percentiles from the buckets). Migration 0001 stores the same list
// in `histogram_bounds` for SQL and Grafana; test/tables.test.ts holds the two together.
import { column, table } from './table.js';

/** `histogram_bounds`: bucket upper bounds by histogram name. */
export const HISTOGRAM_BOUNDS = table(
  'histogram_bounds',
  {
    name: column('name', 'text', 'not null'),
    /** Upper bounds (ms, inclusive); one more bucket counts everything above the last. */
    boundsMs: column('bounds_ms', 'double precision[]', 'not null'),
  },
  ['name'],
);

/** The `histogram_bounds` row of the rollups' `latency_buckets`. */
export const LATENCY_HISTOGRAM = 'latency';

/** Upper bounds (ms, inclusive) of the latency buckets: `latency_buckets` has one more element, for everything above. */
export const LATENCY_BUCKET_BOUNDS_MS = [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 5120, 10240, 20480, 40960, 81920] as const;
