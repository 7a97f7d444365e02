// The API as an express app: /api/v1 routes from the route list, the OpenAPI document,
// health and readiness, 404 and the error middleware.
import type { Store } from '@convotel/store';
import { createReadDb, type ReadDbOptions } from '@convotel/query';
import express from 'express';
import { createAccessCheck } from './auth.js';
import { createErrorHandler, rejectUnknownRoute } from './error-handler.js';
import { createRouteHandler } from './handle-route.js';
import { createJsonLineLogger, type ApiLogger } from './logger.js';
import { buildOpenApiDocument } from './openapi.js';
import { API_PREFIX, HEALTH_PATH, OPENAPI_PATH, READY_PATH } from './paths.js';
import type { LiveFeed } from './live/live-feed.js';
import type { ApiRoute } from './route.js';
import { ROUTES } from './routes/index.js';
import { webAppRouter, type WebAppOptions } from './web-app.js';
import { API_VERSION } from './version.js';

export interface ApiOptions extends ReadDbOptions {
  /** The store to read (shared with an ingest in the same process, or its own). */
  readonly store: Store;
  /** Keys that may read (CONVOTEL_API_KEYS). Empty or absent: no key needed. */
  readonly apiKeys?: readonly string[];
  /** Key of admin routes (CONVOTEL_ADMIN_KEY). */
  readonly adminKey?: string | undefined;
  /** Default: JSON lines on stderr. */
  readonly logger?: ApiLogger;
  /** The clock that ends default windows. Default: the system clock. */
  readonly now?: () => Date;
  /** Routes to serve. Default: every route of /api/v1. */
  readonly routes?: readonly ApiRoute[];
  /**
   * What `/live` relays. {@link startApi} starts one on the store (and closes it); an app made
   * here without one answers `/live` with 503. Start one with `startLiveFeed(store)`.
   */
  readonly live?: LiveFeed;
  /**
   * The live feed is turned off where this API runs (CONVOTEL_LIVE=off: its ingest announces
   * nothing): `/live` answers 404 `live_disabled`, and {@link startApi} starts no feed.
   */
  readonly isLiveDisabled?: boolean;
  /** A built web app to serve at `/` (`convotel serve` serves `@convotel/web`'s). Default: none. */
  readonly webApp?: WebAppOptions;
}

/** The dashboard REST API as an express app (listen with {@link startApi} or your own server). */
export function createApi(options: ApiOptions): express.Application {
  const logger = options.logger ?? createJsonLineLogger();
  const routes = options.routes ?? ROUTES;
  const db = createReadDb(options.store, options);
  const access = createAccessCheck({ apiKeys: options.apiKeys ?? [], adminKey: options.adminKey });
  const now = options.now ?? (() => new Date());
  const openApi = buildOpenApiDocument(routes, { version: API_VERSION });

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.get(HEALTH_PATH, (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get(READY_PATH, async (_req, res) => {
    try {
      await options.store.ping();
      res.json({ status: 'ready' });
    } catch (error) {
      logger.warn('api: not ready, the database does not answer', { err: error });
      res.status(503).json({ status: 'unavailable', error: { code: 'unavailable', message: 'the database does not answer' } });
    }
  });
  app.get(OPENAPI_PATH, (_req, res) => {
    res.json(openApi);
  });
  const router = express.Router();
  const jsonBody = express.json({ limit: '64kb' });
  for (const route of routes) {
    const handler = createRouteHandler(route, { db, access, now, live: options.live, isLiveDisabled: options.isLiveDisabled ?? false });
    if (route.body === undefined) router[route.method](route.path, handler);
    else router[route.method](route.path, jsonBody, handler);
  }
  app.use(API_PREFIX, router);
  if (options.webApp !== undefined) app.use(webAppRouter(options.webApp, { isLiveDisabled: options.isLiveDisabled ?? false }));
  app.use(rejectUnknownRoute);
  app.use(createErrorHandler(logger));
  return app;
}
