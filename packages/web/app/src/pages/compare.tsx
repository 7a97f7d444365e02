// `/compare`: turn and step durations of two windows side by side — before and after a deploy, a
// prompt or a model change — with each change colored (shorter is better). URL: the API's own
// window parameters (?hours= | ?after_from=… | ?before_from=&before_to=&after_from=&after_to=) and
// filters (?service= &agent= &channel= &model= &step=).
import { useLocation } from 'preact-iso';
import type { CompareAnswer } from '@convotel/api';
import { useAnswer } from '../api/use-answer.js';
import { AnswerView } from '../components/answer-view.js';
import { PageHeader } from '../components/layout.js';
import { UrlFilters, filterValues, type FilterField } from '../components/url-filters.js';
import { formatTime } from '../format/units.js';
import { CompareForm, WINDOW_PARAMS } from './compare/compare-form.js';
import { StepComparisonTable, TurnComparison } from './compare/compare-tables.js';
import './compare.css';

const FILTERS: readonly FilterField[] = [
  { name: 'service', label: 'Service' },
  { name: 'agent', label: 'Agent' },
  { name: 'channel', label: 'Channel' },
  { name: 'model', label: 'Model' },
  { name: 'step', label: 'Step', placeholder: 'all steps' },
];

function Windows({ answer }: { answer: CompareAnswer }) {
  const side = (name: 'before' | 'after') => (
    <div class={`compare-window ${name}`} data-testid={`window-${name}`}>
      <span class="figure-label">{name}</span>
      <span>
        {formatTime(answer.windows[name].from)} → {formatTime(answer.windows[name].to)}
      </span>
    </div>
  );
  return (
    <div class="compare-windows">
      {side('before')}
      {side('after')}
    </div>
  );
}

function Comparison({ answer }: { answer: CompareAnswer }) {
  const isEmpty = answer.turns.before.count === 0 && answer.turns.after.count === 0 && answer.steps.length === 0;
  return (
    <>
      <Windows answer={answer} />
      {isEmpty ? (
        <div class="empty-state" data-testid="compare-empty">
          <h2>No turns in either window</h2>
          <p>Pick windows where your agent had traffic (a preset above, or the instant of the change you want to judge), or clear the filters.</p>
        </div>
      ) : (
        <>
          <div class="panel">
            <h2>Turns</h2>
            <TurnComparison answer={answer} />
            <p class="muted compare-legend">
              <span class="delta better">shorter</span> is better, <span class="delta worse">longer</span> is worse; changes under 1% read as none.
              {answer.approximate.length > 0 && ' ≈: read from hourly histograms (within 1%).'}
            </p>
          </div>
          <div class="panel">
            <h2>Steps</h2>
            {answer.steps.length === 0 ? <p class="muted">No step in either window.</p> : <StepComparisonTable steps={answer.steps} approximate={answer.approximate} />}
            {answer.truncated && <p class="notice info">The step list was cut at the API's row bound.</p>}
          </div>
        </>
      )}
    </>
  );
}

export function ComparePage() {
  const { query } = useLocation();
  const windowParams = Object.fromEntries(WINDOW_PARAMS.map((name) => [name, query[name] === '' ? undefined : query[name]]));
  const state = useAnswer<CompareAnswer>('/compare', { ...windowParams, ...filterValues(FILTERS, query) });
  return (
    <>
      <PageHeader title="Compare" hasWindow={false} />
      <CompareForm />
      <UrlFilters fields={FILTERS} />
      <AnswerView state={state}>{(answer) => <Comparison answer={answer} />}</AnswerView>
    </>
  );
}
