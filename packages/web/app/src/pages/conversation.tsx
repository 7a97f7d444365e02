// `/conversations/:conversation_id`: the call as a thread. Its head (who, agent, channel, status,
// duration, cost split, metadata), then every turn: the words of both sides, latency, perceived
// latency, cost, status, and a waterfall of its steps, LLM calls and SQL queries with the
// bottleneck marked; events outside any turn at the end.
import type { ConversationDetailAnswer, EventAnswer } from '@convotel/api';
import { useRoute } from 'preact-iso';
import { useState } from 'preact/hooks';
import { useAppConfig } from '../api/app-config.js';
import { useAnswer } from '../api/use-answer.js';
import { AnswerView } from '../components/answer-view.js';
import { PageHeader } from '../components/layout.js';
import { formatTime } from '../format/units.js';
import { useTimeWindow, windowSearch } from '../window/time-window.js';
import { ConversationHeader } from './conversation/conversation-header.js';
import { TurnList } from './conversation/turn-list.js';
import './conversation/conversation.css';

function LooseEvents({ answer }: { answer: ConversationDetailAnswer }) {
  const turnTraces = new Set(answer.turns.map((turn) => turn.trace_id));
  const loose = answer.events.filter((event: EventAnswer) => event.trace_id === null || !turnTraces.has(event.trace_id));
  if (loose.length === 0) return null;
  return (
    <section class="panel">
      <h2>Events outside any turn</h2>
      <ul class="wf-event-list">
        {loose.map((event) => (
          <li key={event.event_id}>
            <span class="muted">{formatTime(event.time)}</span> <span class={`sev severity-${(event.severity_text ?? 'info').toLowerCase()}`}>{event.severity_text ?? 'INFO'}</span> <strong>{event.name ?? 'event'}</strong>
            {event.component !== null && <span class="muted"> · {event.component}</span>}
            {event.message !== null && <span>: {event.message}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ConversationPage() {
  const { params } = useRoute();
  const { window } = useTimeWindow();
  const id = params['conversation_id'] ?? '';
  const [refresh, setRefresh] = useState(0);
  const state = useAnswer<ConversationDetailAnswer>(id === '' ? null : `/conversations/${encodeURIComponent(id)}`, {}, refresh);
  const isActive = state.data?.conversation.status === 'active';
  const config = useAppConfig();
  const search = windowSearch(window);
  return (
    <>
      <PageHeader title={`Conversation ${id}`} hasWindow={false}>
        {isActive && (
          <button type="button" class="chip" onClick={() => setRefresh(refresh + 1)} title="The call is still going: fetch its latest turns">
            Refresh
          </button>
        )}
        <a href={`/conversations${search}`}>← All conversations</a>
      </PageHeader>
      <AnswerView state={state}>
        {(answer) => (
          <>
            {answer.truncated && <div class="notice info">This conversation has more rows than the API returns at once (CONVOTEL_API_MAX_ROWS): some turns or spans are left out.</div>}
            <ConversationHeader conversation={answer.conversation} listSearch={search} />
            {answer.turns.length === 0 ? <p class="empty-state">No turn of this conversation has arrived yet.</p> : <TurnList turns={answer.turns} grafanaUrl={config.grafana_url} search={search} />}
            <LooseEvents answer={answer} />
          </>
        )}
      </AnswerView>
    </>
  );
}
