// Serves a built single-page web app beside the API on the same port: fingerprinted assets with a
// year's cache (the .gz built beside each when the browser takes gzip), index.html (never cached)
// for every other GET that asks for HTML so each page's URL opens directly, and the little the page
// must know about this server. The app holds no data: it reads the API like any client, with its
// key, so serving its files needs none.
import { join } from 'node:path';
import express from 'express';
import expressStaticGzip from 'express-static-gzip';
import { API_PREFIX, HEALTH_PATH, OPENAPI_PATH, READY_PATH } from './paths.js';

/** Where the page learns what it cannot ask the API: Grafana's address, whether the live feed runs. */
export const APP_CONFIG_PATH = '/app-config.json';
/** Fingerprinted files: a changed file has a new name, so the old one may be cached for good. */
const ASSETS_PATH = '/assets';

export interface WebAppOptions {
  /** The built app: index.html and assets/. */
  readonly dir: string;
  /** CONVOTEL_GRAFANA_URL: the page links each turn to its Tempo trace and Loki logs there. */
  readonly grafanaUrl?: string | undefined;
}

/** What `GET /app-config.json` answers. */
export interface AppConfig {
  /** CONVOTEL_GRAFANA_URL, for links to a turn's Tempo trace and Loki logs; null when unset. */
  readonly grafana_url: string | null;
  readonly is_live_enabled: boolean;
}

const RESERVED = [API_PREFIX, OPENAPI_PATH, HEALTH_PATH, READY_PATH];

function isReserved(path: string): boolean {
  return RESERVED.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

export function webAppRouter(options: WebAppOptions, settings: { readonly isLiveDisabled: boolean }): express.Router {
  const router = express.Router();
  const appConfig: AppConfig = { grafana_url: options.grafanaUrl ?? null, is_live_enabled: !settings.isLiveDisabled };
  router.get(APP_CONFIG_PATH, (_req, res) => {
    res.set('Cache-Control', 'no-cache').json(appConfig);
  });
  router.use(
    ASSETS_PATH,
    expressStaticGzip(join(options.dir, 'assets'), {
      enableBrotli: false,
      index: false,
      serveStatic: { immutable: true, maxAge: '365d', fallthrough: true, index: false },
    }),
  );
  const indexFile = join(options.dir, 'index.html');
  router.get(/.*/, (req, res, next) => {
    if (isReserved(req.path) || req.path.startsWith(`${ASSETS_PATH}/`) || !req.accepts('html')) {
      next();
      return;
    }
    res.set('Cache-Control', 'no-cache');
    res.sendFile(indexFile, (error) => {
      if (error !== undefined) next(error);
    });
  });
  return router;
}
