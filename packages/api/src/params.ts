// The query parameters routes share, as zod schemas: the same schema validates a request and
// describes the parameter in the OpenAPI document. Query strings arrive as text, so numbers
// are coerced; a repeated parameter arrives as an array and fails its schema.
import {
  DEFAULT_LIMIT,
  DEFAULT_WINDOW_HOURS,
  FILTER_NAMES,
  MAX_LIMIT,
  MAX_WINDOW_DAYS,
  MAX_WINDOW_HOURS,
  MIN_LIMIT,
  MIN_WINDOW_HOURS,
  filtersOf,
  hasAttrFilter,
  type FilterName,
  type FilterSubject,
  type Filters,
} from '@convotel/query';
import { z } from 'zod';

/** Longest text any string parameter may carry. */
export const MAX_TEXT_LENGTH = 1000;

/** A string parameter: 1…1000 characters, no NUL (PostgreSQL text cannot hold it). */
export const text = () =>
  z
    .string()
    .min(1)
    .max(MAX_TEXT_LENGTH)
    .regex(/^[^\u0000]*$/, 'must not contain NUL characters');

/** An ISO-8601 instant parameter. */
export const instant = () =>
  z
    .union([z.iso.datetime({ offset: true }), z.iso.date()])
    .describe('ISO-8601 date-time with a time zone (2026-01-02T03:04:05Z), or a date (UTC midnight)');

/** `hours` or `from`/`to`. */
export const windowParams = {
  hours: z.coerce
    .number()
    .int()
    .min(MIN_WINDOW_HOURS)
    .max(MAX_WINDOW_HOURS)
    .optional()
    .describe(`The last N hours (default ${DEFAULT_WINDOW_HOURS}); or give from/to`),
  from: instant().optional().describe(`Window start (inclusive); at most ${MAX_WINDOW_DAYS} days before to`),
  to: instant().optional().describe('Window end (exclusive); default now'),
};

/** `limit` and `cursor` of a list. */
export const pageParams = {
  limit: z.coerce.number().int().min(MIN_LIMIT).max(MAX_LIMIT).optional().describe(`Items per page (default ${DEFAULT_LIMIT})`),
  cursor: text().optional().describe('next_cursor of the previous page'),
};

const FILTER_DESCRIPTIONS: Readonly<Record<FilterName, string>> = {
  service: 'service.name of the sending service',
  agent: 'Agent name of the conversation',
  channel: 'Channel of the conversation (voice, chat, …)',
  user: 'User id',
  session: 'Session id',
  model: 'LLM model (response or requested)',
  provider: 'LLM (or step) provider',
  call_type: 'LLM call type',
  function: 'Application function that made the LLM call',
  status: 'Status (ok, error; active for conversations)',
  tag: 'A tag of the LLM call',
};

/** Key of an `attr.<key>` filter. */
const ATTR_KEY = /^[A-Za-z0-9_.:/@-]{1,200}$/;

/** The filters that apply to `subject` (but those in `except`), plus `attr` when it does. */
export function filterParams(subject: FilterSubject, except: readonly FilterName[] = []): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  for (const name of filtersOf(subject)) {
    if (!except.includes(name)) shape[name] = text().optional().describe(FILTER_DESCRIPTIONS[name]);
  }
  if (hasAttrFilter(subject)) {
    shape['attr'] = z
      .record(z.string().regex(ATTR_KEY), text())
      .optional()
      .describe('Sent as attr.<key>=<value>: a call attribute or conversation metadata entry equal to value');
  }
  return shape;
}

/** The filters of a parsed parameter object. */
export function toFilters(input: Readonly<Record<string, unknown>>): Filters {
  const filters: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value !== undefined && (FILTER_KEYS.has(key) || key === 'attr')) filters[key] = value;
  }
  return filters as Filters;
}
const FILTER_KEYS: ReadonlySet<string> = new Set(FILTER_NAMES);

/** Prefix of attribute filters in a query string. */
export const ATTR_PREFIX = 'attr.';

/**
 * The query string as the schemas see it: `attr.<key>=<value>` pairs gathered into `attr`
 * (an `attr` object), everything else as sent.
 */
export function gatherAttrParams(query: Readonly<Record<string, unknown>>): Record<string, unknown> {
  // Null prototypes: a parameter named __proto__ is a key like any other (and unknown: a 400).
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  let attr: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(query)) {
    if (key.startsWith(ATTR_PREFIX)) {
      attr ??= Object.create(null) as Record<string, unknown>;
      attr[key.slice(ATTR_PREFIX.length)] = value;
    } else {
      out[key] = value;
    }
  }
  if (attr !== undefined) out['attr'] = attr;
  return out;
}

/** An IANA time zone (`Europe/Paris`), default UTC. */
export const timeZone = () =>
  text()
    .max(64)
    .refine(isTimeZone, 'must be an IANA time zone such as UTC or Europe/Paris')
    .optional()
    .describe('IANA time zone (default UTC)');

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
