// One served convotel and one browser page per test file: `convotel serve` on a fresh embedded
// store (free ports), the file's traffic sent to its ingest, then Chromium on the web app.
// Registers its own beforeAll/afterAll; read the fields inside tests.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startServe, stopServe, urlIn, type ServeProcess } from '../../../cli/test/helpers/serve-process.js';
import { launchBrowser } from './browser.js';

export interface ServedAppOptions {
  /** Environment of `convotel serve` (CONVOTEL_API_KEYS, CONVOTEL_GRAFANA_URL, …). */
  readonly env?: Record<string, string>;
  /** Sends the file's traffic once the server listens. */
  readonly seed?: (ingestOrigin: string) => Promise<unknown>;
  /** Options of the page (viewport, time zone). Default 1280×900. */
  readonly page?: BrowserContextOptions;
  /** beforeAll's time limit. */
  readonly timeoutMs?: number;
}

export interface ServedApp {
  readonly server: ServeProcess;
  /** The web app's address as serve printed it. */
  readonly webUrl: URL;
  readonly ingestOrigin: string;
  readonly browser: Browser;
  readonly page: Page;
}

/** The server's fields are readable from the seed on (it may ask the API), the browser's once the seed is done. */
export function useServedApp(options: ServedAppOptions = {}): ServedApp {
  let started: Pick<ServedApp, 'server' | 'webUrl' | 'ingestOrigin'> | undefined;
  let opened: Pick<ServedApp, 'browser' | 'page'> | undefined;
  beforeAll(async () => {
    const server = await startServe(['--otlp-port', '0', '--port', '0'], 3, options.env);
    const ingestOrigin = urlIn(server.lines.find((line) => line.startsWith('convotel ingest:'))).origin;
    started = { server, ingestOrigin, webUrl: urlIn(server.lines.find((line) => line.startsWith('convotel web:'))) };
    await options.seed?.(ingestOrigin);
    const browser = await launchBrowser();
    opened = { browser, page: await browser.newPage({ viewport: { width: 1280, height: 900 }, ...options.page }) };
  }, options.timeoutMs ?? 60_000);
  afterAll(async () => {
    await opened?.browser.close();
    if (started !== undefined) await stopServe(started.server);
  });
  const missing = (name: string): never => {
    throw new Error(`the served app's ${name} is read before beforeAll made it`);
  };
  return {
    get server() {
      return started?.server ?? missing('server');
    },
    get webUrl() {
      return started?.webUrl ?? missing('webUrl');
    },
    get ingestOrigin() {
      return started?.ingestOrigin ?? missing('ingestOrigin');
    },
    get browser() {
      return opened?.browser ?? missing('browser');
    },
    get page() {
      return opened?.page ?? missing('page');
    },
  };
}
