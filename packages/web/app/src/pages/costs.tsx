// `/costs`: where the money went — spend of the window by model, provider, call type, function,
// user, session or agent, split LLM/STT/TTS, with tokens; per day as stacked bars (by kind of
// spend, and by the top groups), and a table with each group's share.
// URL: ?hours= or ?from=&to=; by=; filters agent=, channel=, user=, model=; group_limit= (groups a
// page, default and most 100).
import { useMemo } from 'preact/hooks';
import type { CostItemAnswer, CostsAnswer } from '@convotel/api';
import type { Query } from '../api/client.js';
import { useAnswer } from '../api/use-answer.js';
import { AnalysisFilters, filterValues, type FilterField } from '../components/analysis-filters.js';
import { AnswerView } from '../components/answer-view.js';
import { BarStackChart, type StackLayer } from '../components/bar-stack-chart.js';
import { DataTable, type Column } from '../components/data-table.js';
import { EmptyState } from '../components/empty-state.js';
import { Figure } from '../components/figure.js';
import { GroupByChips, groupByOf } from '../components/group-by-chips.js';
import { PageHeader } from '../components/layout.js';
import { formatCount, formatRatio, formatUsd } from '../format/units.js';
import { useTimeWindow, windowQuery } from '../window/time-window.js';
import { ApproximateNote } from './analysis/approximate-note.js';
import { MoreButton } from './analysis/more-button.js';
import { useMorePages } from './analysis/use-more-pages.js';
import { GROUPING_CHOICES } from './analysis/groupings.js';
import './analysis/analysis.css';

type CostBy = CostsAnswer['by'];

const BY_CHOICES = GROUPING_CHOICES;

const FILTERS: readonly FilterField[] = [
  { name: 'agent', label: 'Agent' },
  { name: 'channel', label: 'Channel', suggestions: ['voice', 'chat'] },
  { name: 'user', label: 'User' },
  { name: 'model', label: 'Model' },
];

/** With the per-day series the API caps a page by days; 100 groups fit a 30-day window. */
const GROUP_LIMIT = 100;
const COSTS_PATH = '/costs';
/** Groups drawn apart in the per-group chart; the rest are summed as one layer. */
const CHART_GROUPS = 6;
const GROUP_COLORS = ['#3a62d8', '#d6843a', '#2a9d8f', '#7c5cd6', '#c53030', '#8a6d3b'];

type Figures = Pick<CostItemAnswer, 'cost_usd' | 'llm_cost_usd' | 'stt_cost_usd' | 'tts_cost_usd' | 'other_cost_usd' | 'calls' | 'input_tokens' | 'output_tokens'>;
const FIGURE_KEYS = ['cost_usd', 'llm_cost_usd', 'stt_cost_usd', 'tts_cost_usd', 'other_cost_usd', 'calls', 'input_tokens', 'output_tokens'] as const;

function sumFigures(rows: readonly Figures[]): Figures {
  const total = { cost_usd: 0, llm_cost_usd: 0, stt_cost_usd: 0, tts_cost_usd: 0, other_cost_usd: 0, calls: 0, input_tokens: 0, output_tokens: 0 };
  for (const row of rows) for (const key of FIGURE_KEYS) total[key] += row[key];
  return total;
}

const keyLabel = (key: string | null): string => key ?? '(none)';

function CostSplit({ row }: { row: Figures }) {
  const part = (value: number): string => `${row.cost_usd > 0 ? (value / row.cost_usd) * 100 : 0}%`;
  return (
    <span class="cost-split" title={`LLM ${formatUsd(row.llm_cost_usd)} · STT ${formatUsd(row.stt_cost_usd)} · TTS ${formatUsd(row.tts_cost_usd)} · other ${formatUsd(row.other_cost_usd)}`}>
      <span class="llm" style={{ width: part(row.llm_cost_usd) }} />
      <span class="stt" style={{ width: part(row.stt_cost_usd) }} />
      <span class="tts" style={{ width: part(row.tts_cost_usd) }} />
      <span class="other" style={{ width: part(row.other_cost_usd) }} />
    </span>
  );
}

