// The turns of a conversation as cards, with a filter (all, failed, slow, interrupted). Only the
// waterfalls worth seeing first are open (the first turns, failed and slow ones, up to a bound);
// the others open on click, so 500 turns cost 500 light cards and a handful of waterfalls.
import type { TurnAnswer } from '@convotel/api';
import { useMemo, useState } from 'preact/hooks';
import { TurnCard } from '../../components/turn-card.js';
import { isFailedStatus } from '../../components/waterfall-rows.js';
import { formatCount, formatMillis } from '../../format/units.js';

/** Waterfalls open on first paint: the first turns, then failed and slow ones, at most this many. */
const OPEN_FIRST = 3;
const MAX_OPEN = 12;

type TurnFilter = 'all' | 'failed' | 'slow' | 'interrupted';

/** Slow: at least twice the median turn and among the slowest tenth. */
function slowThreshold(turns: readonly TurnAnswer[]): number {
  const durations = turns.map((turn) => turn.duration_ms).filter((ms): ms is number => ms !== null).sort((a, b) => a - b);
  if (durations.length < 2) return Number.POSITIVE_INFINITY;
  const median = durations[Math.floor(durations.length / 2)]!;
  const p90 = durations[Math.min(durations.length - 1, Math.floor(durations.length * 0.9))]!;
  return Math.max(2 * median, p90);
}

export function TurnList({ turns, grafanaUrl, search }: { turns: readonly TurnAnswer[]; grafanaUrl: string | null; search: string }) {
  const [filter, setFilter] = useState<TurnFilter>('all');
  const { slow, open } = useMemo(() => {
    const threshold = slowThreshold(turns);
    const slowIds = new Set(turns.filter((turn) => (turn.duration_ms ?? 0) >= threshold).map((turn) => turn.trace_id));
    const openIds = new Set(turns.slice(0, OPEN_FIRST).map((turn) => turn.trace_id));
    for (const turn of turns) {
      if (openIds.size >= MAX_OPEN) break;
      if (isFailedStatus(turn.status) || slowIds.has(turn.trace_id)) openIds.add(turn.trace_id);
    }
    return { slow: slowIds, open: openIds };
  }, [turns]);
  const counts = {
    all: turns.length,
    failed: turns.filter((turn) => isFailedStatus(turn.status)).length,
    slow: slow.size,
    interrupted: turns.filter((turn) => turn.interrupted).length,
  };
  const shown = turns.filter((turn) =>
    filter === 'all' ? true : filter === 'failed' ? isFailedStatus(turn.status) : filter === 'slow' ? slow.has(turn.trace_id) : turn.interrupted,
  );
  const threshold = slowThreshold(turns);
  return (
    <section>
      <div class="filters" role="group" aria-label="Show turns">
        <h2 class="section-title">Turns</h2>
        {(['all', 'failed', 'slow', 'interrupted'] as const).map((name) => (
          <button key={name} type="button" class={filter === name ? 'chip active' : 'chip'} onClick={() => setFilter(name)} disabled={name !== 'all' && counts[name] === 0}>
            {name} {formatCount(counts[name])}
          </button>
        ))}
        {Number.isFinite(threshold) && <span class="muted">slow: ≥ {formatMillis(threshold)}</span>}
      </div>
      <div class="turn-list">
        {shown.map((turn) => (
          <TurnCard key={turn.turn_id} turn={turn} isInitiallyOpen={open.has(turn.trace_id)} isSlow={slow.has(turn.trace_id)} grafanaUrl={grafanaUrl} search={search} />
        ))}
      </div>
    </section>
  );
}
