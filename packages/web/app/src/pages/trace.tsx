// `/traces/:trace_id`: one turn alone (what `convotel trace <trace id>` prints), with the same card
// and waterfall as the conversation page, open; LLM calls of the trace outside any turn listed.
import type { LlmCallAnswer, TraceAnswer } from '@convotel/api';
import { useRoute } from 'preact-iso';
import { useAppConfig } from '../api/app-config.js';
import { useAnswer } from '../api/use-answer.js';
import { AnswerView } from '../components/answer-view.js';
import { DataTable } from '../components/data-table.js';
import { PageHeader } from '../components/layout.js';
import { TurnCard } from '../components/turn-card.js';
import { formatCount, formatMillis, formatText, formatTime, formatUsd } from '../format/units.js';
import { useTimeWindow, windowSearch } from '../window/time-window.js';
import './conversation/conversation.css';

function LooseCalls({ calls }: { calls: readonly LlmCallAnswer[] }) {
  return (
    <section class="panel">
      <h2>LLM calls of this trace outside any turn</h2>
      <DataTable
        rows={calls}
        rowKey={(call) => call.span_id}
        rowClass={(call) => (call.status === 'error' ? 'failed' : undefined)}
        columns={[
          { label: 'Start', cell: (call) => formatTime(call.started_at) },
          { label: 'Model', cell: (call) => formatText(call.model) },
          { label: 'Type', cell: (call) => call.call_type },
          { label: 'Function', cell: (call) => formatText(call.function_name) },
          { label: 'Latency', cell: (call) => formatMillis(call.duration_ms), isNumeric: true },
          { label: 'Tokens', cell: (call) => `${formatCount(call.input_tokens)} → ${formatCount(call.output_tokens)}`, isNumeric: true },
          { label: 'Cost', cell: (call) => formatUsd(call.cost_usd), isNumeric: true },
          { label: 'Status', cell: (call) => (call.status === 'error' ? `${call.error_type ?? 'error'}: ${call.error_message ?? ''}` : call.status) },
        ]}
      />
    </section>
  );
}

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
                <div key={turn.turn_id}>
                  <p class="trace-context">
                    Turn {turn.index === null ? '?' : turn.index + 1} of conversation{' '}
                    <a href={`/conversations/${encodeURIComponent(turn.conversation_id)}${search}`} data-testid="trace-conversation">
                      {turn.conversation_id}
                    </a>
                  </p>
                  <div class="turn-list">
                    <TurnCard turn={turn} isInitiallyOpen grafanaUrl={config.grafana_url} search={search} />
                  </div>
                </div>
              ))}
              {loose.length > 0 && <LooseCalls calls={loose} />}
            </>
          );
        }}
      </AnswerView>
    </>
  );
}
