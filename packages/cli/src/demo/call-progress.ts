// The demo's progress on stderr: a cli-progress bar of finished calls when stderr is a terminal,
// else (CI, a pipe) one plain line per call, since the bar would draw nothing there.
import cliProgress from 'cli-progress';

export interface CallProgress {
  /** `done` calls finished; `line` is what the agent printed for the last one. */
  update(done: number, line: string): void;
  stop(): void;
}

export function createCallProgress(totalCalls: number): CallProgress {
  if (process.stderr.isTTY !== true) {
    return {
      update: (_done, line) => process.stderr.write(`${line}\n`),
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: 'demo calls [{bar}] {value}/{total} | {duration_formatted} | {last}',
      hideCursor: true,
      fps: 10,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(totalCalls, 0, { last: 'starting the agent and its database…' });
  return {
    update: (done, line) => bar.update(done, { last: line }),
    stop: () => bar.stop(),
  };
}
