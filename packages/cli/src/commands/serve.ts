import { Command, InvalidArgumentError } from 'commander';
import { serveIngest } from '@convotel/ingest';
import { STORE_HELP } from '../store-help.js';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('expected a port number, 0–65535');
  return port;
}

/** `convotel serve`: the OTLP/HTTP ingest on :4318, storing into DATABASE_URL or an embedded PGlite. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('receive OTLP/HTTP on /v1/traces and /v1/logs and store it (DATABASE_URL, else PGlite in CONVOTEL_DATA_DIR)')
    .addHelpText('after', STORE_HELP)
    .option('--otlp-port <port>', 'OTLP/HTTP port (env CONVOTEL_OTLP_PORT, default 4318)', parsePort)
    .action(async (options: { otlpPort?: number }) => {
      const running = await serveIngest({ overrides: options.otlpPort === undefined ? {} : { port: options.otlpPort } });
      // The ingest itself logs JSON on stderr; this line is for the person at the terminal.
      console.log(`convotel ingest listening on :${running.port} (store: ${running.storeKind}), metrics on :${running.port}/metrics`);
      let isStopping = false;
      const stop = (signal: NodeJS.Signals): void => {
        if (isStopping) return;
        isStopping = true;
        console.log(`convotel ingest: ${signal}, draining`);
        running.close().then(
          () => process.exit(0),
          (error: unknown) => {
            console.error('convotel ingest: shutdown failed', error);
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}
