// `/llm`: the window's LLM calls grouped by model, provider, call type, function, user, session
// or agent (calls, failures, tokens, cost, latency percentiles, time to first token), and the
// calls themselves below, newest (or slowest, costliest) first, a page at a time.
// URL: ?hours= or ?from=&to=; group_by=; filters model=, provider=, call_type=, function=,
// user=, agent=, status= (both tables); group_limit= (groups a page, default 100); sort=, limit=
// (calls a page, default 50) and cursor= (the call list).
import { useLocation } from 'preact-iso';
import { useMemo } from 'preact/hooks';
import type { LlmAnalysisAnswer, LlmCallAnswer, LlmCallsAnswer } from '@convotel/api';
import type { Query } from '../api/client.js';
import { useAnswer } from '../api/use-answer.js';
import { AnalysisFilters, filterValues, type FilterField } from '../components/analysis-filters.js';
import { AnswerView } from '../components/answer-view.js';
import { DataTable, type Column } from '../components/data-table.js';
import { EmptyState } from '../components/empty-state.js';
import { GroupByChips, groupByOf, type GroupByChoice } from '../components/group-by-chips.js';
import { PageHeader } from '../components/layout.js';
import { formatCount, formatMillis, formatRatio, formatText, formatTime, formatUsd } from '../format/units.js';
import { useTimeWindow, windowQuery, withQuery } from '../window/time-window.js';
import { ApproximateNote } from './analysis/approximate-note.js';
import { MoreButton } from './analysis/more-button.js';
import { useMorePages } from './analysis/use-more-pages.js';
import { GROUPING_CHOICES } from './analysis/groupings.js';
import './analysis/analysis.css';

type GroupBy = LlmAnalysisAnswer['group_by'];
type Group = LlmAnalysisAnswer['items'][number];

const GROUP_BY_CHOICES = GROUPING_CHOICES;

const SORT_CHOICES: readonly GroupByChoice<'recent' | 'slowest' | 'costliest'>[] = [
  { value: 'recent', label: 'Newest' },
  { value: 'slowest', label: 'Slowest' },
  { value: 'costliest', label: 'Costliest' },
];

const ANALYSIS_PATH = '/llm-calls/analysis';
const CALL_LIMIT = 50;
const GROUP_LIMIT = 100;
const MAX_LIMIT = 500;

/** A page size from the URL (`limit=`, `group_limit=`), within the API's bounds. */
function limitOf(raw: string | undefined, fallback: number): number {
  const limit = Number(raw);
  return Number.isInteger(limit) && limit > 0 ? Math.min(limit, MAX_LIMIT) : fallback;
}

function filterFields(models: readonly string[]): FilterField[] {
  return [
    { name: 'model', label: 'Model', suggestions: models },
    { name: 'provider', label: 'Provider' },
    { name: 'call_type', label: 'Call type' },
    { name: 'function', label: 'Function' },
    { name: 'user', label: 'User' },
    { name: 'agent', label: 'Agent' },
    { name: 'status', label: 'Status', options: ['ok', 'error'] },
  ];
}

/** Every grouping is also a filter of the same name: a group's key links to its calls. */
function groupColumns(groupBy: GroupBy, approximate: ReadonlySet<string>, keyHref: (key: string) => string): Column<Group>[] {
  const mark = (field: string, label: string): string => (approximate.has(field) ? `${label} ≈` : label);
  const label = GROUP_BY_CHOICES.find((choice) => choice.value === groupBy)?.label ?? groupBy;
  return [
    {
      label,
      cell: (row) => (row.key === null ? <span class="muted">(none)</span> : <a href={keyHref(row.key)}>{row.key}</a>),
      sortValue: (row) => row.key,
    },
    { label: 'Calls', cell: (row) => formatCount(row.calls), sortValue: (row) => row.calls, isNumeric: true },
    { label: 'Failures', cell: (row) => formatCount(row.errors), sortValue: (row) => row.errors, isNumeric: true },
    { label: 'Error rate', cell: (row) => <span class={row.errors > 0 ? 'status-error' : undefined}>{formatRatio(row.error_rate)}</span>, sortValue: (row) => row.error_rate, isNumeric: true },
    { label: 'Tokens in', cell: (row) => formatCount(row.input_tokens), sortValue: (row) => row.input_tokens, isNumeric: true },
    { label: 'Tokens out', cell: (row) => formatCount(row.output_tokens), sortValue: (row) => row.output_tokens, isNumeric: true },
    { label: 'Cost', cell: (row) => formatUsd(row.cost_usd), sortValue: (row) => row.cost_usd, isNumeric: true },
    { label: 'Mean', cell: (row) => formatMillis(row.avg_latency_ms), sortValue: (row) => row.avg_latency_ms, isNumeric: true },
    { label: mark('p50_latency_ms', 'p50'), cell: (row) => formatMillis(row.p50_latency_ms), sortValue: (row) => row.p50_latency_ms, isNumeric: true },
    { label: mark('p95_latency_ms', 'p95'), cell: (row) => formatMillis(row.p95_latency_ms), sortValue: (row) => row.p95_latency_ms, isNumeric: true },
    { label: 'TTFT', cell: (row) => formatMillis(row.avg_ttft_ms), sortValue: (row) => row.avg_ttft_ms, isNumeric: true },
  ];
}

