// The read side as it runs: a real ingest and a real API on one store (PostgreSQL database or
// PGlite), fed by the real SDK over OTLP/HTTP with planned traffic.
import { init, type InstrumentationOptions } from '@convotel/instrumentation';
import { serveIngest, type RunningIngest } from '@convotel/ingest';
import { afterAll, beforeAll } from 'vitest';
import { SILENT_LOGGER, startApi, type RunningApi, type StartApiOptions } from '../../src/index.js';
import { ManualClock } from './clock.js';
import { openTestStore, type StoreKind, type TestStore } from './databases.js';
import { planTraffic, playTraffic, type PlannedConversation } from './traffic.js';

export const API_KEY = 'test-api-key-0123456789';
export const ADMIN_KEY = 'test-admin-key-0123456789';
const HOUR_MS = 3_600_000;

export interface ReadSide {
  readonly kind: StoreKind;
  readonly testStore: TestStore;
  readonly ingest: RunningIngest;
  readonly api: RunningApi;
  readonly plan: readonly PlannedConversation[];
  /** The "now" the plan was made for (whole seconds). */
  readonly nowMs: number;
  /** A from/to window holding every planned conversation. */
  readonly everything: { readonly from: string; readonly to: string };
  /** GET on the API with the key; `query` values are sent as given. */
  get(path: string, query?: Record<string, string | number>, headers?: Record<string, string>): Promise<{ status: number; body: unknown }>;
}

export interface ReadSideOptions {
  readonly seed?: number;
  readonly conversations?: number;
  /** Changes the planned traffic before it is played (texts a test needs, sizes). */
  readonly adjustPlan?: (plan: PlannedConversation[]) => PlannedConversation[];
  /** SDK options over the defaults below. */
  readonly sdk?: Partial<InstrumentationOptions>;
  /** API options over the defaults below. */
  readonly api?: Partial<StartApiOptions>;
  /** Another plan than planTraffic's (conversations in start order); `everything` is then the 48 hours before now still. */
  readonly plan?: (nowMs: number) => PlannedConversation[];
  /**
   * Other traffic than a plan of conversations (voice calls with markers): played instead of
   * the plan (which is then empty) with the clock installed at `startMs(nowMs)`.
   */
  readonly play?: { readonly startMs: (nowMs: number) => number; readonly run: (clock: ManualClock, nowMs: number) => Promise<void> };
}

/**
 * Opens a `kind` store, starts ingest and API on it, and plays planned traffic through the SDK
 * (conversations spread over the 46 hours before now), for the tests of one file.
 */
export function useReadSide(kind: StoreKind, options: ReadSideOptions = {}): ReadSide {
  let opened: ReadSide | undefined;
  beforeAll(async () => {
    const testStore = await openTestStore(kind);
    const ingest = await serveIngest({
      store: testStore.store,
      env: { CONVOTEL_OTLP_PORT: '0', CONVOTEL_OTLP_HOST: '127.0.0.1', CONVOTEL_LOG_LEVEL: 'silent' },
    });
    const api = await startApi({ store: testStore.store, port: 0, host: '127.0.0.1', apiKeys: [API_KEY], adminKey: ADMIN_KEY, logger: SILENT_LOGGER, ...options.api });
    const nowMs = Math.floor(Date.now() / 1000) * 1000;
    const planned =
      options.play !== undefined
        ? []
        : (options.plan?.(nowMs) ?? planTraffic({ seed: options.seed ?? 11, count: options.conversations ?? 40, fromMs: nowMs - 47 * HOUR_MS, toMs: nowMs - 1 * HOUR_MS }));
    const plan = options.adjustPlan?.(planned) ?? planned;
    const sdk = init({
      serviceName: 'read-side-test',
      endpoint: `http://127.0.0.1:${ingest.port}`,
      captureContent: true,
      http: false,
      pg: false,
      openai: false,
      anthropic: false,
      scheduledDelayMillis: 100,
      ...options.sdk,
    });
    const clock = new ManualClock();
    clock.install(options.play?.startMs(nowMs) ?? plan[0]!.startMs);
    try {
      if (options.play !== undefined) await options.play.run(clock, nowMs);
      else await playTraffic(clock, plan);
    } finally {
      clock.uninstall();
    }
    // Resolves once the ingest answered, i.e. committed, every export.
    await sdk.shutdown();
    const base = `http://127.0.0.1:${api.port}`;
    opened = {
      kind,
      testStore,
      ingest,
      api,
      plan,
      nowMs,
      everything: { from: new Date(nowMs - 48 * HOUR_MS).toISOString(), to: new Date(nowMs).toISOString() },
      get: async (path, query = {}, headers = { authorization: `Bearer ${API_KEY}` }) => {
        const url = new URL(path, base);
        for (const [key, value] of Object.entries(query)) url.searchParams.set(key, String(value));
        const response = await fetch(url, { headers });
        const text = await response.text();
        return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
      },
    };
  }, 120_000);
  afterAll(async () => {
    await opened?.api.close();
    await opened?.ingest.close();
    await opened?.testStore.close();
  });
  const current = (): ReadSide => {
    if (opened === undefined) throw new Error('the read side is not started yet');
    return opened;
  };
  return {
    get kind() {
      return kind;
    },
    get testStore() {
      return current().testStore;
    },
    get ingest() {
      return current().ingest;
    },
    get api() {
      return current().api;
    },
    get plan() {
      return current().plan;
    },
    get nowMs() {
      return current().nowMs;
    },
    get everything() {
      return current().everything;
    },
    get: (path, query, headers) => current().get(path, query, headers),
  };
}
