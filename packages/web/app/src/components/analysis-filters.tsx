// The equality filters of an analysis page (agent, model, status…) as a small form whose values
// live in the URL query: applying one routes to the same page with the filter set, each set
// filter shows as a chip that removes it. Inputs suggest values the page already knows.
import { useLocation } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { withQuery } from '../window/time-window.js';

export interface FilterField {
  /** The URL and API parameter name. */
  readonly name: string;
  readonly label: string;
  /** Values to suggest (a datalist); a free value is accepted too. */
  readonly suggestions?: readonly string[];
  /** A closed set of values: a select instead of a text input. */
  readonly options?: readonly string[];
}

/** The set values of `fields` in `query`, as API parameters. */
export function filterValues(fields: readonly FilterField[], query: Readonly<Record<string, string>>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of fields) {
    const value = query[field.name];
    if (value !== undefined && value !== '') values[field.name] = value;
  }
  return values;
}

export function AnalysisFilters({ fields }: { fields: readonly FilterField[] }) {
  const { path, query, route } = useLocation();
  const current = filterValues(fields, query);
  const [draft, setDraft] = useState<Record<string, string>>(current);
  const currentKey = JSON.stringify(current);
  // Back/forward or a link changed the URL: the inputs follow it.
  useEffect(() => setDraft(JSON.parse(currentKey) as Record<string, string>), [currentKey]);
  const apply = (event: Event): void => {
    event.preventDefault();
    const changes: Record<string, string | undefined> = { cursor: undefined };
    for (const field of fields) changes[field.name] = draft[field.name]?.trim() || undefined;
    route(withQuery(path, query, changes));
  };
  const remove = (name: string): void => route(withQuery(path, query, { [name]: undefined, cursor: undefined }));
  const setValue = (name: string, value: string): void => setDraft((previous) => ({ ...previous, [name]: value }));
  return (
    <div class="analysis-filters">
      <form class="filters" onSubmit={apply} aria-label="Filters">
        {fields.map((field) => (
          <label key={field.name} class="filter-field">
            <span>{field.label}</span>
            {field.options !== undefined ? (
              <select name={field.name} value={draft[field.name] ?? ''} onChange={(event) => setValue(field.name, event.currentTarget.value)}>
                <option value="">any</option>
                {field.options.map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </select>
            ) : (
              <input
                name={field.name}
                value={draft[field.name] ?? ''}
                placeholder="any"
                list={field.suggestions === undefined ? undefined : `suggest-${field.name}`}
                onInput={(event) => setValue(field.name, event.currentTarget.value)}
              />
            )}
            {field.suggestions !== undefined && (
              <datalist id={`suggest-${field.name}`}>
                {field.suggestions.map((suggestion) => (
                  <option key={suggestion} value={suggestion} />
                ))}
              </datalist>
            )}
          </label>
        ))}
        <button type="submit" class="chip">
          apply
        </button>
      </form>
      {Object.keys(current).length > 0 && (
        <div class="active-filters" aria-label="Active filters">
          {Object.entries(current).map(([name, value]) => (
            <button type="button" key={name} class="chip filter-chip" title="Remove this filter" onClick={() => remove(name)}>
              {fields.find((field) => field.name === name)?.label ?? name}: {value} ✕
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
