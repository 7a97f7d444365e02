// A `convotel serve --only ingest` child process of a benchmark: ready once it printed its
// address, stopped with SIGTERM (SIGKILL after 30 s).
import { once } from 'node:events';

/** Resolves once `child` printed `convotel ingest:` on stdout; rejects if it exits or takes 30 s. */
export async function untilIngestListens(child) {
  let output = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ingest did not start: ${output}`)), 30_000);
    child.stdout.on('data', (data) => {
      output += data;
      if (output.includes('convotel ingest:')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`ingest exited with ${code}: ${output}`)));
  });
}

export async function stopIngestProcess(child) {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await once(child, 'exit');
  clearTimeout(timer);
}
