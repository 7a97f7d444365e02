// The options the analytics commands share, each spelled once: where the API is and its key,
// the time window, the filters (one table, keyed by the API's parameter names), `--json` and
// the time zone. Each turns into query parameters of the API's contract.
import type { FilterName } from '@convotel/query';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { createApiClient, defaultOptionOf, type ApiClient, type Query } from './client/api-client.js';
import { formatMinute } from './format/time.js';

/** Default server when neither --url nor CONVOTEL_URL is given. */
export const DEFAULT_URL = 'http://127.0.0.1:8080';

/** The API's window when neither --hours nor --from/--to is given (its `hours` default). */
export const API_DEFAULT_HOURS = 24;

// Keyed by the API's filter names (a type only: nothing of the query package runs here), so a
// filter the API adds is a compile error until it has its option.
const FILTERS: Readonly<Record<FilterName, { readonly flags: string; readonly description: string }>> = {
  service: { flags: '--service <name>', description: 'service.name of the sending service' },
  agent: { flags: '--agent <name>', description: 'agent name' },
  channel: { flags: '--channel <channel>', description: 'channel (voice, chat, …)' },
  user: { flags: '--user <id>', description: 'user id' },
  session: { flags: '--session <id>', description: 'session id' },
  model: { flags: '--model <model>', description: 'LLM model' },
  provider: { flags: '--provider <provider>', description: 'LLM or step provider' },
  call_type: { flags: '--call-type <type>', description: 'LLM call type' },
  function: { flags: '--function <name>', description: 'application function that made the LLM call' },
  status: { flags: '--status <status>', description: 'status (ok, error; active, completed for conversations)' },
  tag: { flags: '--tag <tag>', description: 'a tag of the LLM call' },
};
const FILTER_OPTIONS = Object.entries(FILTERS).map(([param, spec]) => ({ param, ...spec, attribute: new Option(spec.flags).attributeName() }));

/** Options every analytics command has. */
export interface ClientFlags {
  readonly url: string;
  readonly apiKey?: string;
  readonly json?: boolean;
  readonly tz: string;
}

/** `--hours` or `--from`/`--to`. */
export interface WindowFlags {
  readonly hours?: number;
  readonly from?: string;
  readonly to?: string;
}

/** The filter options (keys are commander's attribute names) and `--attr`. */
export type FilterFlags = Readonly<Record<string, unknown>> & { readonly attr?: readonly string[] };

export function parsePositiveInteger(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return number;
}

const DURATION_UNITS_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `8000`, `8000ms`, `8s`, `1.5m` → ms. */
export function parseDurationMs(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(value.trim());
  if (match === null) throw new InvalidArgumentError('expected a duration such as 8000 (ms), 8s or 1.5m');
  return Number(match[1]) * DURATION_UNITS_MS[match[2] ?? 'ms']!;
}

const AGO_UNITS_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A point in time for the API: `now`, an age (`90m`, `48h`, `7d`, `2w`: that long ago), or an
 * ISO-8601 date or date-time passed through (the API checks it).
 */
export function toInstant(value: string, nowMs: number = Date.now()): string {
  const text = value.trim();
  if (text === 'now') return new Date(nowMs).toISOString();
  const ago = /^(\d+(?:\.\d+)?)(m|h|d|w)$/.exec(text);
  if (ago !== null) return new Date(nowMs - Number(ago[1]) * AGO_UNITS_MS[ago[2]!]!).toISOString();
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) throw new InvalidArgumentError('expected now, an age (48h, 7d) or an ISO-8601 date or date-time');
  return text;
}

export function parseTimeZone(value: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    throw new InvalidArgumentError('expected an IANA time zone such as UTC or Europe/Berlin');
  }
}

function parseAttr(value: string, previous: readonly string[] = []): string[] {
  if (!/^[^=]+=.+$/.test(value)) throw new InvalidArgumentError('expected key=value');
  return [...previous, value];
}

/** The system's time zone (TZ), the default of --tz. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** `--url`, `--api-key`, `--json`, `--tz`. */
export function withClientOptions(command: Command): Command {
  return command
    .addOption(new Option('--url <url>', 'the convotel server').env('CONVOTEL_URL').default(DEFAULT_URL))
    .addOption(new Option('--api-key <key>', 'Bearer key of the API').env('CONVOTEL_API_KEY'))
    .option('--json', "print the API's answer as JSON, for scripts")
    .addOption(new Option('--tz <zone>', 'time zone of the times shown').default(localTimeZone(), 'the system zone').argParser(parseTimeZone));
}

/** `--hours`, `--from`, `--to`. */
export function withWindowOptions(command: Command): Command {
  return command
    .option('--hours <n>', `the last n hours (1…2160; default ${API_DEFAULT_HOURS})`, parsePositiveInteger)
    .option('--from <time>', 'window start: ISO-8601, or an age such as 48h or 7d', (value) => toInstant(value))
    .option('--to <time>', 'window end (default now): ISO-8601, an age, or now', (value) => toInstant(value));
}

/** The filter options and `--attr key=value` (repeatable). */
export function withFilterOptions(command: Command): Command {
  for (const { flags, description } of FILTER_OPTIONS) command.addOption(new Option(flags, `filter: ${description}`));
  return command.option('--attr <key=value>', 'filter: call attribute or conversation metadata (repeatable)', parseAttr);
}

/** An API client for the client options; `options` names the flags of a command's own parameters. */
export function clientOf(flags: ClientFlags, options: Readonly<Record<string, string>> = {}): ApiClient {
  return createApiClient({
    url: flags.url,
    apiKey: flags.apiKey,
    optionOf: (parameter) => options[parameter] ?? defaultOptionOf(parameter),
  });
}

export function windowQuery(flags: WindowFlags): Query {
  return { hours: flags.hours, from: flags.from, to: flags.to };
}

export function filterQuery(flags: FilterFlags): Query {
  const query: Record<string, string> = {};
  for (const { param, attribute } of FILTER_OPTIONS) {
    const value = flags[attribute];
    if (typeof value === 'string') query[param] = value;
  }
  for (const pair of flags.attr ?? []) {
    const at = pair.indexOf('=');
    query[`attr.${pair.slice(0, at)}`] = pair.slice(at + 1);
  }
  return query;
}

/** The window in words, for titles: "last 24 hours", "2026-01-01 00:00 → now UTC". */
export function describeWindow(flags: WindowFlags & Pick<ClientFlags, 'tz'>): string {
  if (flags.from === undefined && flags.to === undefined) {
    const hours = flags.hours ?? API_DEFAULT_HOURS;
    return hours === 1 ? 'last hour' : `last ${hours} hours`;
  }
  const from = flags.from === undefined ? `${flags.hours ?? API_DEFAULT_HOURS} hours before` : formatMinute(flags.from, flags.tz);
  const to = flags.to === undefined ? 'now' : formatMinute(flags.to, flags.tz);
  return `${from} → ${to} ${flags.tz}`;
}
