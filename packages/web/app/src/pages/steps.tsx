// `/steps`: where a turn's time goes, step by step — count, failures and latency percentiles of
// each step name in the window, p50/p95 as bars, and the hours of the day the agents are busiest.
// URL: ?hours= or ?from=&to=, and agent=, service=, channel= filters.
import { useMemo } from 'preact/hooks';
import type { BusiestHoursAnswer, StepStatsAnswer, StepStatsItemAnswer } from '@convotel/api';
import { useAnswer } from '../api/use-answer.js';
import { AnalysisFilters, filterValues, type FilterField } from '../components/analysis-filters.js';
import { AnswerView } from '../components/answer-view.js';
import { BarPercentiles } from '../components/bar-percentiles.js';
import { DataTable, type Column } from '../components/data-table.js';
import { EmptyState } from '../components/empty-state.js';
import { HourHeatRow } from '../components/hour-heat-row.js';
import { PageHeader } from '../components/layout.js';
import { formatCount, formatMillis, formatRatio } from '../format/units.js';
import { useTimeWindow, windowQuery } from '../window/time-window.js';
import { ApproximateNote } from './analysis/approximate-note.js';
import './analysis/analysis.css';

const FILTERS: readonly FilterField[] = [
  { name: 'agent', label: 'Agent' },
  { name: 'service', label: 'Service' },
  { name: 'channel', label: 'Channel', suggestions: ['voice', 'chat'] },
];

/** Step names are few; one page holds them all in practice. */
const STEP_LIMIT = 200;

function stepColumns(approximate: ReadonlySet<string>, totalMs: number): Column<StepStatsItemAnswer>[] {
  const pct = (field: 'p50_ms' | 'p95_ms' | 'p99_ms', label: string): Column<StepStatsItemAnswer> => ({
    label: approximate.has(field) ? `${label} ≈` : label,
    cell: (row) => formatMillis(row[field]),
    sortValue: (row) => row[field],
    isNumeric: true,
  });
  return [
    { label: 'Step', cell: (row) => row.step, sortValue: (row) => row.step },
    { label: 'Count', cell: (row) => formatCount(row.count), sortValue: (row) => row.count, isNumeric: true },
    { label: 'Failures', cell: (row) => formatCount(row.failures), sortValue: (row) => row.failures, isNumeric: true },
    { label: 'Error rate', cell: (row) => <span class={row.failures > 0 ? 'status-error' : undefined}>{formatRatio(row.error_rate)}</span>, sortValue: (row) => row.error_rate, isNumeric: true },
    pct('p50_ms', 'p50'),
    pct('p95_ms', 'p95'),
    pct('p99_ms', 'p99'),
    { label: 'Mean', cell: (row) => formatMillis(row.avg_ms), sortValue: (row) => row.avg_ms, isNumeric: true },
    { label: 'Max', cell: (row) => formatMillis(row.max_ms), sortValue: (row) => row.max_ms, isNumeric: true },
    // Steps nest (a tool inside an LLM step), so the shares are of all step time, not of turn time.
    {
      label: 'Total time',
      cell: (row) => (
        <span class="share">
          {formatMillis(row.total_ms)}
          <span class="share-bar" title={`${formatRatio(totalMs > 0 ? row.total_ms / totalMs : null)} of all step time`}>
            <span style={{ width: `${totalMs > 0 ? (row.total_ms / totalMs) * 100 : 0}%` }} />
          </span>
        </span>
      ),
      sortValue: (row) => row.total_ms,
      isNumeric: true,
    },
  ];
}

function StepTable({ answer, query }: { answer: StepStatsAnswer; query: Record<string, string | number> }) {
  const approximate = useMemo(() => new Set(answer.approximate), [answer]);
  const totalMs = answer.items.reduce((sum, row) => sum + row.total_ms, 0);
  const bars = answer.items.map((row) => ({ label: row.step, p50Ms: row.p50_ms, p95Ms: row.p95_ms }));
  return (
    <>
      <div class="panel">
        <div class="panel-head">
          <h2>Steps</h2>
          <span class="muted">most total time first</span>
        </div>
        <div class="table-scroll" data-testid="step-table">
          <DataTable rows={answer.items} rowKey={(row) => row.step} columns={stepColumns(approximate, totalMs)} rowClass={(row) => (row.failures > 0 ? 'failed' : undefined)} />
        </div>
        {answer.next_cursor !== null && <p class="muted">Only the first {STEP_LIMIT} step names are shown.</p>}
        <ApproximateNote fields={answer.approximate} />
      </div>
      <div class="analysis-grid">
        <div class="panel">
          <BarPercentiles title="Latency per step" rows={bars} />
        </div>
        <BusiestHours query={query} />
      </div>
    </>
  );
}

function BusiestHours({ query }: { query: Record<string, string | number> }) {
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const state = useAnswer<BusiestHoursAnswer>('/busiest-hours', { ...query, tz });
  return (
    <div class="panel">
      <AnswerView state={state}>
        {(answer) => <HourHeatRow title={`Conversations started per hour of the day (${answer.tz})`} hours={answer.items.map((item) => ({ hour: item.hour_of_day, count: item.conversations }))} />}
      </AnswerView>
    </div>
  );
}

export function StepsPage() {
  const { window, query } = useTimeWindow();
  const filters = filterValues(FILTERS, query);
  const apiQuery = { ...windowQuery(window), ...filters };
  const state = useAnswer<StepStatsAnswer>('/steps/stats', { ...apiQuery, limit: STEP_LIMIT });
  return (
    <>
      <PageHeader title="Steps" />
      <div class="analysis-toolbar">
        <AnalysisFilters fields={FILTERS} />
      </div>
      <AnswerView state={state}>
        {(answer) =>
          answer.items.length > 0 ? (
            <StepTable answer={answer} query={apiQuery} />
          ) : Object.keys(filters).length === 0 ? (
            <EmptyState what="steps" />
          ) : (
            <div class="panel">
              <p class="muted">No steps match these filters in this window.</p>
            </div>
          )
        }
      </AnswerView>
    </>
  );
}
