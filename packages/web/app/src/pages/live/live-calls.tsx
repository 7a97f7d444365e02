// The calls in progress (and those that just ended), each with its turns as they arrive.
import { formatCount, formatMillis, formatUsd, formatText } from '../../format/units.js';
import type { LiveCall, LiveTurn } from './live-state.js';
import { conversationHref, formatClock, traceHref } from './live-format.js';

/** Turns shown per call; the conversation page has them all. */
const TURNS_SHOWN = 12;

function TurnRow({ turn }: { turn: LiveTurn }) {
  const isFailed = turn.status === 'error';
  return (
    <tr class={isFailed ? 'failed' : undefined} data-testid="live-turn" data-conversation={turn.conversation_id} data-index={turn.turn_index ?? ''} data-trace={turn.trace_id}>
      <td class="num">
        <a href={traceHref(turn.trace_id)} title="Open the turn's trace">
          #{turn.turn_index ?? '?'}
        </a>
      </td>
      <td>{formatClock(turn.ended_at ?? turn.started_at)}</td>
      <td class="num">{formatMillis(turn.duration_ms)}</td>
      <td class="num">{formatMillis(turn.perceived_latency_ms)}</td>
      <td class="num">{formatUsd(turn.cost_usd)}</td>
      <td>
        <span class={isFailed ? 'status-error' : 'status-ok'}>{turn.status}</span>
        {turn.interrupted && <span class="live-tag">interrupted</span>}
        {isFailed && (
          <div class="live-error-message" data-testid="live-turn-error">
            {[turn.error_type, turn.error_message].filter((part) => part !== null && part !== '').join(': ') || 'failed'}
          </div>
        )}
      </td>
    </tr>
  );
}

function CallCard({ call }: { call: LiveCall }) {
  const isOver = call.ended_at !== null;
  const shown = [...call.turns].reverse().slice(0, TURNS_SHOWN);
  const hidden = call.turn_count - shown.length;
  const failed = call.turns.filter((turn) => turn.status === 'error').length;
  return (
    <article class={`live-call${isOver ? ' over' : ''}${failed > 0 || call.errors > 0 ? ' has-errors' : ''}`} data-testid="live-call" data-conversation={call.conversation_id}>
      <header>
        <span class={`live-dot ${isOver ? 'ended' : 'on'}`} aria-hidden="true" />
        <a class="live-call-id" href={conversationHref(call.conversation_id)}>
          {call.conversation_id}
        </a>
        <span class="muted">{[call.agent_name, call.service_name, call.channel].filter((part) => part !== null).join(' · ')}</span>
        <span class="live-call-figures">
          <span>{formatCount(call.turn_count)} turns</span>
          <span>{formatUsd(call.cost_usd > 0 ? call.cost_usd : call.turns.reduce((sum, turn) => sum + turn.cost_usd, 0))}</span>
          {Math.max(call.errors, failed) > 0 && <span class="status-error">{formatCount(Math.max(call.errors, failed))} failed</span>}
          <span class="muted">
            {isOver ? `ended ${formatClock(call.ended_at)} (${formatText(call.end_reason ?? call.status)})` : `since ${formatClock(call.started_at)}`}
          </span>
        </span>
      </header>
      {shown.length === 0 ? (
        <p class="muted live-call-empty">No turn received yet.</p>
      ) : (
        <table class="data-table live-turns">
          <thead>
            <tr>
              <th class="num">Turn</th>
              <th>Ended</th>
              <th class="num">Duration</th>
              <th class="num">Perceived</th>
              <th class="num">Cost</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((turn) => (
              <TurnRow key={turn.trace_id} turn={turn} />
            ))}
          </tbody>
        </table>
      )}
      {hidden > 0 && (
        <a class="live-more" href={conversationHref(call.conversation_id)}>
          {formatCount(hidden)} earlier turn{hidden === 1 ? '' : 's'} on the conversation page →
        </a>
      )}
    </article>
  );
}

export function LiveCalls({ active, ended }: { active: readonly LiveCall[]; ended: readonly LiveCall[] }) {
  return (
    <>
      <section class="panel" aria-labelledby="live-active-title">
        <h2 id="live-active-title">
          Calls in progress <span class="muted">({formatCount(active.length)})</span>
        </h2>
        {active.length === 0 ? (
          <p class="muted">No call in progress right now. A call appears here with its first turn.</p>
        ) : (
          <div class="live-calls">
            {active.map((call) => (
              <CallCard key={call.conversation_id} call={call} />
            ))}
          </div>
        )}
      </section>
      {ended.length > 0 && (
        <section class="panel" aria-labelledby="live-ended-title">
          <h2 id="live-ended-title">Just ended</h2>
          <div class="live-calls">
            {ended.map((call) => (
              <CallCard key={call.conversation_id} call={call} />
            ))}
          </div>
        </section>
      )}
    </>
  );
}
