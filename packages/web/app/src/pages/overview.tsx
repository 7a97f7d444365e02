// `/`: a window's headline figures (each linking to the list behind it), time series and top models;
// for voice agents, led by voice-to-voice latency and where it goes (overview/voice-overview.tsx).
import { useMemo } from 'preact/hooks';
import type { OverviewAnswer, TimeseriesAnswer } from '@convotel/api';
import { useAnswer } from '../api/use-answer.js';
import { AnswerView } from '../components/answer-view.js';
import { DataTable } from '../components/data-table.js';
import { EmptyState } from '../components/empty-state.js';
import { Figure } from '../components/figure.js';
import { PageHeader } from '../components/layout.js';
import { TimeSeriesChart } from '../components/time-series-chart.js';
import { formatCount, formatMillis, formatRatio, formatUsd } from '../format/units.js';
import { VoiceOverview } from './overview/voice-overview.js';
import { useTimeWindow, windowHours, windowQuery, windowSearch, type TimeWindow } from '../window/time-window.js';

type Metric = TimeseriesAnswer['metric'];

function useSeries(window: TimeWindow, metric: Metric): TimeseriesAnswer | undefined {
  const interval = windowHours(window) > 72 ? 'day' : 'hour';
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const state = useAnswer<TimeseriesAnswer>('/timeseries', { ...windowQuery(window), metric, interval, tz });
  return state.data;
}

function Charts({ window }: { window: TimeWindow }) {
  const turns = useSeries(window, 'turns');
  const errors = useSeries(window, 'errors');
  const cost = useSeries(window, 'cost_usd');
  const p95 = useSeries(window, 'turn_p95_ms');
  const times = useMemo(() => (turns?.points ?? []).map((point) => Date.parse(point.t)), [turns]);
  const volume = useMemo(
    () => [
      { label: 'turns', values: (turns?.points ?? []).map((point) => point.value), color: '#3a62d8', isBars: true },
      { label: 'failed turns', values: (errors?.points ?? []).map((point) => point.value), color: '#c53030', isBars: true },
    ],
    [turns, errors],
  );
  const costSeries = useMemo(() => [{ label: 'cost', values: (cost?.points ?? []).map((point) => point.value), color: '#1f8a4c' }], [cost]);
  const latency = useMemo(() => [{ label: 'turn p95', values: (p95?.points ?? []).map((point) => point.value), color: '#d6843a' }], [p95]);
  if (turns === undefined) return null;
  return (
    <div class="charts">
      <div class="panel">
        <TimeSeriesChart title="Turns and failed turns" times={times} series={volume} format={formatCount} />
      </div>
      <div class="panel">
        <TimeSeriesChart title="Cost" times={times} series={costSeries} format={formatUsd} />
      </div>
      <div class="panel">
        <TimeSeriesChart title="Turn latency p95" times={times} series={latency} format={formatMillis} />
      </div>
    </div>
  );
}

function OverviewFigures({ answer, window }: { answer: OverviewAnswer; window: TimeWindow }) {
  const search = windowSearch(window);
  const list = (extra = ''): string => `/conversations${search}${extra}`;
  const approximate = new Set(answer.approximate);
  const mark = (field: string): string | undefined => (approximate.has(field) ? 'approximate' : undefined);
  return (
    <>
      {answer.voice !== null && <VoiceOverview voice={answer.voice} window={window} />}
      <div class="figures">
        <Figure label="Conversations" testId="conversations" value={formatCount(answer.conversations)} href={list()} note={`${formatCount(answer.active_conversations)} active`} />
        <Figure label="Turns" testId="turns" value={formatCount(answer.turns)} href={list()} />
        <Figure label="Error rate" testId="error-rate" value={formatRatio(answer.error_rate)} href={`/errors${search}`} note={`${formatCount(answer.failed_turns)} failed turns`} />
        <Figure label="Cost" testId="cost-total" value={formatUsd(answer.cost_usd.total)} href={`/costs${search}`} />
        <Figure label="LLM cost" testId="cost-llm" value={formatUsd(answer.cost_usd.llm)} href={`/costs${search}`} />
        <Figure label="STT cost" testId="cost-stt" value={formatUsd(answer.cost_usd.stt)} href={`/costs${search}`} />
        <Figure label="TTS cost" testId="cost-tts" value={formatUsd(answer.cost_usd.tts)} href={`/costs${search}`} />
        <Figure label="Turn p50" testId="turn-p50" value={formatMillis(answer.turn_latency_ms.p50)} href={`/steps${search}`} note={mark('turn_latency_ms')} />
        <Figure label="Turn p95" testId="turn-p95" value={formatMillis(answer.turn_latency_ms.p95)} href={`/steps${search}`} note={mark('turn_latency_ms')} />
        <Figure label="Turn p99" testId="turn-p99" value={formatMillis(answer.turn_latency_ms.p99)} href={`/steps${search}`} note={mark('turn_latency_ms')} />
        <Figure label="Perceived p95" testId="perceived-p95" value={formatMillis(answer.perceived_latency_ms.p95)} href={`/steps${search}`} note={`p50 ${formatMillis(answer.perceived_latency_ms.p50)}`} />
        <Figure
          label={`Over SLA (${formatMillis(answer.sla.threshold_ms)})`}
          testId="sla-violations"
          value={formatCount(answer.sla.violations)}
          href={list(`&sort=slowest`)}
          note={formatRatio(answer.sla.violation_rate)}
        />
        <Figure label="Interruptions" testId="interruptions" value={formatCount(answer.interruptions)} href={list()} />
        <Figure label="LLM calls" testId="llm-calls" value={formatCount(answer.llm_calls)} href={`/llm${search}`} note={`${formatRatio(answer.llm_error_rate)} failed`} />
      </div>
      <Charts window={window} />
      <div class="panel">
        <h2>Top models</h2>
        <DataTable
          rows={answer.top_models}
          rowKey={(row) => row.model}
          columns={[
            { label: 'Model', cell: (row) => <a href={`/llm${search}&model=${encodeURIComponent(row.model)}`}>{row.model}</a> },
            { label: 'Calls', cell: (row) => formatCount(row.calls), sortValue: (row) => row.calls, isNumeric: true },
            { label: 'Cost', cell: (row) => formatUsd(row.cost_usd), sortValue: (row) => row.cost_usd, isNumeric: true },
          ]}
        />
      </div>
    </>
  );
}

export function OverviewPage() {
  const { window } = useTimeWindow();
  const state = useAnswer<OverviewAnswer>('/overview', windowQuery(window));
  return (
    <>
      <PageHeader title="Overview" />
      <AnswerView state={state}>{(answer) => (answer.turns === 0 && answer.conversations === 0 ? <EmptyState what="conversations" /> : <OverviewFigures answer={answer} window={window} />)}</AnswerView>
    </>
  );
}
