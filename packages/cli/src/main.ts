// The `convotel` command. `serve`, `migrate` and `cleanup` open the store through the ingest
// package; the analytics commands read everything through the API over HTTP. Every failure
// ends as one line on stderr and an exit code of its kind (exit-codes.ts).
import { Command, CommanderError } from 'commander';
import { averagesCommand } from './commands/averages.js';
import { cleanupCommand } from './commands/cleanup.js';
import { compareCommand } from './commands/compare.js';
import { costsCommand } from './commands/costs.js';
import { demoCommand } from './commands/demo.js';
import { errorsCommand } from './commands/errors.js';
import { exportCommand } from './commands/export.js';
import { hourlyCommand } from './commands/hourly.js';
import { latencyCommand } from './commands/latency.js';
import { migrateCommand } from './commands/migrate.js';
import { percentilesCommand } from './commands/percentiles.js';
import { recentCommand } from './commands/recent.js';
import { serveCommand } from './commands/serve.js';
import { slowCommand } from './commands/slow.js';
import { summaryCommand } from './commands/summary.js';
import { tailCommand } from './commands/tail.js';
import { traceCommand } from './commands/trace.js';
import { CliError, EXIT_CODES } from './exit-codes.js';

const program = new Command('convotel')
  .description('Conversation telemetry for LLM chatbots and voice agents')
  .version('0.1.0')
  .showHelpAfterError()
  .addHelpText(
    'after',
    `
Analytics commands read the REST API of a running \`convotel serve\` (--url or CONVOTEL_URL,
default http://127.0.0.1:8080; key: --api-key or CONVOTEL_API_KEY).
Exit codes: 0 ok, 1 failure, 2 bad arguments, 3 server down or unavailable, 4 key refused, 5 not found.`,
  );

const commands = [
  serveCommand(),
  demoCommand(),
  migrateCommand(),
  cleanupCommand(),
  recentCommand(),
  summaryCommand(),
  traceCommand(),
  averagesCommand(),
  slowCommand(),
  errorsCommand(),
  percentilesCommand(),
  latencyCommand(),
  hourlyCommand(),
  costsCommand(),
  compareCommand(),
  exportCommand(),
  tailCommand(),
];
for (const command of commands) program.addCommand(command);
// Usage errors throw instead of exiting with commander's 1, so they get their own code; added
// commands do not inherit this setting, so each gets it.
for (const command of [program, ...commands]) command.exitOverride();

// `convotel recent | head` closes stdout early: that is not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT_CODES.ok);
  throw error;
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // commander printed the message (and help) already; help and --version end with 0.
    process.exitCode = error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.badArguments;
  } else if (error instanceof CliError) {
    console.error(`convotel: ${error.message}`);
    process.exitCode = error.exitCode;
  } else {
    console.error(`convotel: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = EXIT_CODES.failure;
  }
}
