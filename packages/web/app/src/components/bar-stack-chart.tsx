// Stacked bars per day (uPlot, canvas): each layer's value on top of the ones below, the legend
// showing each layer's own value. uPlot has no stacking of its own: the layers are drawn as
// cumulative sums, the tallest first, so each shorter one covers the lower part of the last.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { mountPlot } from './uplot-mount.js';
import 'uplot/dist/uPlot.min.css';

export interface StackLayer {
  readonly label: string;
  readonly values: readonly number[];
  readonly color: string;
}

/** `layers` bottom first; `labels` name the bars (days). */
export function BarStackChart({ title, labels, layers, format, height = 220 }: { title: string; labels: readonly string[]; layers: readonly StackLayer[]; format: (value: number) => string; height?: number }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (element === null) return undefined;
    const count = labels.length;
    const cumulative: number[][] = [];
    let running = new Array<number>(count).fill(0);
    for (const layer of layers) {
      running = running.map((sum, index) => sum + (layer.values[index] ?? 0));
      cumulative.push(running);
    }
    // Top layer first in drawing order (and in the legend, as the eye reads the stack).
    const order = layers.map((_, index) => index).reverse();
    const bars = uPlot.paths.bars?.({ size: [0.7, 64], align: 0 });
    const indices = Array.from({ length: count }, (_, index) => index);
    const options: Omit<uPlot.Options, 'width'> = {
      title,
      height,
      series: [
        { label: 'Day', value: (_plot, index: number | null) => (index === null ? '—' : (labels[Math.round(index)] ?? '')) },
        ...order.map((layerIndex) => {
          const layer = layers[layerIndex]!;
          return {
            label: layer.label,
            stroke: layer.color,
            fill: layer.color,
            width: 0,
            ...(bars === undefined ? {} : { paths: bars }),
            points: { show: false },
            value: (_plot: uPlot, _value: number | null, _series: number, index: number | null) => (index === null ? '—' : format(layer.values[index] ?? 0)),
          };
        }),
      ],
      scales: { x: { time: false, range: () => [-0.5, Math.max(0.5, count - 0.5)] }, y: { range: (_plot, _min, max) => [0, max > 0 ? max * 1.08 : 1] } },
      axes: [
        { splits: () => indices, values: (_plot, ticks) => ticks.map((tick) => labels[tick] ?? ''), grid: { show: false } },
        { values: (_plot, ticks) => ticks.map((tick) => format(tick)), size: 70 },
      ],
      legend: { show: true },
      cursor: { points: { show: false } },
      // Until the pointer picks a bar (and once it leaves), the legend reads the latest day.
      hooks: {
        setCursor: [
          (chart) => {
            if (chart.cursor.idx === null && count > 0) chart.setLegend({ idx: count - 1 }, false);
          },
        ],
      },
    };
    const data: uPlot.AlignedData = [indices, ...order.map((layerIndex) => cumulative[layerIndex]!)];
    return mountPlot(options, data, element);
  }, [title, labels, layers, format, height]);
  return <div class="chart" ref={container} role="img" aria-label={title} data-testid="stack-chart" />;
}
