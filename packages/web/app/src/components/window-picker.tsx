// Picks the page's window: 1 h, 24 h, 7 d, 30 d or a custom range; the choice goes into the URL.
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { WINDOW_CHOICES, windowOf, withQuery } from '../window/time-window.js';

const toInputValue = (iso: string): string => iso.slice(0, 16);

export function WindowPicker() {
  const { path, query, route } = useLocation();
  const window = windowOf(query);
  const [isCustom, setCustom] = useState(window.kind === 'range');
  const [from, setFrom] = useState(window.kind === 'range' ? toInputValue(window.from) : '');
  const [to, setTo] = useState(window.kind === 'range' ? toInputValue(window.to) : '');
  const choose = (hours: number): void => {
    setCustom(false);
    route(withQuery(path, query, { hours, from: undefined, to: undefined, cursor: undefined }));
  };
  const applyRange = (event: Event): void => {
    event.preventDefault();
    if (from === '' || to === '') return;
    route(withQuery(path, query, { hours: undefined, from: new Date(from).toISOString(), to: new Date(to).toISOString(), cursor: undefined }));
  };
  return (
    <div class="window-picker" role="group" aria-label="Time window">
      {WINDOW_CHOICES.map((choice) => (
        <button
          type="button"
          key={choice.hours}
          class={!isCustom && window.kind === 'hours' && window.hours === choice.hours ? 'chip active' : 'chip'}
          onClick={() => choose(choice.hours)}
        >
          {choice.label}
        </button>
      ))}
      <button type="button" class={isCustom ? 'chip active' : 'chip'} onClick={() => setCustom(true)}>
        custom
      </button>
      {isCustom && (
        <form class="range" onSubmit={applyRange}>
          <input type="datetime-local" aria-label="From" value={from} onInput={(event) => setFrom(event.currentTarget.value)} />
          <input type="datetime-local" aria-label="To" value={to} onInput={(event) => setTo(event.currentTarget.value)} />
          <button type="submit" class="chip">
            apply
          </button>
        </form>
      )}
    </div>
  );
}
