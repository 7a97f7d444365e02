// The running list of what the feed brought, newest first; errors stand out with their message.
import type { LiveEventRow } from './live-state.js';
import { conversationHref, formatClock, traceHref } from './live-format.js';

export function LiveEvents({ events }: { events: readonly LiveEventRow[] }) {
  return (
    <section class="panel live-events" aria-labelledby="live-events-title">
      <h2 id="live-events-title">Recent events</h2>
      {events.length === 0 ? (
        <p class="muted">Nothing yet: turns, errors and call starts and ends show here as the ingest commits them.</p>
      ) : (
        <ol class="live-event-list">
          {events.map((event) => (
            <li key={event.key} class={`live-event ${event.type}${event.isError ? ' is-error' : ''}`} data-testid="live-event" data-type={event.type}>
              <span class="live-event-time">{formatClock(event.at)}</span>
              <span class="live-event-type">{event.type}</span>
              <span class="live-event-body">
                {event.conversation_id !== null && <a href={conversationHref(event.conversation_id)}>{event.conversation_id}</a>} {event.summary}
                {event.trace_id !== null && (
                  <>
                    {' '}
                    <a class="muted" href={traceHref(event.trace_id)}>
                      trace
                    </a>
                  </>
                )}
                {event.message !== null && <span class="live-error-message">{event.message}</span>}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
