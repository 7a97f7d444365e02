// The rollups count latencies into buckets by LATENCY_BUCKET_BOUNDS_MS; readers (SQL, Grafana)
// find the bounds in the schema's histogram_bounds table. The two must be the same list.
import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKET_BOUNDS_MS } from '../../../src/store/summary/rollups.js';
import { queryRows, STORE_KINDS, useEmptiedStore } from '../../helpers/db.js';

describe.each(STORE_KINDS)('latency buckets (%s)', (kind) => {
  const db = useEmptiedStore(kind);

  it("has the schema's histogram_bounds row for 'latency' equal to the bounds the rollups count by", async () => {
    const [row] = await queryRows<{ bounds_ms: number[] }>(db.store, `SELECT bounds_ms FROM histogram_bounds WHERE name = 'latency'`);
    expect(row?.bounds_ms.map(Number)).toEqual([...LATENCY_BUCKET_BOUNDS_MS]);
  });
});
