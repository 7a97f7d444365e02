// `/conversations`: conversations started in the window, filtered, sorted and paged by the API
// (cursor paging: never more than one page in the browser). Filters, sort and cursor live in the
// URL; each row links to its conversation, keeping the window.
import type { ConversationSummaryAnswer, ConversationsAnswer } from '@convotel/api';
import { useLocation } from 'preact-iso';
import { useAnswer } from '../api/use-answer.js';
import { AnswerView } from '../components/answer-view.js';
import { EmptyState } from '../components/empty-state.js';
import { PageHeader } from '../components/layout.js';
import { formatCount, formatMillis, formatText, formatTime, formatUsd } from '../format/units.js';
import { useTimeWindow, windowQuery, windowSearch, withQuery } from '../window/time-window.js';
import { metadataEntries } from './conversation/conversation-header.js';
import { previousOf, rememberNext } from './conversation/cursor-trail.js';
import { EDITABLE_FILTERS, SORTS, STATUSES, listApiQuery, otherFilters } from './conversation/list-query.js';
import './conversation/conversations.css';

const PAGE_SIZES = [25, 50, 100, 200] as const;

/** Views one click away; `changes` are applied to the URL (undefined removes a parameter). */
const PRESETS: ReadonlyArray<{ label: string; changes: Record<string, string | undefined> }> = [
  { label: 'All', changes: { status: undefined, sort: undefined, min_duration_ms: undefined } },
  { label: 'Failed', changes: { status: 'error' } },
  { label: 'Active', changes: { status: 'active' } },
  { label: 'Slowest', changes: { sort: 'slowest' } },
  { label: 'Costliest', changes: { sort: 'costliest' } },
  { label: 'Over 5 s', changes: { min_duration_ms: '5000' } },
];

function isPresetActive(query: Readonly<Record<string, string>>, changes: Record<string, string | undefined>): boolean {
  return Object.entries(changes).every(([name, value]) => (query[name] ?? undefined) === value || (value === undefined && query[name] === ''));
}

/** Column headers the API can sort by (server-side: the whole list, not just this page). */
const SORT_OF_COLUMN: Readonly<Record<string, string>> = { Started: 'recent', Duration: 'slowest', Cost: 'costliest' };

