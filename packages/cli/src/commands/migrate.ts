import { Command } from 'commander';
import { createStore, migrate, storeOptionsFromEnv } from '@convotel/store';
import { STORE_HELP } from '../store-help.js';

/** `convotel migrate`: applies pending schema migrations and exits. */
export function migrateCommand(): Command {
  return new Command('migrate')
    .description('apply pending database migrations (DATABASE_URL, else PGlite in CONVOTEL_DATA_DIR)')
    .addHelpText('after', STORE_HELP)
    .action(async () => {
      const store = await createStore({ ...storeOptionsFromEnv(), migrate: false });
      try {
        const result = await migrate(store);
        console.log(JSON.stringify(result));
      } finally {
        await store.close();
      }
    });
}
