// GET /costs: spend of the window by user, session, agent, model, provider, call type or
// function, optionally with a per-day series per group.
//
// User, session and agent are keys of a turn, so their figures are the turns' sums (LLM, STT,
// TTS and other cost, as in the overview). Model and provider are keys of LLM calls and of
// priced steps (STT/TTS: deepgram nova-3 is a provider and a model too); call type and
// function are keys of LLM calls only. A call's model is its response model, else its request
// model (group-keys.ts), as in the LLM rollups and the overview's top models.
//
// Windows over days without filters read the cost rollups (cost-rollups.ts): sums and counts
// exact (whole days and hours from rollups, the partial hours at the ends from raw rows), and
// each item's distinct conversations counted as the conversations whose first..last row of the
// key overlaps the window — off only for a conversation idle under the key for the whole window,
// so `conversations` is listed as approximate. The per-day series reads daily
// rollups in UTC, hourly ones in a zone a whole number of hours from UTC, raw rows otherwise.
// Shorter windows, `exact` and filters (no rollup holds a key and a filter together) read raw rows.
import { resolveLimit, type KeysetOrder, type Page } from '../cursor.js';
import type { ReadDb, SqlClient } from '../db.js';
import { appliesTo, type Filters } from '../filters.js';
import { scopeConditions, type Scope } from '../scope.js';
import { SqlParams, isoText, whereClause } from '../sql.js';
import { mayReadRollups, type ReadOptions } from '../rollups/read-mode.js';
import type { SplitWindow } from '../rollups/rollup-window.js';
import { zoneAlignment } from '../rollups/zone-alignment.js';
import { bucketSql, maxBucketCount } from '../time-buckets.js';
import { toNumber } from '../values.js';
import { resolveWindow, windowToJson, type WindowParams } from '../window.js';
import { UNKNOWN_KEY, callGroupKey, keyOrNull, stepGroupKey, turnGroupKey, type GroupBy } from './group-keys.js';
import { readGroupedRows, toGroupedPage, type WindowedPage } from './grouped-page.js';
import { activeSpansSql, conversationCountsSql, costRankSql, costRollupRowsSql, costSplit, isServedByCostRollups } from './cost-rollups.js';

export const COST_INTERVALS = ['day'] as const;
export type CostInterval = (typeof COST_INTERVALS)[number];

