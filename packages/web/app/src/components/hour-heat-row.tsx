// Conversations started per hour of the day as one row of 24 cells, darker when busier: when
// the agents are busiest reads at a glance.
import { formatCount } from '../format/units.js';

export interface HourCount {
  readonly hour: number;
  readonly count: number;
}

export function HourHeatRow({ hours, title }: { hours: readonly HourCount[]; title: string }) {
  const byHour = new Map(hours.map((entry) => [entry.hour, entry.count]));
  const max = Math.max(1, ...hours.map((entry) => entry.count));
  return (
    <figure class="hour-heat" aria-label={title}>
      <figcaption>{title}</figcaption>
      <div class="hour-cells">
        {Array.from({ length: 24 }, (_, hour) => {
          const count = byHour.get(hour) ?? 0;
          // A floor of 6% keeps an hour with one conversation visible beside a busy one.
          const alpha = count === 0 ? 0 : 0.06 + (0.94 * count) / max;
          return (
            <div key={hour} class="hour-cell" data-hour={hour} title={`${String(hour).padStart(2, '0')}:00 — ${formatCount(count)} conversations`}>
              <span class="hour-fill" style={{ opacity: alpha }} />
              <span class="hour-count">{count === 0 ? '' : formatCount(count)}</span>
            </div>
          );
        })}
      </div>
      <div class="hour-axis">
        {[0, 6, 12, 18].map((hour) => (
          <span key={hour} style={{ left: `${(hour / 24) * 100}%` }}>
            {String(hour).padStart(2, '0')}:00
          </span>
        ))}
      </div>
    </figure>
  );
}
