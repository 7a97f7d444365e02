// A long call at a glance (from MIN_TURNS turns): one bar per turn, as tall as its latency, red when it failed, amber
// when slow; a click scrolls to that turn's card. Plain divs: 500 turns are 500 boxes.
import type { TurnAnswer } from '@convotel/api';
import { isFailedStatus, isInterrupted } from '../../components/waterfall-rows.js';
import { formatMillis } from '../../format/units.js';

/** Below this many turns the cards themselves are the overview. */
const MIN_TURNS = 12;

function scrollToTurn(turnId: string): void {
  const card = document.querySelector<HTMLElement>(`[data-testid="turn-card"][data-turn-id="${turnId}"]`);
  card?.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

export function TurnStrip({ turns, slow }: { turns: readonly TurnAnswer[]; slow: ReadonlySet<string> }) {
  const longest = Math.max(1, ...turns.map((turn) => turn.duration_ms ?? 0));
  if (turns.length < MIN_TURNS) return null;
  return (
    <div class="turn-strip" role="group" aria-label="Turn latencies over the call">
      {turns.map((turn) => {
        const kind = isFailedStatus(turn.status) ? 'failed' : slow.has(turn.turn_id) ? 'slow' : 'ok';
        return (
          <button
            key={turn.turn_id}
            type="button"
            class={`turn-strip-bar ${kind}`}
            style={{ height: `${Math.max(6, ((turn.duration_ms ?? 0) / longest) * 100)}%` }}
            title={`Turn ${turn.index === null ? '?' : turn.index + 1}: ${formatMillis(turn.duration_ms)} ${turn.status}${isInterrupted(turn) ? ', interrupted' : ''}`}
            onClick={() => scrollToTurn(turn.turn_id)}
          />
        );
      })}
    </div>
  );
}
