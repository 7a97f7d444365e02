// Zero-code setup: `node --import @convotel/instrumentation/register app.js` (ESM) or
// `node --require @convotel/instrumentation/register app.js` (CommonJS). It does three things:
// installs the ESM loader hook, starts the SDK, and flushes on the way out.
import { diag } from '@opentelemetry/api';
import { register } from 'node:module';
import { init, INSTRUMENTED_MODULES } from './init.js';

try {
  // Intercept only the packages we patch: hooking every module slows startup and risks
  // breaking unusual ESM (OTel doc/esm-support.md). Under --require there is no ESM app to hook,
  // but registering is harmless.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, {
    data: { include: [...INSTRUMENTED_MODULES] },
  });
} catch (err) {
  diag.warn('convotel: ESM loader hook not installed; ESM imports will not be instrumented', err);
}

const handle = init();

let isShuttingDown = false;
function shutdownOnce(): Promise<void> {
  if (isShuttingDown) return Promise.resolve();
  isShuttingDown = true;
  return handle.shutdown();
}

process.once('SIGTERM', () => {
  // Our listener replaced the default "terminate"; exit ourselves only if the app has no handler of its own.
  const hasAppHandler = process.listenerCount('SIGTERM') > 0;
  void shutdownOnce().finally(() => {
    if (!hasAppHandler) process.exit(143);
  });
});
// beforeExit fires when the loop empties, which lets async export finish; exit() would not.
process.once('beforeExit', () => {
  void shutdownOnce();
});
