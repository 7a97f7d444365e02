// GET /costs over days from rollups (migration 0009): a window's spend by key is cost_daily's
// whole UTC days, cost_hourly's whole hours around them and the raw rows of the partial hours at
// its ends (rollups/rollup-window.ts), exact. Its distinct conversations of a key are the
// conversation_keys rows of that key whose first..last span overlaps the window: exact unless a
// conversation had rows of the key before and after the window and none inside it (over a window
// longer than 48 hours, a conversation idle under that key for the whole window). They are
// counted as the spans begun before the window's end less those ended before its start, from the
// rollups' per-hour (day) counts of spans begun and ended: a key's daily rows, not its spans.
import { CONVERSATION_KEYS, COST_DAILY, COST_HOURLY, type Table } from '@convotel/store';
import type { Filters } from '../filters.js';
import { isServedBy, splitWindow, type SplitWindow } from '../rollups/rollup-window.js';
import type { SqlParams } from '../sql.js';
import type { TimeWindow } from '../window.js';
import type { GroupBy } from './group-keys.js';

const CH = COST_HOURLY.columns;
const K = CONVERSATION_KEYS.columns;

/** Whether a costs question can be read from the cost rollups: no filter (the rollups hold one dimension per row, never two). */
export function isServedByCostRollups(filters: Filters): boolean {
  return isServedBy({}, filters);
}

function rangeCondition(column: string, ranges: readonly TimeWindow[], params: SqlParams): string {
  if (ranges.length === 0) return 'false';
  return ranges
    .map((range) => `(c.${column} >= ${params.add(range.from.toISOString(), 'timestamptz')} AND c.${column} < ${params.add(range.to.toISOString(), 'timestamptz')})`)
    .join(' OR ');
}

function tableRows(table: Table, by: GroupBy, ranges: readonly TimeWindow[], params: SqlParams): string | undefined {
  if (ranges.length === 0) return undefined;
  const time = (table.key[0] as Table['key'][number]).name;
  // The cost rows' columns (costs.ts), conversation unknown (conversations are counted apart),
  // and the conversation spans begun and ended.
  return `SELECT c.${CH.key} AS key, NULL::text AS conversation_id, c.${CH.costUsd} AS cost_usd, c.${CH.llmCostUsd} AS llm, c.${CH.sttCostUsd} AS stt,
                 c.${CH.ttsCostUsd} AS tts, c.${CH.otherCostUsd} AS other, c.${CH.calls} AS calls, c.${CH.inputTokens} AS input_tokens,
                 c.${CH.outputTokens} AS output_tokens, c.${time} AS at, c.${CH.conversationsStarted} AS started, c.${CH.conversationsEnded} AS ended
            FROM ${table} c WHERE c.${CH.dimension} = ${params.add(by, 'text')} AND (${rangeCondition(time, ranges, params)})`;
}

/** The conversation spans of the key that begin (`first`) or end (`last`) in `edge`, as rows of {@link tableRows}'s columns. */
function edgeSpans(end: 'first' | 'last', by: GroupBy, edge: TimeWindow, params: SqlParams): string {
  const time = end === 'first' ? K.firstAt : K.lastAt;
  return `SELECT s.${K.key}, NULL::text, 0::numeric, 0::numeric, 0::numeric, 0::numeric, 0::numeric, 0::bigint, 0::bigint, 0::bigint, s.${time},
                 ${end === 'first' ? '1::bigint, 0::bigint' : '0::bigint, 1::bigint'}
            FROM ${CONVERSATION_KEYS} s WHERE s.${K.dimension} = ${params.add(by, 'text')}
             AND s.${time} >= ${params.add(edge.from.toISOString(), 'timestamptz')} AND s.${time} < ${params.add(edge.to.toISOString(), 'timestamptz')}`;
}

/**
 * The cost rows of a split window (columns as costs.ts' raw cost rows, `at` a row's time, its
 * hour or its day, then `started` and `ended`, the conversation spans of the key begun and ended
 * there): rollup rows for its days and hours, `rawRows(edge)` for each edge and, with `withSpans`,
 * the spans that begin or end in the edges.
 */
export function costRollupRowsSql(by: GroupBy, split: SplitWindow, params: SqlParams, rawRows: (window: TimeWindow) => string, withSpans = false): string {
  const parts = [
    tableRows(COST_DAILY, by, split.days === undefined ? [] : [split.days], params),
    tableRows(COST_HOURLY, by, split.hours, params),
    ...split.edges.map((edge) => `SELECT e.*, 0::bigint AS started, 0::bigint AS ended FROM (${rawRows(edge)}) e`),
    ...(withSpans ? split.edges.flatMap((edge) => [edgeSpans('first', by, edge, params), edgeSpans('last', by, edge, params)]) : []),
  ].filter((part): part is string => part !== undefined);
  return parts.join(' UNION ALL ');
}

