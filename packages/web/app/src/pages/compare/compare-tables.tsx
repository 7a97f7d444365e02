// The comparison itself: turn durations before and after, then every step's, each change colored
// (shorter is better) and marked ≈ where the API read it from rollup histograms.
import type { CompareAnswer } from '@convotel/api';
import { formatCount, formatMillis } from '../../format/units.js';

type Comparison = CompareAnswer['turns'];
type StepComparison = CompareAnswer['steps'][number];
type Figure = 'avg' | 'p50' | 'p95';

/** Changes within ±1 % read as no change. */
const NEUTRAL_PCT = 1;

const FIELD: Readonly<Record<Figure, 'avg_ms' | 'p50_ms' | 'p95_ms'>> = { avg: 'avg_ms', p50: 'p50_ms', p95: 'p95_ms' };

/** better / worse / same for a duration change (shorter is better). */
export function verdictOf(deltaMs: number | null, deltaPct: number | null): 'better' | 'worse' | 'same' | 'unknown' {
  if (deltaMs === null) return 'unknown';
  if (deltaPct !== null ? Math.abs(deltaPct) < NEUTRAL_PCT : deltaMs === 0) return 'same';
  return deltaMs < 0 ? 'better' : 'worse';
}

export function formatDeltaMs(ms: number | null): string {
  if (ms === null) return '—';
  if (ms === 0) return '±0 ms';
  return `${ms > 0 ? '+' : '−'}${formatMillis(Math.abs(ms))}`;
}

export function formatDeltaPct(pct: number | null): string {
  if (pct === null) return '—';
  return `${pct > 0 ? '+' : pct < 0 ? '−' : '±'}${Math.abs(pct).toFixed(1)}%`;
}

function Delta({ comparison, figure }: { comparison: Comparison; figure: Figure }) {
  const ms = comparison.delta_ms[figure];
  const pct = comparison.delta_pct[figure];
  const verdict = verdictOf(ms, pct);
  return (
    <td class={`num delta ${verdict}`} data-testid={`delta-${figure}`} title={verdict === 'unknown' ? 'One side has no value' : verdict}>
      {formatDeltaMs(ms)}
      {pct !== null && <span class="delta-pct"> ({formatDeltaPct(pct)})</span>}
    </td>
  );
}

export function TurnComparison({ answer }: { answer: CompareAnswer }) {
  const approximate = new Set(answer.approximate);
  const value = (side: 'before' | 'after', figure: Figure) => {
    const field = FIELD[figure];
    const mark = approximate.has(`turns.${side}.${field}`) ? '≈ ' : '';
    return `${mark}${formatMillis(answer.turns[side][field])}`;
  };
  const countDelta = answer.turns.after.count - answer.turns.before.count;
  return (
    <table class="data-table compare-table" data-testid="compare-turns">
      <thead>
        <tr>
          <th>Turns</th>
          <th class="num">Before</th>
          <th class="num">After</th>
          <th class="num">Change</th>
        </tr>
      </thead>
      <tbody>
        <tr data-testid="compare-turns-count">
          <td>Count</td>
          <td class="num" data-testid="before">
            {formatCount(answer.turns.before.count)}
          </td>
          <td class="num" data-testid="after">
            {formatCount(answer.turns.after.count)}
          </td>
          <td class="num delta count">{`${countDelta > 0 ? '+' : countDelta < 0 ? '−' : '±'}${formatCount(Math.abs(countDelta))}`}</td>
        </tr>
        {(['avg', 'p50', 'p95'] as const).map((figure) => (
          <tr key={figure} data-testid={`compare-turns-${figure}`}>
            <td>{figure === 'avg' ? 'Average duration' : `${figure} duration`}</td>
            <td class="num" data-testid="before">
              {value('before', figure)}
            </td>
            <td class="num" data-testid="after">
              {value('after', figure)}
            </td>
            <Delta comparison={answer.turns} figure={figure} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function StepComparisonTable({ steps, approximate }: { steps: readonly StepComparison[]; approximate: readonly string[] }) {
  const marked = new Set(approximate);
  const cell = (row: StepComparison, side: 'before' | 'after', figure: Figure) => (
    <td class="num" data-testid={`${side}-${figure}`}>
      {marked.has(`steps.${side}.${FIELD[figure]}`) && figure !== 'avg' ? '≈ ' : ''}
      {formatMillis(row[side][FIELD[figure]])}
    </td>
  );
  return (
    <table class="data-table compare-table compare-steps" data-testid="compare-steps">
      <thead>
        <tr>
          <th rowSpan={2}>Step</th>
          <th class="num" colSpan={2}>
            Count
          </th>
          <th class="num group" colSpan={3}>
            Average
          </th>
          <th class="num group" colSpan={3}>
            p50
          </th>
          <th class="num group" colSpan={3}>
            p95
          </th>
        </tr>
        <tr>
          <th class="num">before</th>
          <th class="num">after</th>
          {(['avg', 'p50', 'p95'] as const).map((figure) => [
            <th key={`${figure}-b`} class="num group">
              before
            </th>,
            <th key={`${figure}-a`} class="num">
              after
            </th>,
            <th key={`${figure}-d`} class="num">
              change
            </th>,
          ])}
        </tr>
      </thead>
      <tbody>
        {steps.map((row) => (
          <tr key={row.step} data-testid={`compare-step-${row.step}`}>
            <td>
              <span class={`step-swatch step-${row.step}`} aria-hidden="true" />
              {row.step}
            </td>
            <td class="num" data-testid="before-count">
              {formatCount(row.before.count)}
            </td>
            <td class="num" data-testid="after-count">
              {formatCount(row.after.count)}
            </td>
            {(['avg', 'p50', 'p95'] as const).map((figure) => [cell(row, 'before', figure), cell(row, 'after', figure), <Delta key={`${figure}-d`} comparison={row} figure={figure} />])}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
