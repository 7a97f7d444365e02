import { Command, InvalidArgumentError, Option } from 'commander';
import { parseIngestConfig, serveIngest, type RunningIngest } from '@convotel/ingest';
import { createStore, migrate, storeOptionsFromEnv } from '@convotel/store';
import { API_PREFIX, OPENAPI_PATH, createJsonLineLogger, parseApiConfig, startApi, type RunningApi } from '@convotel/api';
import { WEB_APP_DIR, isWebAppBuilt } from '@convotel/web';
import { STORE_HELP } from '../store-help.js';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('expected a port number, 0–65535');
  return port;
}

interface ServeFlags {
  readonly otlpPort?: number;
  readonly port?: number;
  readonly only?: 'ingest' | 'api';
  /** False with `--no-live`. */
  readonly live: boolean;
}

/** A URL a person can open for a server bound to `host` (any interface → localhost). */
function urlOf(host: string, port: number, path = ''): string {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${shown}:${port}${path}`;
}

/**
 * `convotel serve`: the OTLP/HTTP ingest (:4318) and the REST API (:8080) in one process on one
 * store (DATABASE_URL, else embedded PGlite); `--only ingest|api` runs one of them.
 */
export function serveCommand(): Command {
  return new Command('serve')
    .description(
      'receive OTLP/HTTP on /v1/traces and /v1/logs, serve the REST API on /api/v1 and the web app at /, on one store (DATABASE_URL, else PGlite in CONVOTEL_DATA_DIR)',
    )
    .addHelpText('after', STORE_HELP)
    .option('--otlp-port <port>', 'OTLP/HTTP port (env CONVOTEL_OTLP_PORT, default 4318)', parsePort)
    .option('--port <port>', 'API port (env CONVOTEL_PORT, default 8080)', parsePort)
    .option('--no-live', 'turn the live feed off: commits are not announced, GET /live answers 404 live_disabled (env CONVOTEL_LIVE=off)')
    .addOption(new Option('--only <part>', 'run only the ingest or only the API (replicas on one PostgreSQL)').choices(['ingest', 'api']))
    .action(async (flags: ServeFlags) => {
      const env = process.env;
      // Both configurations are checked before anything opens or listens.
      const ingestConfig = {
        ...parseIngestConfig(env),
        ...(flags.otlpPort === undefined ? {} : { port: flags.otlpPort }),
        ...(flags.live ? {} : { isLiveEnabled: false }),
      };
      const apiConfig = { ...parseApiConfig(env), ...(flags.port === undefined ? {} : { port: flags.port }) };
      // Sessions named for what this process runs, so pg_stat_activity (and bench/ingest) tells an ingest's from an API's.
      const applicationName = flags.only === undefined ? 'convotel' : `convotel-${flags.only}`;
      const store = await createStore({ ...storeOptionsFromEnv(env), migrate: false, postgres: { writeTimeoutMillis: ingestConfig.dbTimeoutMillis, applicationName } });
      // Built by `npm install` / `npm run build`; without it the API serves alone.
      const webApp = isWebAppBuilt() ? { dir: WEB_APP_DIR, grafanaUrl: apiConfig.grafanaUrl } : undefined;
      let ingest: RunningIngest | undefined;
      let api: RunningApi | undefined;
      const stopAll = async (): Promise<void> => {
        await api?.close();
        await ingest?.close();
        await store.close();
      };
      try {
        if (flags.only !== 'api') {
          ingest = await serveIngest({ store, overrides: { port: ingestConfig.port, isLiveEnabled: ingestConfig.isLiveEnabled } });
        } else {
          // The ingest migrates as it starts (and retries while the database is away); an API on its own migrates once.
          await migrate(store);
        }
        if (flags.only !== 'ingest') {
          api = await startApi({
            store,
            port: apiConfig.port,
            ...(apiConfig.host === undefined ? {} : { host: apiConfig.host }),
            logger: createJsonLineLogger({ level: ingestConfig.logLevel }),
            apiKeys: apiConfig.apiKeys,
            adminKey: apiConfig.adminKey,
            statementTimeoutMillis: apiConfig.statementTimeoutMillis,
            maxRows: apiConfig.maxRows,
            // One setting for the process: an API on its own (--only api) beside ingests run with it off answers the same.
            isLiveDisabled: !ingestConfig.isLiveEnabled,
            ...(webApp === undefined ? {} : { webApp }),
          });
        }
      } catch (error) {
        await stopAll().catch(() => undefined);
        throw error;
      }
      // The servers log JSON on stderr; these lines are for the person at the terminal.
      if (ingest !== undefined) {
        console.log(`convotel ingest: ${urlOf(ingestConfig.host, ingest.port)} (OTLP/HTTP /v1/traces, /v1/logs; metrics /metrics), store: ${store.kind}`);
      }
      if (api !== undefined) {
        const access = api.isOpen ? 'no API key configured (CONVOTEL_API_KEYS): local clients only' : 'Bearer key required';
        console.log(`convotel api: ${urlOf(api.host, api.port, API_PREFIX)} (OpenAPI ${urlOf(api.host, api.port, OPENAPI_PATH)}), ${access}`);
        console.log(
          webApp !== undefined ? `convotel web: ${urlOf(api.host, api.port, '/')}` : 'convotel web: not built (run `npm run build`); the API serves without it',
        );
      }
      let isStopping = false;
      const stop = (signal: NodeJS.Signals): void => {
        if (isStopping) return;
        isStopping = true;
        console.log(`convotel: ${signal}, draining`);
        stopAll().then(
          () => process.exit(0),
          (error: unknown) => {
            console.error('convotel: shutdown failed', error);
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}