function GroupTable({ answer, apiQuery }: { answer: LlmAnalysisAnswer; apiQuery: Query }) {
  const { path, query } = useLocation();
  const approximate = useMemo(() => new Set(answer.approximate), [answer]);
  const more = useMorePages<Group>(ANALYSIS_PATH, apiQuery, answer);
  const keyHref = (key: string): string => withQuery(path, query, { [answer.group_by]: key, cursor: undefined });
  return (
    <>
      <div class="table-scroll nowrap" data-testid="llm-groups">
        <DataTable rows={more.items} rowKey={(row) => row.key ?? '(none)'} columns={groupColumns(answer.group_by, approximate, keyHref)} />
      </div>
      <MoreButton more={more} what="groups" />
      <ApproximateNote fields={answer.approximate} />
    </>
  );
}

const CALL_COLUMNS: readonly Column<LlmCallAnswer>[] = [
  { label: 'Started', cell: (row) => formatTime(row.started_at) },
  {
    label: 'Model',
    cell: (row) => (
      <>
        {formatText(row.model)}
        <span class="sub">{formatText(row.provider)}</span>
      </>
    ),
  },
  {
    label: 'Call',
    cell: (row) => (
      <>
        {row.call_type}
        <span class="sub">{formatText(row.function_name)}</span>
      </>
    ),
  },
  {
    label: 'Status',
    cell: (row) =>
      row.status === 'error' ? (
        <>
          <span class="status-error">{formatText(row.error_type) === '—' ? 'error' : row.error_type}</span>
          <span class="error-text" title={row.error_message ?? undefined}>
            {formatText(row.error_message)}
          </span>
        </>
      ) : (
        <span class="status-ok">{row.status}</span>
      ),
  },
  { label: 'Tokens in', cell: (row) => formatCount(row.input_tokens), isNumeric: true },
  { label: 'Tokens out', cell: (row) => formatCount(row.output_tokens), isNumeric: true },
  { label: 'Cost', cell: (row) => formatUsd(row.cost_usd), isNumeric: true },
  { label: 'Duration', cell: (row) => formatMillis(row.duration_ms), isNumeric: true },
  { label: 'TTFT', cell: (row) => formatMillis(row.ttft_ms), isNumeric: true },
  {
    label: 'Conversation',
    cell: (row) => (row.conversation_id === null ? <span class="muted">—</span> : <a href={`/conversations/${encodeURIComponent(row.conversation_id)}`}>{row.conversation_id}</a>),
  },
];

function CallList({ answer }: { answer: LlmCallsAnswer }) {
  const { path, query } = useLocation();
  if (answer.items.length === 0) return <p class="muted">No calls match these filters in this window.</p>;
  return (
    <>
      <div class="table-scroll nowrap" data-testid="llm-calls">
        <DataTable rows={answer.items} rowKey={(row) => `${row.trace_id}/${row.span_id}`} columns={CALL_COLUMNS} rowClass={(row) => (row.status === 'error' ? 'failed' : undefined)} />
      </div>
      <div class="pager">
        {query.cursor !== undefined && <a href={withQuery(path, query, { cursor: undefined })}>« First page</a>}
        {answer.next_cursor !== null && <a href={withQuery(path, query, { cursor: answer.next_cursor })}>Next page »</a>}
      </div>
    </>
  );
}

export function LlmPage() {
  const { window, query } = useTimeWindow();
  const groupBy = groupByOf(query.group_by, GROUP_BY_CHOICES, 'model');
  const sort = groupByOf(query.sort, SORT_CHOICES, 'recent');
  const filters = filterValues(filterFields([]), query);
  const isUnfiltered = Object.keys(filters).length === 0;
  const groupQuery = { ...windowQuery(window), ...filters, group_by: groupBy, limit: limitOf(query.group_limit, GROUP_LIMIT) };
  const groups = useAnswer<LlmAnalysisAnswer>(ANALYSIS_PATH, groupQuery);
  // Model suggestions (and whether the window has calls at all) come from the unfiltered model
  // grouping: the groups above when that is what they are, else one more small question.
  const isGroupsEnough = groupBy === 'model' && isUnfiltered;
  const modelAnswer = useAnswer<LlmAnalysisAnswer>(isGroupsEnough ? null : ANALYSIS_PATH, { ...windowQuery(window), group_by: 'model', limit: GROUP_LIMIT });
  const models = isGroupsEnough ? groups : modelAnswer;
  const fields = filterFields((models.data?.items ?? []).flatMap((item) => (item.key === null ? [] : [item.key])));
  const calls = useAnswer<LlmCallsAnswer>('/llm-calls', { ...windowQuery(window), ...filters, sort, limit: limitOf(query.limit, CALL_LIMIT), cursor: query.cursor });
  const isEmpty = models.status === 'ok' && models.data.items.length === 0;
  return (
    <>
      <PageHeader title="LLM calls" />
      {isEmpty ? (
        <EmptyState what="LLM calls" />
      ) : (
        <>
          <div class="analysis-toolbar">
            <AnalysisFilters fields={fields} />
          </div>
          <div class="panel">
            <div class="panel-head">
              <h2>Calls by {GROUP_BY_CHOICES.find((choice) => choice.value === groupBy)?.label.toLowerCase()}</h2>
              <GroupByChips param="group_by" label="Group by" choices={GROUP_BY_CHOICES} value={groupBy} />
            </div>
            <AnswerView state={groups}>{(answer) => (answer.items.length === 0 ? <p class="muted">No calls match these filters in this window.</p> : <GroupTable answer={answer} apiQuery={groupQuery} />)}</AnswerView>
          </div>
          <div class="panel">
            <div class="panel-head">
              <h2>Calls</h2>
              <GroupByChips param="sort" label="Sort" choices={SORT_CHOICES} value={sort} />
            </div>
            <AnswerView state={calls}>{(answer) => <CallList answer={answer} />}</AnswerView>
          </div>
        </>
      )}
    </>
  );
}
