// A page's text filters, kept in its URL (?agent=…&service=…): typed in, applied on Enter or
// "Apply", cleared in one click. Other URL parameters (the window) are kept.
import { useLocation } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { withQuery } from '../window/time-window.js';
import './url-filters.css';

export interface FilterField {
  /** The URL (and API) parameter. */
  readonly name: string;
  readonly label: string;
  readonly placeholder?: string;
}

/** The filters of `fields` set in `query`, for the API. */
export function filterValues(fields: readonly FilterField[], query: Readonly<Record<string, string>>): Record<string, string | undefined> {
  return Object.fromEntries(fields.map((field) => [field.name, query[field.name] === '' ? undefined : query[field.name]]));
}

export function UrlFilters({ fields, extraChanges = {} }: { fields: readonly FilterField[]; extraChanges?: Readonly<Record<string, undefined>> }) {
  const { path, query, route } = useLocation();
  const applied = filterValues(fields, query);
  const appliedKey = JSON.stringify(applied);
  const [values, setValues] = useState<Record<string, string>>({});
  // The URL changed (back button, a link): the inputs follow it.
  useEffect(() => setValues(Object.fromEntries(Object.entries(JSON.parse(appliedKey) as Record<string, string | undefined>).map(([name, value]) => [name, value ?? '']))), [appliedKey]);
  const apply = (event: Event): void => {
    event.preventDefault();
    route(withQuery(path, query, { ...extraChanges, ...Object.fromEntries(fields.map((field) => [field.name, values[field.name]?.trim() || undefined])) }));
  };
  const clear = (): void => route(withQuery(path, query, { ...extraChanges, ...Object.fromEntries(fields.map((field) => [field.name, undefined])) }));
  const isFiltered = Object.values(applied).some((value) => value !== undefined);
  return (
    <form class="filters url-filters" onSubmit={apply} role="search">
      {fields.map((field) => (
        <label key={field.name} class="url-filter">
          <span>{field.label}</span>
          <input
            name={field.name}
            value={values[field.name] ?? ''}
            placeholder={field.placeholder ?? 'any'}
            onInput={(event) => setValues((previous) => ({ ...previous, [field.name]: event.currentTarget.value }))}
          />
        </label>
      ))}
      <button type="submit" class="chip">
        Apply
      </button>
      {isFiltered && (
        <button type="button" class="chip" onClick={clear}>
          Clear filters
        </button>
      )}
    </form>
  );
}
