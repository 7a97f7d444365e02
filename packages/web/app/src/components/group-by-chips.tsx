// A row of chips that picks how an analysis is grouped; the choice goes into the URL (`param`),
// so a shared link shows the same grouping. Paging cursors of the old grouping are dropped.
import { useLocation } from 'preact-iso';
import { withQuery } from '../window/time-window.js';

export interface GroupByChoice<Value extends string> {
  readonly value: Value;
  readonly label: string;
}

export function GroupByChips<Value extends string>({ param, label, choices, value }: { param: string; label: string; choices: readonly GroupByChoice<Value>[]; value: Value }) {
  const { path, query, route } = useLocation();
  return (
    <div class="group-by" role="group" aria-label={label}>
      <span class="group-by-label">{label}</span>
      {choices.map((choice) => (
        <button
          type="button"
          key={choice.value}
          class={choice.value === value ? 'chip active' : 'chip'}
          aria-pressed={choice.value === value}
          data-group-by={choice.value}
          onClick={() => route(withQuery(path, query, { [param]: choice.value, cursor: undefined }))}
        >
          {choice.label}
        </button>
      ))}
    </div>
  );
}

/** `raw` if it is one of `choices`, else `fallback` (a hand-edited URL falls back quietly). */
export function groupByOf<Value extends string>(raw: string | undefined, choices: readonly GroupByChoice<Value>[], fallback: Value): Value {
  return choices.find((choice) => choice.value === raw)?.value ?? fallback;
}