function ConversationRows({ items, search, path, query }: { items: readonly ConversationSummaryAnswer[]; search: string; path: string; query: Readonly<Record<string, string>> }) {
  const sort = query['sort'] ?? 'recent';
  const header = (label: string, isNumeric = false) => {
    const sortName = SORT_OF_COLUMN[label];
    return (
      <th class={isNumeric ? 'num' : undefined} aria-sort={sortName !== undefined && sortName === sort ? 'descending' : undefined}>
        {sortName === undefined ? (
          label
        ) : (
          <a class="sort" href={withQuery(path, query, { sort: sortName === 'recent' ? undefined : sortName, cursor: undefined })} title="Sort the whole list">
            {label}
            {sortName === sort ? ' ↓' : ''}
          </a>
        )}
      </th>
    );
  };
  return (
    <table class="data-table conversations-table" data-testid="conversations-table">
      <thead>
        <tr>
          {header('Started')}
          {header('User')}
          {header('Agent')}
          {header('Channel')}
          {header('Status')}
          {header('Duration', true)}
          {header('Turns', true)}
          {header('Cost', true)}
          {header('Errors', true)}
          {header('Metadata')}
        </tr>
      </thead>
      <tbody>
        {items.map((row) => {
          const href = `/conversations/${encodeURIComponent(row.conversation_id)}${search}`;
          return (
            <tr key={row.conversation_id} class={row.status === 'error' ? 'failed' : undefined} data-testid="conversation-row" data-conversation-id={row.conversation_id}>
              <td>
                <a href={href} class="row-link">
                  {formatTime(row.started_at)}
                </a>
                <div class="conversation-id muted">{row.conversation_id}</div>
              </td>
              <td>{row.user_id === null ? '—' : <a href={withQuery(path, query, { user: row.user_id, cursor: undefined })}>{row.user_id}</a>}</td>
              <td>{row.agent_name === null ? '—' : <a href={withQuery(path, query, { agent: row.agent_name, cursor: undefined })}>{row.agent_name}</a>}</td>
              <td>{formatText(row.channel)}</td>
              <td>
                <span class={`status-${row.status}`}>{row.status}</span>
                {row.end_reason !== null && row.end_reason !== row.status && <span class="muted"> · {row.end_reason}</span>}
              </td>
              <td class="num">{formatMillis(row.duration_ms)}</td>
              <td class="num">{formatCount(row.turns)}</td>
              <td class="num">{formatUsd(row.cost_usd)}</td>
              <td class={row.errors > 0 ? 'num status-error' : 'num'}>{formatCount(row.errors)}</td>
              <td>
                <div class="metadata">
                  {metadataEntries(row.metadata).map(([key, value]) => (
                    <a key={key} class="meta-chip" href={withQuery(path, query, { [`attr.${key}`]: value, cursor: undefined })} title="Only conversations with this metadata">
                      {key}={value}
                    </a>
                  ))}
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Filters({ path, query }: { path: string; query: Readonly<Record<string, string>> }) {
  const { route } = useLocation();
  const apply = (changes: Record<string, string | undefined>): void => route(withQuery(path, query, { ...changes, cursor: undefined }));
  const submit = (event: Event): void => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const changes: Record<string, string | undefined> = {};
    for (const name of [...EDITABLE_FILTERS, 'q', 'min_duration_ms', 'min_cost_usd']) {
      const value = String(form.get(name) ?? '').trim();
      changes[name] = value === '' ? undefined : value;
    }
    apply(changes);
  };
  const others = otherFilters(query);
  return (
    <>
      <div class="filters presets" role="group" aria-label="Views">
        {PRESETS.map((preset) => (
          <a key={preset.label} class={isPresetActive(query, preset.changes) ? 'chip active' : 'chip'} href={withQuery(path, query, { ...preset.changes, cursor: undefined })}>
            {preset.label}
          </a>
        ))}
      </div>
      {/* Keyed by the URL: the inputs show what the URL says after any navigation. */}
      <form class="filters list-filters" onSubmit={submit} key={JSON.stringify(query)}>
        <input type="search" name="q" placeholder="Search what was said…" aria-label="Search captured words" defaultValue={query['q'] ?? ''} class="search" />
        <select aria-label="Status" value={query['status'] ?? ''} onChange={(event) => apply({ status: event.currentTarget.value || undefined })}>
          <option value="">any status</option>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {status}
            </option>
          ))}
        </select>
        {EDITABLE_FILTERS.map((name) => (
          <input key={name} name={name} placeholder={name} aria-label={name} defaultValue={query[name] ?? ''} size={10} />
        ))}
        <input name="min_duration_ms" type="number" min="0" placeholder="min ms" aria-label="Minimum duration (ms)" defaultValue={query['min_duration_ms'] ?? ''} class="narrow" />
        <input name="min_cost_usd" type="number" min="0" step="any" placeholder="min $" aria-label="Minimum cost (USD)" defaultValue={query['min_cost_usd'] ?? ''} class="narrow" />
        <select aria-label="Sort" value={query['sort'] ?? 'recent'} onChange={(event) => apply({ sort: event.currentTarget.value === 'recent' ? undefined : event.currentTarget.value })}>
          {SORTS.map((sort) => (
            <option key={sort.value} value={sort.value}>
              {sort.label}
            </option>
          ))}
        </select>
        <button type="submit" class="chip">
          Apply
        </button>
        {others.map(([name, value]) => (
          <a key={name} class="chip filter-chip" href={withQuery(path, query, { [name]: undefined, cursor: undefined })} title="Remove this filter">
            {name}={value} ×
          </a>
        ))}
      </form>
    </>
  );
}

export function ConversationsPage() {
  const { path, query, route } = useLocation();
  const { window } = useTimeWindow();
  const apiQuery = { ...windowQuery(window), ...listApiQuery(query) };
  const state = useAnswer<ConversationsAnswer>('/conversations', apiQuery);
  const cursor = query['cursor'] === '' ? undefined : query['cursor'];
  const { cursor: _cursor, ...scopeQuery } = apiQuery;
  const scope = JSON.stringify(scopeQuery);
  const previous = previousOf(scope, cursor);
  const isFiltered = Object.keys(listApiQuery(query)).some((name) => name !== 'cursor' && name !== 'limit' && name !== 'sort');
  const limit = query['limit'] ?? '50';
  const next = (nextCursor: string): void => {
    rememberNext(scope, cursor, nextCursor);
    route(withQuery(path, query, { cursor: nextCursor }));
  };
  return (
    <>
      <PageHeader title="Conversations" />
      <Filters path={path} query={query} />
      <AnswerView state={state}>
        {(answer) =>
          answer.items.length === 0 && cursor === undefined ? (
            isFiltered ? (
              <div class="empty-state">
                <h2>No conversation matches these filters in this window</h2>
                <p>
                  <a href={`/conversations${windowSearch(window)}`}>Clear the filters</a> or widen the window.
                </p>
              </div>
            ) : (
              <EmptyState what="conversations" />
            )
          ) : (
            <div class="panel">
              <ConversationRows items={answer.items} search={windowSearch(window)} path={path} query={query} />
              <nav class="pager" aria-label="Pages">
                <a
                  class={previous === null ? 'chip disabled' : 'chip'}
                  aria-disabled={previous === null}
                  href={previous === null ? undefined : withQuery(path, query, { cursor: previous })}
                  data-testid="previous-page"
                >
                  ← Previous
                </a>
                <button type="button" class="chip" disabled={answer.next_cursor === null} onClick={() => answer.next_cursor !== null && next(answer.next_cursor)} data-testid="next-page">
                  Next →
                </button>
                <span class="muted">{formatCount(answer.items.length)} on this page</span>
                <label class="muted page-size">
                  per page{' '}
                  <select value={limit} onChange={(event) => route(withQuery(path, query, { limit: event.currentTarget.value === '50' ? undefined : event.currentTarget.value, cursor: undefined }))}>
                    {[...new Set([...PAGE_SIZES.map(String), limit])].map((size) => (
                      <option key={size} value={size}>
                        {size}
                      </option>
                    ))}
                  </select>
                </label>
              </nav>
            </div>
          )
        }
      </AnswerView>
    </>
  );
}
