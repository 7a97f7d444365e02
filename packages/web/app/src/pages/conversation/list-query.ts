// The conversations list's URL parameters: which the page passes on to GET /api/v1/conversations
// (the API refuses unknown ones), and the preset views one click away.

/** Equality filters the API applies to conversations (its filterParams('conversations')). */
export const LIST_FILTERS = ['status', 'agent', 'channel', 'user', 'session', 'service', 'model', 'provider', 'call_type', 'function', 'tag'] as const;

/** Other list parameters of the API. */
const LIST_OPTIONS = ['sort', 'q', 'min_duration_ms', 'min_cost_usd', 'limit', 'cursor'] as const;

/** Filters the page has inputs for; the others show as removable chips when a link set them. */
export const EDITABLE_FILTERS = ['agent', 'channel', 'user', 'model'] as const;

export const SORTS = [
  { value: 'recent', label: 'Most recent' },
  { value: 'slowest', label: 'Slowest' },
  { value: 'costliest', label: 'Costliest' },
] as const;

export const STATUSES = ['active', 'completed', 'error'] as const;

/** Prefix of a metadata (or call attribute) filter: attr.plan=pro. */
export const ATTR_PREFIX = 'attr.';

const PASSED: ReadonlySet<string> = new Set<string>([...LIST_FILTERS, ...LIST_OPTIONS]);

/** The API query of the page's URL query (window parameters are added by the caller). */
export function listApiQuery(query: Readonly<Record<string, string>>): Record<string, string> {
  const api: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (value !== '' && (PASSED.has(name) || name.startsWith(ATTR_PREFIX))) api[name] = value;
  }
  return api;
}

/** Filters set in the URL that have no input of their own (for chips). */
export function otherFilters(query: Readonly<Record<string, string>>): Array<[string, string]> {
  const editable: ReadonlySet<string> = new Set(EDITABLE_FILTERS);
  return Object.entries(query).filter(
    ([name, value]) => value !== '' && ((PASSED.has(name) && (LIST_FILTERS as readonly string[]).includes(name) && !editable.has(name) && name !== 'status') || name.startsWith(ATTR_PREFIX)),
  );
}