export interface CostParams extends WindowParams {
  /** Default `model`. */
  readonly by?: GroupBy | undefined;
  readonly filters?: Filters;
  /** `day` adds a per-day series to each item. */
  readonly interval?: CostInterval | undefined;
  /** IANA time zone of the days. Default `UTC`. */
  readonly tz?: string | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

export interface CostFigures {
  readonly cost_usd: number;
  readonly llm_cost_usd: number;
  readonly stt_cost_usd: number;
  readonly tts_cost_usd: number;
  readonly other_cost_usd: number;
  readonly calls: number;
  readonly conversations: number;
  readonly input_tokens: number;
  readonly output_tokens: number;
}

export interface CostPoint extends CostFigures {
  /** Day start (in `tz`), ISO-8601 UTC. */
  readonly t: string;
}

export interface CostGroup extends CostFigures {
  /** The user, session, … (null: the rows carry none). */
  readonly key: string | null;
  /** With `interval=day`: every day of the window, empty days as 0. */
  readonly series?: CostPoint[];
}

export interface Costs extends WindowedPage<CostGroup> {
  readonly by: GroupBy;
  readonly interval: CostInterval | null;
  readonly tz: string;
  /** Figures that may be off: `conversations` when read from rollups (see the head of this file). */
  readonly approximate: string[];
}

/** Each figure's aggregate over cost rows aliased r. */
const FIGURE_AGGREGATES: Readonly<Record<keyof CostFigures, string>> = {
  cost_usd: 'sum(r.cost_usd)',
  llm_cost_usd: 'sum(r.llm)',
  stt_cost_usd: 'sum(r.stt)',
  tts_cost_usd: 'sum(r.tts)',
  other_cost_usd: 'sum(r.other)',
  calls: 'sum(r.calls)',
  conversations: 'count(DISTINCT r.conversation_id)',
  input_tokens: 'sum(r.input_tokens)',
  output_tokens: 'sum(r.output_tokens)',
};
const FIGURES_SQL = Object.entries(FIGURE_AGGREGATES)
  .map(([name, aggregate]) => `coalesce(${aggregate}, 0) AS ${name}`)
  .join(', ');
/** The figures of rollup rows: conversations are counted apart (conversation_keys). */
const ROLLUP_FIGURES_SQL = Object.entries(FIGURE_AGGREGATES)
  .map(([name, aggregate]) => `coalesce(${name === 'conversations' ? '0' : aggregate}, 0) AS ${name}`)
  .join(', ');
/** The figures of a LEFT JOINed figures row f, 0 where it is missing (an empty day). */
const JOINED_FIGURES_SQL = Object.keys(FIGURE_AGGREGATES)
  .map((name) => `coalesce(f.${name}, 0) AS ${name}`)
  .join(', ');

function toCostFigures(row: Record<string, unknown>): CostFigures {
  return {
    cost_usd: toNumber(row['cost_usd']),
    llm_cost_usd: toNumber(row['llm_cost_usd']),
    stt_cost_usd: toNumber(row['stt_cost_usd']),
    tts_cost_usd: toNumber(row['tts_cost_usd']),
    other_cost_usd: toNumber(row['other_cost_usd']),
    calls: toNumber(row['calls']),
    conversations: toNumber(row['conversations']),
    input_tokens: toNumber(row['input_tokens']),
    output_tokens: toNumber(row['output_tokens']),
  };
}

/**
 * Rows that carry cost, as (key, conversation_id, cost_usd, llm, stt, tts, other, calls,
 * input_tokens, output_tokens, at): the window's turns for turn keys, else its LLM calls plus,
 * for provider and model, its priced steps.
 */
function costRowsSql(by: GroupBy, scope: Scope, params: SqlParams): string {
  const turnKey = turnGroupKey(by);
  if (turnKey !== undefined) {
    return `SELECT ${turnKey.expression} AS key, t.conversation_id, t.cost_usd, t.llm_cost_usd AS llm, t.stt_cost_usd AS stt,
                   t.tts_cost_usd AS tts, t.other_cost_usd AS other, t.llm_calls AS calls, t.input_tokens, t.output_tokens, t.started_at AS at
              FROM turns t ${turnKey.join} ${whereClause(scopeConditions('turns', 't', scope, params))}`;
  }
  const callKey = callGroupKey(by);
  const calls = `SELECT ${callKey.expression} AS key, l.conversation_id, coalesce(l.cost_usd, 0) AS cost_usd, coalesce(l.cost_usd, 0) AS llm,
                        0::numeric AS stt, 0::numeric AS tts, 0::numeric AS other, 1 AS calls,
                        coalesce(l.input_tokens, 0) AS input_tokens, coalesce(l.output_tokens, 0) AS output_tokens, l.started_at AS at
                   FROM llm_calls l ${callKey.join} ${whereClause(scopeConditions('llm_calls', 'l', scope, params))}`;
  const stepKey = stepGroupKey(by);
  // A filter steps do not have (call type, function, tag) keeps no step.
  if (stepKey === undefined || !appliesTo('steps', scope.filters)) return calls;
  const category = (name: string): string => `CASE WHEN s.cost_category = '${name}' THEN s.cost_usd ELSE 0 END`;
  const steps = `SELECT ${stepKey.expression} AS key, s.conversation_id, s.cost_usd, 0::numeric AS llm, ${category('stt')} AS stt,
                        ${category('tts')} AS tts, ${category('other')} AS other, 0 AS calls, 0 AS input_tokens, 0 AS output_tokens, s.started_at AS at
                   FROM steps s ${stepKey.join} ${whereClause(['s.cost_usd IS NOT NULL', ...scopeConditions('steps', 's', scope, params)])}`;
  return `${calls} UNION ALL ${steps}`;
}

/** Costliest first; a cursor is valid only for the grouping it came from. */
const orderOf = (by: GroupBy): KeysetOrder => ({ name: `cost-by-${by}`, key: 'g.cost_usd', type: 'numeric', id: 'g.key COLLATE "C"' });

/** Where an answer's rows come from: raw rows, or a split window's rollups and raw edges. */
type CostSource = { readonly split: SplitWindow } | undefined;

/** The cost rows of the scope (raw), or of its split window (rollups and raw edges; with `withSpans`, the conversation spans begun and ended). */
function sourceRowsSql(by: GroupBy, scope: Scope, source: CostSource, params: SqlParams, withSpans = false): string {
  if (source === undefined) return costRowsSql(by, scope, params);
  return costRollupRowsSql(by, source.split, params, (edge) => costRowsSql(by, { ...scope, window: edge }, params), withSpans);
}

/** Spend of a window by key: from rollups over days without filters (see the head of this file), else from raw rows. */
export async function getCosts(db: ReadDb, params: CostParams, options: ReadOptions = {}): Promise<Costs> {
  const window = resolveWindow(params, options.now);
  const by = params.by ?? 'model';
  const tz = params.tz ?? 'UTC';
  const interval = params.interval ?? null;
  // A page's series must fit the row bound too: fewer items per page over long windows.
  const seriesLength = interval === null ? 1 : maxBucketCount(window, interval);
  const limit = Math.max(1, Math.min(resolveLimit(params.limit), Math.floor(db.maxRows / seriesLength)));
  const scope: Scope = { window, filters: params.filters ?? {} };
  const order = orderOf(by);
  const totals: CostSource = mayReadRollups(window, options.mode) && isServedByCostRollups(scope.filters) ? splitOf(costSplit(window, true)) : undefined;
  const approximate = totals === undefined ? [] : ['conversations'];
  return db.read(async (sql) => {
    let page: Page<CostGroup>;
    const sqlParams = new SqlParams();
    if (totals === undefined) {
      const grouped = `SELECT r.key, ${FIGURES_SQL} FROM (${costRowsSql(by, scope, sqlParams)}) r GROUP BY r.key`;
      const rows = await readGroupedRows(sql, grouped, sqlParams, order, { limit, cursor: params.cursor });
      page = toGroupedPage(rows, limit, order, (row) => ({ key: keyOrNull(row['key']), ...toCostFigures(row) }));
    } else {
      // Keys ranked by spend alone (every key of the window), then the page's figures and conversations.
      const ranked = costRankSql(by, totals.split, sqlParams, (edge) => costRowsSql(by, { ...scope, window: edge }, sqlParams));
      const rows = await readGroupedRows(sql, ranked, sqlParams, order, { limit, cursor: params.cursor });
      page = toGroupedPage(rows, limit, order, (row) => ({ key: keyOrNull(row['key']), ...toCostFigures(row) }));
      if (page.items.length > 0) page = await withPageFigures(sql, page, by, scope, totals);
    }
    if (interval === null || page.items.length === 0) return { window: windowToJson(window), by, interval, tz, ...page, approximate };

    // Series: UTC days from daily rollups, whole-hour zones from hourly ones, other zones raw.
    let series: CostSource;
    if (totals !== undefined) {
      const aligned = tz === 'UTC' ? { hours: true, days: true } : await zoneAlignment(sql, window, tz);
      series = aligned.hours ? splitOf(costSplit(window, aligned.days)) : undefined;
    }
    const seriesParams = new SqlParams();
    const costRows = sourceRowsSql(by, scope, series, seriesParams, true);
    const buckets = bucketSql(seriesParams, window, interval, tz);
    const keys = seriesParams.add(page.items.map((item) => item.key ?? UNKNOWN_KEY), 'text[]');
    // From rollups, a day's conversations are those of the key active at the window's start, plus
    // the spans begun up to that day, less those ended before it.
    const fromRollups = series !== undefined;
    const { rows: pointRows } = await sql.query(
      `WITH figures AS (
         SELECT r.key, ${buckets.bucketOf('r.at')} AS t, ${fromRollups ? `${ROLLUP_FIGURES_SQL}, sum(r.started) AS started, sum(r.ended) AS ended` : FIGURES_SQL}
           FROM (${costRows}) r WHERE r.key = ANY(${keys}) GROUP BY 1, 2
       )${fromRollups ? `, active AS (${activeSpansSql(by, window.from, keys, seriesParams)})` : ''}
       SELECT k.key, ${isoText('b.t')} AS t, ${
         fromRollups
           ? JOINED_FIGURES_SQL.replace(
               'coalesce(f.conversations, 0) AS conversations',
               `coalesce(a.active, 0) + sum(coalesce(f.started, 0)) OVER w - (sum(coalesce(f.ended, 0)) OVER w - coalesce(f.ended, 0)) AS conversations`,
             )
           : JOINED_FIGURES_SQL
       }
         FROM unnest(${keys}) AS k(key) CROSS JOIN (${buckets.series}) b LEFT JOIN figures f ON f.key = k.key AND f.t = b.t
         ${fromRollups ? 'LEFT JOIN active a ON a.key = k.key WINDOW w AS (PARTITION BY k.key ORDER BY b.t)' : ''}
        ORDER BY k.key, b.t LIMIT ${seriesParams.add(db.maxRows, 'integer')}`,
      seriesParams.values,
    );
    const points = new Map<string, CostPoint[]>();
    for (const row of pointRows) {
      const key = String(row['key']);
      const keyPoints = points.get(key) ?? [];
      keyPoints.push({ t: String(row['t']), ...toCostFigures(row) });
      points.set(key, keyPoints);
    }
    return {
      window: windowToJson(window),
      by,
      interval,
      tz,
      items: page.items.map((item) => ({ ...item, series: points.get(item.key ?? UNKNOWN_KEY) ?? [] })),
      next_cursor: page.next_cursor,
      approximate,
    };
  });
}

/** The page's figures from rollups and raw edges, and its distinct conversations (cost-rollups.ts), for keys ranked by spend. */
async function withPageFigures(sql: SqlClient, page: Page<CostGroup>, by: GroupBy, scope: Scope, source: { readonly split: SplitWindow }): Promise<Page<CostGroup>> {
  const params = new SqlParams();
  const keys = params.add(page.items.map((item) => item.key ?? UNKNOWN_KEY), 'text[]');
  const { rows: figureRows } = await sql.query(
    `SELECT r.key, ${ROLLUP_FIGURES_SQL} FROM (${sourceRowsSql(by, scope, source, params)}) r WHERE r.key = ANY(${keys}) GROUP BY r.key`,
    params.values,
  );
  const countParams = new SqlParams();
  const countKeys = countParams.add(page.items.map((item) => item.key ?? UNKNOWN_KEY), 'text[]');
  const { rows: counts } = await sql.query(conversationCountsSql(by, scope.window, countKeys, countParams), countParams.values);
  const figures = new Map(figureRows.map((row) => [String(row['key']), toCostFigures(row)]));
  const conversations = new Map(counts.map((row) => [String(row['key']), toNumber(row['conversations'])]));
  return {
    ...page,
    items: page.items.map((item) => {
      const key = item.key ?? UNKNOWN_KEY;
      return { ...item, ...figures.get(key), key: item.key, conversations: conversations.get(key) ?? 0 };
    }),
  };
}

function splitOf(split: SplitWindow | undefined): CostSource {
  return split === undefined ? undefined : { split };
}
