// `/errors`: what fails and how often in a window: error rate by step and by model, failed turns
// over time, and the recurring error patterns (rate limit, timeout, …) with their latest
// occurrences linking to the trace and the conversation. URL: the window, ?service= &agent=
// &model= &provider= filters.
import { useLocation } from 'preact-iso';
import { useMemo } from 'preact/hooks';
import type { ErrorsAnswer, TimeseriesAnswer } from '@convotel/api';
import { useAnswer } from '../api/use-answer.js';
import { AnswerView } from '../components/answer-view.js';
import { DataTable } from '../components/data-table.js';
import { EmptyState } from '../components/empty-state.js';
import { Figure } from '../components/figure.js';
import { PageHeader } from '../components/layout.js';
import { TimeSeriesChart } from '../components/time-series-chart.js';
import { UrlFilters, filterValues, type FilterField } from '../components/url-filters.js';
import { formatCount, formatRatio, formatTime } from '../format/units.js';
import { useTimeWindow, windowHours, windowQuery, windowSearch, type TimeWindow } from '../window/time-window.js';
import './errors.css';

const FILTERS: readonly FilterField[] = [
  { name: 'service', label: 'Service' },
  { name: 'agent', label: 'Agent' },
  { name: 'model', label: 'Model' },
  { name: 'provider', label: 'Provider' },
];

/** Occurrences listed per pattern. */
const EXAMPLES = 8;

type Pattern = ErrorsAnswer['patterns'][number];
type StepRate = ErrorsAnswer['by_step'][number];
type ModelRate = ErrorsAnswer['by_model'][number];

const PATTERN_LABELS: Readonly<Record<Pattern['pattern'], string>> = {
  rate_limit: 'Rate limit',
  timeout: 'Timeout',
  context_length: 'Context length exceeded',
  auth: 'Authentication',
  content_filter: 'Content filter',
  network: 'Network',
  server_error: 'Provider server error',
  invalid_request: 'Invalid request',
  other: 'Other',
};

function RateBar({ rate }: { rate: number }) {
  return (
    <span class="rate-bar" aria-hidden="true">
      <span style={{ width: `${Math.min(100, Math.max(rate > 0 ? 2 : 0, rate * 100))}%` }} />
    </span>
  );
}

const rateColumns = <Row extends { total: number; failures: number; error_rate: number }>() => [
  { label: 'Total', cell: (row: Row) => formatCount(row.total), sortValue: (row: Row) => row.total, isNumeric: true },
  { label: 'Failed', cell: (row: Row) => formatCount(row.failures), sortValue: (row: Row) => row.failures, isNumeric: true },
  {
    label: 'Error rate',
    cell: (row: Row) => (
      <span class="rate-cell">
        <RateBar rate={row.error_rate} />
        <span data-testid="error-rate">{formatRatio(row.error_rate)}</span>
      </span>
    ),
    sortValue: (row: Row) => row.error_rate,
    isNumeric: true,
  },
];

/** When the pattern was first seen: known only when every occurrence is among the examples. */
function firstSeen(pattern: Pattern): string {
  const earliest = pattern.examples.at(-1)?.at ?? null;
  if (earliest === null) return '—';
  return pattern.count <= pattern.examples.length ? formatTime(earliest) : `before ${formatTime(earliest)}`;
}

