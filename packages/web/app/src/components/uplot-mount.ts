// Draws a uPlot chart into an element and keeps it as wide as the element; returns the cleanup.
import uPlot from 'uplot';

export const MIN_CHART_WIDTH = 280;

export function mountPlot(options: Omit<uPlot.Options, 'width'>, data: uPlot.AlignedData, element: HTMLElement): () => void {
  const width = (): number => Math.max(MIN_CHART_WIDTH, element.clientWidth);
  const plot = new uPlot({ ...options, width: width() }, data, element);
  const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: options.height }));
  resize.observe(element);
  return () => {
    resize.disconnect();
    plot.destroy();
  };
}
