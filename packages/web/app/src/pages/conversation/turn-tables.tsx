// The LLM calls and SQL queries of one turn as tables (the trace page): what each call cost and
// took, its tokens, time to first token and finish reason; each query's statement, time and rows.
import type { LlmCallAnswer, SqlQueryAnswer } from '@convotel/api';
import { DataTable } from '../../components/data-table.js';
import { formatCount, formatMillis, formatText, formatUsd } from '../../format/units.js';

const statusCell = (row: { status: string; error_type: string | null; error_message: string | null }) =>
  row.status === 'error' ? (
    <span class="status-error" title={row.error_message ?? undefined}>
      {row.error_type ?? 'error'}
    </span>
  ) : (
    <span class="status-ok">{row.status}</span>
  );

export function LlmCallTable({ calls, title }: { calls: readonly LlmCallAnswer[]; title: string }) {
  if (calls.length === 0) return null;
  return (
    <section class="panel">
      <h2>{title}</h2>
      <DataTable
        rows={calls}
        rowKey={(call) => call.span_id}
        rowClass={(call) => (call.status === 'error' ? 'failed' : undefined)}
        columns={[
          { label: 'Model', cell: (call) => `${call.provider ?? ''} ${call.model ?? ''}`.trim() || '—' },
          { label: 'Operation', cell: (call) => `${call.operation} · ${call.call_type}` },
          { label: 'Function', cell: (call) => formatText(call.function_name) },
          { label: 'Latency', cell: (call) => formatMillis(call.duration_ms), sortValue: (call) => call.duration_ms, isNumeric: true },
          { label: 'TTFT', cell: (call) => formatMillis(call.ttft_ms), isNumeric: true },
          { label: 'Tokens in → out', cell: (call) => `${formatCount(call.input_tokens)} → ${formatCount(call.output_tokens)}${call.usage_estimated ? ' (est.)' : ''}`, isNumeric: true },
          { label: 'Cost', cell: (call) => formatUsd(call.cost_usd), sortValue: (call) => call.cost_usd, isNumeric: true },
          { label: 'Finish', cell: (call) => formatText(call.finish_reason) },
          { label: 'Status', cell: statusCell },
        ]}
      />
    </section>
  );
}

export function SqlQueryTable({ queries }: { queries: readonly SqlQueryAnswer[] }) {
  if (queries.length === 0) return null;
  return (
    <section class="panel">
      <h2>SQL queries</h2>
      <DataTable
        rows={queries}
        rowKey={(query) => query.span_id}
        rowClass={(query) => (query.status === 'error' ? 'failed' : undefined)}
        columns={[
          { label: 'Statement', cell: (query) => <code>{query.statement ?? query.operation ?? '—'}</code> },
          { label: 'System', cell: (query) => `${query.system}${query.db_name === null ? '' : ` · ${query.db_name}`}` },
          { label: 'Time', cell: (query) => formatMillis(query.duration_ms), sortValue: (query) => query.duration_ms, isNumeric: true },
          { label: 'Rows', cell: (query) => formatCount(query.returned_rows), isNumeric: true },
          { label: 'Status', cell: statusCell },
        ]}
      />
    </section>
  );
}
