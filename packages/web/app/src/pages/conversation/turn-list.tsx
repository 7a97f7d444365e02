// The turns of a conversation as cards, with a filter (all, failed, slow, interrupted). Only the
// waterfalls worth seeing first are open (the first turns, failed and slow ones, up to a bound);
// the others open on click, so 500 turns cost 500 light cards and a handful of waterfalls. Cards
// past the first screenful are added in batches, one task each, so the page answers input meanwhile.
import type { TurnAnswer } from '@convotel/api';
import { Component } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { TurnCard } from '../../components/turn-card.js';
import { isFailedStatus, isInterrupted } from '../../components/waterfall-rows.js';
import { formatCount, formatMillis } from '../../format/units.js';
import { TurnStrip } from './turn-strip.js';

/** Waterfalls open on first paint: the first turns, then failed and slow ones, at most this many. */
const OPEN_FIRST = 3;
const MAX_OPEN = 12;
/** Cards in the first render, then per later batch. */
const FIRST_BATCH = 30;
const LATER_BATCH = 60;

/** How many of `total` batches to render: one more per macrotask until all are. */
function useProgressiveCount(total: number): number {
  const [count, setCount] = useState(1);
  useEffect(() => {
    if (count >= total) return undefined;
    const timer = setTimeout(() => setCount((shown) => Math.min(total, shown + 1)), 0);
    return () => clearTimeout(timer);
  }, [count, total]);
  return count;
}

type TurnFilter = 'all' | 'failed' | 'slow' | 'interrupted';

/** A turn quicker than this is never called slow, whatever its neighbours. */
const MIN_SLOW_MILLIS = 100;

/** Slow: at least twice the median turn, among the slowest tenth, and at least MIN_SLOW_MILLIS. */
function slowThreshold(turns: readonly TurnAnswer[]): number {
  const durations = turns.map((turn) => turn.duration_ms).filter((ms): ms is number => ms !== null).sort((a, b) => a - b);
  if (durations.length < 2) return Number.POSITIVE_INFINITY;
  const median = durations[Math.floor(durations.length / 2)]!;
  const p90 = durations[Math.min(durations.length - 1, Math.floor(durations.length * 0.9))]!;
  return Math.max(2 * median, p90, MIN_SLOW_MILLIS);
}

interface BatchProps {
  readonly turns: readonly TurnAnswer[];
  readonly open: ReadonlySet<string>;
  readonly slow: ReadonlySet<string>;
  readonly grafanaUrl: string | null;
  readonly search: string;
}

/** A batch of cards, left alone when the list grows by another batch (no re-render of its cards). */
class TurnBatch extends Component<BatchProps> {
  override shouldComponentUpdate(next: BatchProps): boolean {
    const props = this.props;
    return next.turns !== props.turns || next.open !== props.open || next.slow !== props.slow || next.grafanaUrl !== props.grafanaUrl || next.search !== props.search;
  }

  override render() {
    const { turns, open, slow, grafanaUrl, search } = this.props;
    return turns.map((turn) => <TurnCard key={turn.turn_id} turn={turn} isInitiallyOpen={open.has(turn.turn_id)} isSlow={slow.has(turn.turn_id)} grafanaUrl={grafanaUrl} search={search} />);
  }
}

export function TurnList({ turns, grafanaUrl, search }: { turns: readonly TurnAnswer[]; grafanaUrl: string | null; search: string }) {
  const [filter, setFilter] = useState<TurnFilter>('all');
  const { slow, open } = useMemo(() => {
    const threshold = slowThreshold(turns);
    const slowIds = new Set(turns.filter((turn) => (turn.duration_ms ?? 0) >= threshold).map((turn) => turn.turn_id));
    const openIds = new Set(turns.slice(0, OPEN_FIRST).map((turn) => turn.turn_id));
    for (const turn of turns) {
      if (openIds.size >= MAX_OPEN) break;
      if (isFailedStatus(turn.status) || slowIds.has(turn.turn_id)) openIds.add(turn.turn_id);
    }
    return { slow: slowIds, open: openIds };
  }, [turns]);
  const counts = {
    all: turns.length,
    failed: turns.filter((turn) => isFailedStatus(turn.status)).length,
    slow: slow.size,
    interrupted: turns.filter(isInterrupted).length,
  };
  const shown = useMemo(
    () => turns.filter((turn) => (filter === 'all' ? true : filter === 'failed' ? isFailedStatus(turn.status) : filter === 'slow' ? slow.has(turn.turn_id) : isInterrupted(turn))),
    [turns, filter, slow],
  );
  // Stable batches: [first batch, then LATER_BATCH each], sliced once per filter.
  const batches = useMemo(() => {
    const list: TurnAnswer[][] = [shown.slice(0, FIRST_BATCH)];
    for (let start = FIRST_BATCH; start < shown.length; start += LATER_BATCH) list.push(shown.slice(start, start + LATER_BATCH));
    return list;
  }, [shown]);
  const threshold = slowThreshold(turns);
  const count = useProgressiveCount(batches.length);
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
        <span class="legend" aria-label="Colours of the waterfall">
          {(['stt', 'llm', 'tts', 'tool', 'sql', 'other'] as const).map((kind) => (
            <span key={kind}>
              <span class={`wf-swatch kind-${kind}`} /> {kind}
            </span>
          ))}
        </span>
      </div>
      <TurnStrip turns={turns} slow={slow} />
      <div class="turn-list">
        {batches.slice(0, count).map((batch, index) => (
          <TurnBatch key={`${filter}-${index}`} turns={batch} open={open} slow={slow} grafanaUrl={grafanaUrl} search={search} />
        ))}
      </div>
    </section>
  );
}
