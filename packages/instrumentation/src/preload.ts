// What `@convotel/instrumentation/register` does in either module system once it is preloaded:
// starts the SDK and flushes on the way out.
import { init } from './init.js';

/** Starts the SDK from its environment and exports what is left when the process ends. */
export function startPreloaded(): void {
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
}
