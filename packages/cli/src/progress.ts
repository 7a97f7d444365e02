// The export's progress bar on stderr (cli-progress), drawn only when stderr is a terminal.
// With a known row count it is a bar; without one, a running count.
import cliProgress from 'cli-progress';
import { formatBytes } from './format/units.js';

export interface Progress {
  update(rows: number, bytes: number): void;
  stop(): void;
}

export function createProgress(label: string, expectedRows: number | undefined): Progress {
  const hasTotal = expectedRows !== undefined && expectedRows > 0;
  const bar = new cliProgress.SingleBar(
    {
      format: hasTotal
        ? `${label} [{bar}] {percentage}% | {value}/{total} rows | {size} | {duration_formatted}`
        : `${label} | {value} rows | {size} | {duration_formatted}`,
      hideCursor: true,
      // Redrawn at most 10 times a second, however fast rows arrive.
      fps: 10,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  let total = hasTotal ? expectedRows : 0;
  bar.start(total, 0, { size: formatBytes(0) });
  return {
    update: (rows, bytes) => {
      // The estimate was short (rows arrived since it was taken): the bar grows instead of overflowing.
      if (hasTotal && rows > total) {
        total = rows;
        bar.setTotal(total);
      }
      bar.update(rows, { size: formatBytes(bytes) });
    },
    stop: () => bar.stop(),
  };
}
