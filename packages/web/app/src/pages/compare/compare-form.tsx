// The two sides of a comparison, in the URL: a preset (the last N hours against the N before),
// a change's instant (after = since then, before = as long, just before), or four explicit ends.
import { useLocation } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { withQuery } from '../../window/time-window.js';

/** The URL parameters that place the two windows (the API's own names). */
export const WINDOW_PARAMS = ['before_from', 'before_to', 'after_from', 'after_to', 'hours'] as const;
const CLEARED = Object.fromEntries(WINDOW_PARAMS.map((name) => [name, undefined]));

const PRESETS = [
  { hours: 1, label: 'Last hour vs the hour before' },
  { hours: 24, label: 'Last 24 h vs the day before' },
  { hours: 168, label: 'Last 7 d vs the week before' },
] as const;

/** An ISO instant as a datetime-local value, in the browser's time zone. */
export function toLocalInput(iso: string | undefined): string {
  if (iso === undefined || iso === '') return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 19);
}

/** A datetime-local value (browser time zone) as an ISO instant; undefined when empty. */
function fromLocalInput(value: string): string | undefined {
  if (value === '') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

type Ends = Record<(typeof WINDOW_PARAMS)[number], string>;

export function CompareForm() {
  const { path, query, route } = useLocation();
  const key = WINDOW_PARAMS.map((name) => query[name] ?? '').join('|');
  const [ends, setEnds] = useState<Ends>({ before_from: '', before_to: '', after_from: '', after_to: '', hours: '' });
  const [changeAt, setChangeAt] = useState('');
  useEffect(() => {
    setEnds({
      before_from: toLocalInput(query['before_from']),
      before_to: toLocalInput(query['before_to']),
      after_from: toLocalInput(query['after_from']),
      after_to: toLocalInput(query['after_to']),
      hours: query['hours'] ?? '',
    });
  }, [key]);
  const hasCustom = WINDOW_PARAMS.some((name) => name !== 'hours' && (query[name] ?? '') !== '');
  const currentHours = hasCustom ? undefined : Number(query['hours'] ?? 24);
  const input = (name: keyof Ends, label: string) => (
    <label class="compare-end">
      <span>{label}</span>
      <input type="datetime-local" step={1} name={name} value={ends[name]} onInput={(event) => setEnds((previous) => ({ ...previous, [name]: event.currentTarget.value }))} />
    </label>
  );
  const applyCustom = (event: Event): void => {
    event.preventDefault();
    route(
      withQuery(path, query, {
        ...CLEARED,
        before_from: fromLocalInput(ends.before_from),
        before_to: fromLocalInput(ends.before_to),
        after_from: fromLocalInput(ends.after_from),
        after_to: fromLocalInput(ends.after_to),
      }),
    );
  };
  const applyChange = (event: Event): void => {
    event.preventDefault();
    const at = fromLocalInput(changeAt);
    if (at !== undefined) route(withQuery(path, query, { ...CLEARED, after_from: at }));
  };
  return (
    <div class="panel compare-form">
      <div class="compare-presets" role="group" aria-label="Preset windows">
        {PRESETS.map((preset) => (
          <button type="button" key={preset.hours} class={currentHours === preset.hours ? 'chip active' : 'chip'} onClick={() => route(withQuery(path, query, { ...CLEARED, hours: preset.hours }))}>
            {preset.label}
          </button>
        ))}
      </div>
      <form class="compare-row" onSubmit={applyChange}>
        <label class="compare-end">
          <span>A change at</span>
          <input type="datetime-local" step={1} name="change_at" value={changeAt} onInput={(event) => setChangeAt(event.currentTarget.value)} />
        </label>
        <button type="submit" class="chip">
          Compare before / after
        </button>
        <span class="muted">after: from the change until now; before: as long, just before it.</span>
      </form>
      <form class="compare-row" onSubmit={applyCustom}>
        {input('before_from', 'Before from')}
        {input('before_to', 'to')}
        {input('after_from', 'After from')}
        {input('after_to', 'to')}
        <button type="submit" class="chip">
          Compare these windows
        </button>
      </form>
    </div>
  );
}