/**
 * Each key's spend over a split window, (key, cost_usd), to rank keys by: the whole days summed
 * apart (in key order, from cost_daily's covering index), joined to the rest (hours and edges),
 * which is small. The figures of a page's keys are read after.
 */
export function costRankSql(by: GroupBy, split: SplitWindow, params: SqlParams, rawRows: (window: TimeWindow) => string): string {
  const rest = costRollupRowsSql(by, { days: undefined, hours: split.hours, edges: split.edges }, params, rawRows);
  const restSums = rest === '' ? undefined : `SELECT r.key, sum(r.cost_usd) AS cost_usd FROM (${rest}) r GROUP BY r.key`;
  if (split.days === undefined) return restSums ?? 'SELECT NULL::text AS key, 0::numeric AS cost_usd WHERE false';
  const days = `SELECT c.${CH.key} AS key, sum(c.${CH.costUsd}) AS cost_usd FROM ${COST_DAILY} c
                 WHERE c.${CH.dimension} = ${params.add(by, 'text')} AND c.${COST_DAILY.columns.day} >= ${params.add(split.days.from.toISOString(), 'timestamptz')}
                   AND c.${COST_DAILY.columns.day} < ${params.add(split.days.to.toISOString(), 'timestamptz')} GROUP BY 1`;
  if (restSums === undefined) return days;
  return `SELECT coalesce(d.key, o.key) AS key, coalesce(d.cost_usd, 0) + coalesce(o.cost_usd, 0) AS cost_usd FROM (${days}) d FULL JOIN (${restSums}) o ON o.key = d.key`;
}

/** The split of a window the rollups answer: whole days only where the days are UTC's. */
export function costSplit(window: TimeWindow, withDays: boolean): SplitWindow | undefined {
  const split = splitWindow(window, withDays);
  return split.days === undefined && split.hours.length === 0 ? undefined : split;
}

/**
 * How many conversation_keys spans of the key `keyExpr` began (`first`) or ended (`last`) before
 * the time `timeExpr`: the rollups' counts of the whole UTC days and hours before it, and the
 * spans of the partial hour.
 */
function spansBefore(end: 'first' | 'last', by: string, keyExpr: string, timeExpr: string): string {
  const measure = end === 'first' ? CH.conversationsStarted : CH.conversationsEnded;
  const spanTime = end === 'first' ? K.firstAt : K.lastAt;
  const day = `(date_trunc('day', ${timeExpr} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`;
  const hour = `(date_trunc('hour', ${timeExpr} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`;
  return `((SELECT coalesce(sum(d.${measure}), 0) FROM ${COST_DAILY} d WHERE d.${CH.dimension} = ${by} AND d.${CH.key} = ${keyExpr} AND d.${COST_DAILY.columns.day} < ${day})
         + (SELECT coalesce(sum(h.${measure}), 0) FROM ${COST_HOURLY} h WHERE h.${CH.dimension} = ${by} AND h.${CH.key} = ${keyExpr} AND h.${CH.hour} >= ${day} AND h.${CH.hour} < ${hour})
         + (SELECT count(*) FROM ${CONVERSATION_KEYS} s WHERE s.${K.dimension} = ${by} AND s.${K.key} = ${keyExpr} AND s.${spanTime} >= ${hour} AND s.${spanTime} < ${timeExpr}))`;
}

/**
 * Conversations of the key `keyExpr` whose span overlaps [fromExpr, toExpr): those begun before
 * its end less those ended before its start (a span that ended before the start began before it).
 */
function overlappingSpans(by: string, keyExpr: string, fromExpr: string, toExpr: string): string {
  return `(${spansBefore('first', by, keyExpr, toExpr)} - ${spansBefore('last', by, keyExpr, fromExpr)})`;
}

/** Distinct conversations of each of `keys` in `window`: (key, conversations). */
export function conversationCountsSql(by: GroupBy, window: TimeWindow, keys: string, params: SqlParams): string {
  const dimension = params.add(by, 'text');
  const from = params.add(window.from.toISOString(), 'timestamptz');
  const to = params.add(window.to.toISOString(), 'timestamptz');
  return `SELECT k.key, ${overlappingSpans(dimension, 'k.key', from, to)} AS conversations FROM unnest(${keys}) AS k(key)`;
}

/**
 * Conversations of each of `keys` whose span under the key began before `at` and had not ended
 * by it: (key, active). A series' buckets add, in order, the spans begun in each and take out
 * those ended in the ones before.
 */
export function activeSpansSql(by: GroupBy, at: Date, keys: string, params: SqlParams): string {
  const dimension = params.add(by, 'text');
  const time = params.add(at.toISOString(), 'timestamptz');
  return `SELECT k.key, (${spansBefore('first', dimension, 'k.key', time)} - ${spansBefore('last', dimension, 'k.key', time)}) AS active FROM unnest(${keys}) AS k(key)`;
}
