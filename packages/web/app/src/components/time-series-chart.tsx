// A time series drawn by uPlot (canvas, ~50 KB): one or more series over the same buckets.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { mountPlot } from './uplot-mount.js';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly color: string;
  /** Draw as bars (counts per bucket) instead of a line. */
  readonly isBars?: boolean;
}

export function TimeSeriesChart({ title, times, series, format, height = 180 }: { title: string; times: readonly number[]; series: readonly Series[]; format?: (value: number) => string; height?: number }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (element === null) return undefined;
    const bars = uPlot.paths.bars?.({ size: [0.8, 40] });
    const options: Omit<uPlot.Options, 'width'> = {
      title,
      height,
      series: [
        {},
        ...series.map((one) => ({
          label: one.label,
          stroke: one.color,
          fill: one.isBars === true ? `${one.color}99` : undefined,
          width: one.isBars === true ? 0 : 2,
          ...(one.isBars === true && bars !== undefined ? { paths: bars } : {}),
          value: (_plot: uPlot, value: number | null) => (value === null ? '—' : format === undefined ? String(value) : format(value)),
        })),
      ],
      axes: [{}, { values: (_plot, ticks) => ticks.map((tick) => (format === undefined ? String(tick) : format(tick))), size: 70 }],
      scales: { x: { time: true } },
      legend: { show: true },
    };
    const data: uPlot.AlignedData = [Float64Array.from(times, (ms) => ms / 1000), ...series.map((one) => one.values.map((value) => value ?? null))];
    return mountPlot(options, data, element);
  }, [title, times, series, format, height]);
  return <div class="chart" ref={container} role="img" aria-label={title} />;
}
