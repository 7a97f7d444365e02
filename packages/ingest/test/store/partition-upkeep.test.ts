// The ingest keeps the coming weeks' partitions made whether or not retention runs.
import { listPartitions, PARTITIONED_TABLES } from '@convotel/store';
import { describe, expect, it, vi } from 'vitest';
import { openTestStore } from '../../../store/test/helpers/db.js';
import { startPartitionUpkeep } from '../../src/store/partition-upkeep.js';

const WEEK_MS = 7 * 86_400_000;

describe('partition upkeep', () => {
  it('makes, now and then on its timer, the weekly partitions of every raw table up to four weeks after its clock', async () => {
    const db = await openTestStore('pglite');
    let clock = Date.now() + 10 * WEEK_MS;
    const errors: unknown[] = [];
    const upkeep = startPartitionUpkeep(db.store, (error) => errors.push(error), { intervalMillis: 50, now: () => new Date(clock) });
    const latestWeekEnd = async (): Promise<number> => {
      const ends = await Promise.all(
        PARTITIONED_TABLES.map(async ([table]) => {
          const partitions = await db.store.withClient((client) => listPartitions(client, table));
          return Math.max(...partitions.map((partition) => partition.to?.getTime() ?? 0));
        }),
      );
      return Math.min(...ends);
    };
    try {
      upkeep.runNow();
      await vi.waitFor(async () => expect(await latestWeekEnd()).toBeGreaterThan(clock + 4 * WEEK_MS - WEEK_MS), { timeout: 10_000 });
      // Weeks later, the timer alone makes the new ones.
      clock += 8 * WEEK_MS;
      await vi.waitFor(async () => expect(await latestWeekEnd()).toBeGreaterThan(clock + 4 * WEEK_MS - WEEK_MS), { timeout: 10_000 });
      expect(errors).toEqual([]);
    } finally {
      upkeep.stop();
      await db.close();
    }
  });
});
