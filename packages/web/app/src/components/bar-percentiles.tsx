// p50 and p95 of each row as horizontal bars on one scale (plain CSS, no chart library): the
// p95 bar behind, the p50 bar inside it, so the gap between them reads as the tail.
import { formatMillis } from '../format/units.js';

export interface PercentileBar {
  readonly label: string;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
}

export function BarPercentiles({ rows, title }: { rows: readonly PercentileBar[]; title: string }) {
  const max = Math.max(1, ...rows.map((row) => row.p95Ms ?? row.p50Ms ?? 0));
  const width = (ms: number | null): string => `${(Math.max(0, ms ?? 0) / max) * 100}%`;
  return (
    <figure class="bar-percentiles" aria-label={title}>
      <figcaption>
        {title}
        <span class="legend">
          <span class="swatch p50" /> p50 <span class="swatch p95" /> p95
        </span>
      </figcaption>
      {rows.map((row) => (
        <div class="bar-row" key={row.label}>
          <span class="bar-label" title={row.label}>
            {row.label}
          </span>
          <span class="bar-track">
            <span class="bar p95" style={{ width: width(row.p95Ms) }} />
            <span class="bar p50" style={{ width: width(row.p50Ms) }} />
          </span>
          <span class="bar-value">
            {formatMillis(row.p50Ms)} · {formatMillis(row.p95Ms)}
          </span>
        </div>
      ))}
    </figure>
  );
}
