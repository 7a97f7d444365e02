// Makes the coming weeks' partitions of the raw tables on a timer, whether or not retention runs
// (retention makes them too): without it a server would, four weeks after its last upgrade, put
// every new row in the default partition.
import { ensurePartitions, type Store } from '@convotel/store';

/** Four times a day: a week ahead always exists long before it is needed. */
export const PARTITION_UPKEEP_INTERVAL_MILLIS = 6 * 3_600_000;

export interface PartitionUpkeep {
  /** Runs once now (the server calls it once the database is migrated). */
  runNow(): void;
  stop(): void;
}

export function startPartitionUpkeep(
  store: Store,
  onError: (error: unknown) => void,
  options: { readonly intervalMillis?: number; readonly now?: () => Date } = {},
): PartitionUpkeep {
  const now = options.now ?? (() => new Date());
  const run = (): void => {
    store.withClient((client) => ensurePartitions(client, now())).catch(onError);
  };
  const timer = setInterval(run, options.intervalMillis ?? PARTITION_UPKEEP_INTERVAL_MILLIS);
  timer.unref();
  return { runNow: run, stop: () => clearInterval(timer) };
}