function PatternCard({ pattern, total }: { pattern: Pattern; total: number }) {
  const messages = new Set(pattern.examples.map((example) => example.message));
  return (
    <article class="error-pattern" data-testid={`pattern-${pattern.pattern}`}>
      <header>
        <h3>{PATTERN_LABELS[pattern.pattern]}</h3>
        <span class="error-pattern-count" data-testid="pattern-count">
          {formatCount(pattern.count)}
        </span>
        <span class="muted">{formatRatio(total === 0 ? null : pattern.count / total)} of errors</span>
        <span class="muted error-pattern-seen">
          last seen {formatTime(pattern.examples[0]?.at)} · first seen {firstSeen(pattern)}
        </span>
      </header>
      <table class="data-table error-examples">
        <thead>
          <tr>
            <th>When</th>
            <th>Message</th>
            <th>Trace</th>
            <th>Conversation</th>
          </tr>
        </thead>
        <tbody>
          {pattern.examples.map((example) => (
            <tr key={`${example.trace_id}-${example.message ?? ''}`} data-testid="pattern-example">
              <td class="nowrap">{formatTime(example.at)}</td>
              <td class="error-message">{example.message ?? '(no message)'}</td>
              <td>
                <a href={`/traces/${encodeURIComponent(example.trace_id)}`} title={example.trace_id}>
                  {example.trace_id.slice(0, 12)}…
                </a>
              </td>
              <td>{example.conversation_id === null ? <span class="muted">—</span> : <a href={`/conversations/${encodeURIComponent(example.conversation_id)}`}>{example.conversation_id}</a>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {pattern.count > pattern.examples.length && (
        <p class="muted error-more">
          The latest {formatCount(pattern.examples.length)} of {formatCount(pattern.count)} occurrences;{' '}
          {messages.size === 1 ? 'all with the same message' : `${formatCount(messages.size)} distinct messages among them`}.
        </p>
      )}
    </article>
  );
}

/** Failed turns over the window (GET /timeseries: the errors answer has no time dimension). */
function FailedTurnsChart({ window, filters }: { window: TimeWindow; filters: Record<string, string | undefined> }) {
  const interval = windowHours(window) > 72 ? 'day' : 'hour';
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const common = { ...windowQuery(window), ...filters, interval, tz };
  const errors = useAnswer<TimeseriesAnswer>('/timeseries', { ...common, metric: 'errors' }).data;
  const turns = useAnswer<TimeseriesAnswer>('/timeseries', { ...common, metric: 'turns' }).data;
  const times = useMemo(() => (errors?.points ?? []).map((point) => Date.parse(point.t)), [errors]);
  const series = useMemo(
    () => [
      { label: 'turns', values: (turns?.points ?? []).map((point) => point.value), color: '#9fb3e8', isBars: true },
      { label: 'failed turns', values: (errors?.points ?? []).map((point) => point.value), color: '#c53030', isBars: true },
    ],
    [errors, turns],
  );
  if (errors === undefined || turns === undefined) return null;
  return (
    <div class="panel">
      <TimeSeriesChart title={`Turns and failed turns per ${interval}`} times={times} series={series} format={formatCount} />
    </div>
  );
}

function ErrorAnalysis({ answer, window, filters }: { answer: ErrorsAnswer; window: TimeWindow; filters: Record<string, string | undefined> }) {
  const search = windowSearch(window);
  const worstStep = answer.by_step.find((row) => row.failures > 0);
  const worstModel = answer.by_model.find((row) => row.failures > 0);
  return (
    <>
      <div class="figures">
        <Figure label="Errors" testId="errors-total" value={formatCount(answer.total)} note="one per trace and message" />
        <Figure label="Patterns" value={formatCount(answer.patterns.length)} note={answer.patterns[0] === undefined ? undefined : `most: ${PATTERN_LABELS[answer.patterns[0].pattern]}`} />
        <Figure label="Most failing step" value={worstStep?.step ?? '—'} note={worstStep === undefined ? 'no failed step' : `${formatRatio(worstStep.error_rate)} of ${formatCount(worstStep.total)}`} href={`/steps${search}`} />
        <Figure label="Most failing model" value={worstModel?.model ?? '—'} note={worstModel === undefined ? 'no failed call' : `${formatRatio(worstModel.error_rate)} of ${formatCount(worstModel.total)}`} href={`/llm${search}`} />
      </div>
      <FailedTurnsChart window={window} filters={filters} />
      <div class="errors-rates">
        <div class="panel">
          <h2>Error rate by step</h2>
          {answer.by_step.length === 0 ? (
            <p class="muted">No step in this window.</p>
          ) : (
            <DataTable<StepRate>
              rows={answer.by_step}
              rowKey={(row) => row.step}
              rowClass={(row) => (row.failures > 0 ? 'failed' : undefined)}
              columns={[{ label: 'Step', cell: (row) => <span data-testid={`step-${row.step}`}>{row.step}</span>, sortValue: (row) => row.step }, ...rateColumns<StepRate>()]}
            />
          )}
          <p class="muted errors-note">A failed call fails its step and its turn: each level counts it once.</p>
        </div>
        <div class="panel">
          <h2>Error rate by model</h2>
          {answer.by_model.length === 0 ? (
            <p class="muted">No LLM call in this window.</p>
          ) : (
            <DataTable<ModelRate>
              rows={answer.by_model}
              rowKey={(row) => row.model ?? '(unknown)'}
              rowClass={(row) => (row.failures > 0 ? 'failed' : undefined)}
              columns={[
                {
                  label: 'Model',
                  cell: (row) => (row.model === null ? <span class="muted">(unknown)</span> : <a href={`/llm${search}&model=${encodeURIComponent(row.model)}`}>{row.model}</a>),
                  sortValue: (row) => row.model,
                },
                ...rateColumns<ModelRate>(),
              ]}
            />
          )}
        </div>
      </div>
      <section class="panel">
        <h2>Error patterns</h2>
        {answer.truncated && <p class="notice info">Too many distinct errors to list: the patterns classify the most frequent messages.</p>}
        {answer.patterns.length === 0 ? (
          <p class="muted" data-testid="no-errors">
            No error in this window. Widen the window or clear the filters to see older ones.
          </p>
        ) : (
          <div class="error-patterns">
            {answer.patterns.map((pattern) => (
              <PatternCard key={pattern.pattern} pattern={pattern} total={answer.total} />
            ))}
          </div>
        )}
      </section>
    </>
  );
}

export function ErrorsPage() {
  const { window } = useTimeWindow();
  const { query } = useLocation();
  const filters = filterValues(FILTERS, query);
  const isFiltered = Object.values(filters).some((value) => value !== undefined);
  const state = useAnswer<ErrorsAnswer>('/errors', { ...windowQuery(window), ...filters, examples: EXAMPLES });
  return (
    <>
      <PageHeader title="Errors" />
      <UrlFilters fields={FILTERS} />
      <AnswerView state={state}>
        {(answer) =>
          answer.by_step.length === 0 && answer.by_model.length === 0 && answer.total === 0 ? (
            isFiltered ? (
              <div class="empty-state" data-testid="errors-none-match">
                <h2>Nothing matches these filters in this window</h2>
                <p>Clear the filters or widen the window.</p>
              </div>
            ) : (
              <EmptyState what="turns" />
            )
          ) : (
            <ErrorAnalysis answer={answer} window={window} filters={filters} />
          )
        }
      </AnswerView>
    </>
  );
}
