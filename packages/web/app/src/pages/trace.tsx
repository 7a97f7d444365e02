// `/traces/:trace_id`: one turn alone (what `convotel trace <trace id>` prints), with the same card
// and waterfall as the conversation page, open, then its LLM calls and SQL queries as tables; LLM
// calls of the trace outside any turn listed too.
import type { TraceAnswer } from '@convotel/api';
import { useRoute } from 'preact-iso';
import { useAppConfig } from '../api/app-config.js';
import { useAnswer } from '../api/use-answer.js';
import { AnswerView } from '../components/answer-view.js';
import { PageHeader } from '../components/layout.js';
import { TurnCard } from '../components/turn-card.js';
import { useTimeWindow, windowSearch } from '../window/time-window.js';
import { LlmCallTable, SqlQueryTable } from './conversation/turn-tables.js';
import './conversation/conversation.css';

export function TracePage() {
  const { params } = useRoute();
  const { window } = useTimeWindow();
  const traceId = params['trace_id'] ?? '';
  const state = useAnswer<TraceAnswer>(traceId === '' ? null : `/traces/${encodeURIComponent(traceId)}`);
  const config = useAppConfig();
  const search = windowSearch(window);
  return (
    <>
      <PageHeader title="Trace" hasWindow={false}>
        <code class="trace-id">{traceId}</code>
      </PageHeader>
      <AnswerView state={state}>
        {(answer) => {
          const inTurns = new Set(answer.turns.flatMap((turn) => turn.llm_calls.map((call) => call.span_id)));
          const loose = answer.llm_calls.filter((call) => !inTurns.has(call.span_id));
          return (
            <>
              {answer.truncated && <div class="notice info">This trace has more rows than the API returns at once: some spans are left out.</div>}
              {answer.turns.map((turn) => (
                <div key={turn.turn_id} class="trace-turn">
                  <p class="trace-context">
                    Turn {turn.index === null ? '?' : turn.index + 1} of conversation{' '}
                    <a href={`/conversations/${encodeURIComponent(turn.conversation_id)}${search}`} data-testid="trace-conversation">
                      {turn.conversation_id}
                    </a>
                  </p>
                  <div class="turn-list">
                    <TurnCard turn={turn} isInitiallyOpen grafanaUrl={config.grafana_url} search={search} />
                  </div>
                  <LlmCallTable calls={turn.llm_calls} title="LLM calls" />
                  <SqlQueryTable queries={turn.sql_queries} />
                </div>
              ))}
              <LlmCallTable calls={loose} title="LLM calls of this trace outside any turn" />
            </>
          );
        }}
      </AnswerView>
    </>
  );
}
