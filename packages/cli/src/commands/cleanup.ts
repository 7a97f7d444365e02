import { Command, InvalidArgumentError } from 'commander';
import { cleanup, createStore, parseAgeDays, storeOptionsFromEnv } from '@convotel/store';
import { STORE_HELP } from '../store-help.js';

function parseAge(value: string): number {
  try {
    return parseAgeDays(value);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

/** `convotel cleanup --older-than 30d`: deletes raw rows past the age, keeping hourly rollups. */
export function cleanupCommand(): Command {
  return new Command('cleanup')
    .description('delete raw rows (spans, calls, steps, events, turns, conversations) older than an age; rollups are kept')
    .addHelpText('after', STORE_HELP)
    .requiredOption('--older-than <age>', 'age such as 30d, 12h or 2w', parseAge)
    .option('--json', 'print the result as JSON')
    .action(async (options: { olderThan: number; json?: boolean }) => {
      const store = await createStore(storeOptionsFromEnv());
      try {
        const result = await cleanup(store, options.olderThan);
        if (options.json) {
          console.log(JSON.stringify(result));
          return;
        }
        console.log(`deleted rows older than ${result.before}:`);
        for (const [table, count] of Object.entries(result.deleted)) console.log(`  ${table.padEnd(16)} ${count}`);
      } finally {
        await store.close();
      }
    });
}
