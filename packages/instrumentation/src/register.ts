// Zero-code setup for an ES module app: `node --import @convotel/instrumentation/register app.js`.
// It installs the ESM loader hook, starts the SDK, and flushes on the way out. A CommonJS app's
// `--require` resolves to register.cts instead.
import { diag } from '@opentelemetry/api';
import { register } from 'node:module';
import { INSTRUMENTED_MODULES } from './init.js';
import { startPreloaded } from './preload.js';

try {
  // Intercept only the packages we patch: hooking every module slows startup and risks
  // breaking unusual ESM (OTel doc/esm-support.md).
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, {
    data: { include: [...INSTRUMENTED_MODULES] },
  });
} catch (err) {
  diag.warn('convotel: ESM loader hook not installed; ESM imports will not be instrumented', err);
}

startPreloaded();