function costColumns(by: CostBy, totalUsd: number, approximate: ReadonlySet<string>): Column<CostItemAnswer>[] {
  const share = (row: CostItemAnswer): number | null => (totalUsd > 0 ? row.cost_usd / totalUsd : null);
  return [
    { label: BY_CHOICES.find((choice) => choice.value === by)?.label ?? by, cell: (row) => (row.key === null ? <span class="muted">(none)</span> : row.key), sortValue: (row) => row.key },
    { label: 'Cost', cell: (row) => formatUsd(row.cost_usd), sortValue: (row) => row.cost_usd, isNumeric: true },
    {
      label: 'Share',
      cell: (row) => (
        <span class="share">
          {formatRatio(share(row))}
          <span class="share-bar">
            <span style={{ width: `${(share(row) ?? 0) * 100}%` }} />
          </span>
        </span>
      ),
      sortValue: (row) => row.cost_usd,
      isNumeric: true,
    },
    { label: 'Split', cell: (row) => <CostSplit row={row} /> },
    { label: 'LLM', cell: (row) => formatUsd(row.llm_cost_usd), sortValue: (row) => row.llm_cost_usd, isNumeric: true },
    { label: 'STT', cell: (row) => formatUsd(row.stt_cost_usd), sortValue: (row) => row.stt_cost_usd, isNumeric: true },
    { label: 'TTS', cell: (row) => formatUsd(row.tts_cost_usd), sortValue: (row) => row.tts_cost_usd, isNumeric: true },
    { label: 'LLM calls', cell: (row) => formatCount(row.calls), sortValue: (row) => row.calls, isNumeric: true },
    { label: approximate.has('conversations') ? 'Conversations ≈' : 'Conversations', cell: (row) => formatCount(row.conversations), sortValue: (row) => row.conversations, isNumeric: true },
    { label: 'Tokens in', cell: (row) => formatCount(row.input_tokens), sortValue: (row) => row.input_tokens, isNumeric: true },
    { label: 'Tokens out', cell: (row) => formatCount(row.output_tokens), sortValue: (row) => row.output_tokens, isNumeric: true },
  ];
}

/** The days of the answer (every item carries every day) and each day's figures summed over items. */
function perDay(items: readonly CostItemAnswer[]): { days: string[]; totals: Figures[] } {
  const days = (items[0]?.series ?? []).map((point) => point.t);
  const totals = days.map((_, index) => sumFigures(items.flatMap((item) => (item.series?.[index] === undefined ? [] : [item.series[index]]))));
  return { days, totals };
}

function Charts({ answer }: { answer: CostsAnswer }) {
  const { labels, byKind, byGroup, tokens } = useMemo(() => {
    const { days, totals } = perDay(answer.items);
    const dayLabels = days.map((t) => new Date(t).toLocaleDateString('en-GB', { day: '2-digit', month: 'short', timeZone: answer.tz }));
    const kinds: StackLayer[] = [
      { label: 'LLM', values: totals.map((day) => day.llm_cost_usd), color: '#3a62d8' },
      { label: 'STT', values: totals.map((day) => day.stt_cost_usd), color: '#7c5cd6' },
      { label: 'TTS', values: totals.map((day) => day.tts_cost_usd), color: '#d6843a' },
    ];
    if (totals.some((day) => day.other_cost_usd !== 0)) kinds.push({ label: 'other', values: totals.map((day) => day.other_cost_usd), color: '#8895a7' });
    // Layers go bottom first: the costliest group (the answer's first) sits on the axis.
    const top = answer.items.slice(0, CHART_GROUPS);
    const rest = answer.items.slice(CHART_GROUPS);
    const groups: StackLayer[] = top.map((item, index) => ({ label: keyLabel(item.key), values: (item.series ?? []).map((point) => point.cost_usd), color: GROUP_COLORS[index % GROUP_COLORS.length]! }));
    if (rest.length > 0) groups.push({ label: `${rest.length} more`, values: days.map((_, index) => rest.reduce((sum, item) => sum + (item.series?.[index]?.cost_usd ?? 0), 0)), color: '#8895a7' });
    const tokenLayers: StackLayer[] = [
      { label: 'input', values: totals.map((day) => day.input_tokens), color: '#2a9d8f' },
      { label: 'output', values: totals.map((day) => day.output_tokens), color: '#1f8a4c' },
    ];
    return { labels: dayLabels, byKind: kinds, byGroup: groups, tokens: tokenLayers };
  }, [answer]);
  const byLabel = BY_CHOICES.find((choice) => choice.value === answer.by)?.label.toLowerCase() ?? answer.by;
  return (
    <div class="charts cost-charts">
      <div class="panel">
        <BarStackChart title="Spend per day: LLM, STT, TTS" labels={labels} layers={byKind} format={formatUsd} />
      </div>
      <div class="panel">
        <BarStackChart title={`Spend per day by ${byLabel}`} labels={labels} layers={byGroup} format={formatUsd} />
      </div>
      <div class="panel">
        <BarStackChart title="Tokens per day" labels={labels} layers={tokens} format={formatCount} />
      </div>
    </div>
  );
}

