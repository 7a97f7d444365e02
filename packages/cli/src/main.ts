// The `convotel` command. Each command parses its options, calls the ingest package and
// formats the outcome; nothing here touches the database directly.
import { Command } from 'commander';
import { cleanupCommand } from './commands/cleanup.js';
import { migrateCommand } from './commands/migrate.js';
import { serveCommand } from './commands/serve.js';

const program = new Command('convotel')
  .description('Conversation telemetry for LLM chatbots and voice agents')
  .version('0.1.0')
  .showHelpAfterError();

program.addCommand(serveCommand());
program.addCommand(migrateCommand());
program.addCommand(cleanupCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`convotel: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
