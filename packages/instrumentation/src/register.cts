// Zero-code setup for a CommonJS app: `node --require @convotel/instrumentation/register app.cjs`.
// It starts the SDK and flushes on the way out; the clients the app require()s are patched by
// the instrumentations' require hook. It installs no ESM loader hook: Node runs a --require
// preload again on the loader thread that module.register() starts, and there Node 22 fails to
// require() this package's ES modules (ERR_METHOD_NOT_IMPLEMENTED: resolveSync), which ends the
// app before its first line. So a client such an app loads with import() is not patched.
import preload = require('./preload.js');

preload.startPreloaded();