function CostView({ answer: first, apiQuery }: { answer: CostsAnswer; apiQuery: Query }) {
  const more = useMorePages<CostItemAnswer>(COSTS_PATH, apiQuery, first);
  const answer = useMemo(() => ({ ...first, items: [...more.items] }), [first, more.items]);
  // `answer` is the first page with every page shown after it: totals, charts and table agree.
  const total = sumFigures(answer.items);
  const approximate = useMemo(() => new Set(answer.approximate), [answer]);
  const isPartial = more.nextCursor !== null;
  const note = isPartial ? `the ${answer.items.length} costliest groups` : undefined;
  return (
    <>
      <div class="figures">
        <Figure label="Total spend" testId="cost-total" value={formatUsd(total.cost_usd)} note={note} />
        <Figure label="LLM" testId="cost-llm" value={formatUsd(total.llm_cost_usd)} note={formatRatio(total.cost_usd > 0 ? total.llm_cost_usd / total.cost_usd : null)} />
        <Figure label="STT" testId="cost-stt" value={formatUsd(total.stt_cost_usd)} note={formatRatio(total.cost_usd > 0 ? total.stt_cost_usd / total.cost_usd : null)} />
        <Figure label="TTS" testId="cost-tts" value={formatUsd(total.tts_cost_usd)} note={formatRatio(total.cost_usd > 0 ? total.tts_cost_usd / total.cost_usd : null)} />
        {total.other_cost_usd !== 0 && <Figure label="Other" testId="cost-other" value={formatUsd(total.other_cost_usd)} />}
        <Figure label="LLM calls" testId="cost-calls" value={formatCount(total.calls)} />
        <Figure
          label="Tokens"
          testId="tokens"
          value={formatCount(total.input_tokens + total.output_tokens)}
          note={
            <>
              <span data-testid="tokens-in">{formatCount(total.input_tokens)}</span> in · <span data-testid="tokens-out">{formatCount(total.output_tokens)}</span> out
            </>
          }
        />
      </div>
      <Charts answer={answer} />
      <div class="panel">
        <div class="panel-head">
          <h2>Spend by {BY_CHOICES.find((choice) => choice.value === answer.by)?.label.toLowerCase()}</h2>
          <GroupByChips param="by" label="Group by" choices={BY_CHOICES} value={answer.by} />
        </div>
        <div class="table-scroll nowrap" data-testid="cost-table">
          <DataTable rows={answer.items} rowKey={(row) => keyLabel(row.key)} columns={costColumns(answer.by, total.cost_usd, approximate)} />
        </div>
        <MoreButton more={more} what="groups" />
        {isPartial && <p class="muted">Totals, shares and charts are those of the groups shown.</p>}
        {(answer.by === 'call_type' || answer.by === 'function') && <p class="approximate-note">Call types and functions are keys of LLM calls only: STT and TTS spend is not in these groups.</p>}
        <ApproximateNote fields={answer.approximate} />
      </div>
    </>
  );
}

export function CostsPage() {
  const { window, query } = useTimeWindow();
  const by = groupByOf(query.by, BY_CHOICES, 'model');
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const filters = filterValues(FILTERS, query);
  const limit = Number(query.group_limit);
  const apiQuery = { ...windowQuery(window), ...filters, by, interval: 'day', tz, limit: Number.isInteger(limit) && limit > 0 ? Math.min(limit, GROUP_LIMIT) : GROUP_LIMIT };
  const state = useAnswer<CostsAnswer>(COSTS_PATH, apiQuery);
  return (
    <>
      <PageHeader title="Costs" />
      <div class="analysis-toolbar">
        <AnalysisFilters fields={FILTERS} />
      </div>
      <AnswerView state={state}>
        {(answer) =>
          answer.items.length === 0 ? (
            Object.keys(filters).length === 0 && by === 'model' ? <EmptyState what="spend" /> : (
              <div class="panel">
                <div class="panel-head">
                  <h2>No spend matches</h2>
                  <GroupByChips param="by" label="Group by" choices={BY_CHOICES} value={by} />
                </div>
                <p class="muted">Nothing was spent under these filters in this window.</p>
              </div>
            )
          ) : (
            <CostView answer={answer} apiQuery={apiQuery} />
          )
        }
      </AnswerView>
    </>
  );
}
