// GET /errors: error rates by step and by model, and the window's errors sorted into the
// pattern library (rate limit, timeout, context length, …) with recent examples.
//
// An error is counted where it happened once per turn: a failed LLM call fails its step and
// its turn with the same message, so occurrences of one message in one trace (calls, steps,
// turn, SQL spans) count once, at the earliest end among them (the raising span).
//
// Over windows longer than 48 hours (mode `auto`) the rates come from rollups where the filters
// allow (error-rollup-sources.ts), and the patterns, when nothing is filtered, from
// error_occurrences: the occurrences themselves, one row each, as the raw rows make them. Those
// whose rows all started in the window are read as stored; the few whose rows the window cuts
// (a trace across its start or end) are made again from their rows in the window. So the
// patterns are the raw path's to the row, not an approximation. Otherwise they come from the
// failed rows, found through partial indexes on status = 'error'.
import { ERROR_OCCURRENCES } from '@convotel/store';
import type { ReadDb, SqlClient } from '../db.js';
import { appliesTo, FILTER_NAMES, type FilterSubject, type Filters } from '../filters.js';
import { mayReadRollups, type ReadOptions } from '../rollups/read-mode.js';
import { scopeConditions, type Scope } from '../scope.js';
import { SqlParams, isoText, whereClause } from '../sql.js';
import { toNumber, toText } from '../values.js';
import { resolveWindow, windowToJson, type WindowJson, type WindowParams } from '../window.js';
import { RAW_ERROR_ANALYSIS_SOURCES, type ErrorAnalysisSources, type ModelErrorRate, type StepErrorRate } from './error-rates.js';
import { planErrorRollups } from './error-rollup-sources.js';
import { classifyError, ERROR_PATTERNS, type ErrorPattern } from './error-patterns.js';

export const DEFAULT_ERROR_EXAMPLES = 3;
export const MAX_ERROR_EXAMPLES = 20;

export interface ErrorAnalysisParams extends WindowParams {
  readonly filters?: Filters;
  /** Examples per pattern (default 3, at most 20). */
  readonly examples?: number | undefined;
}

export interface ErrorExample {
  readonly trace_id: string;
  readonly conversation_id: string | null;
  /** The error message, else its type. */
  readonly message: string | null;
  readonly at: string | null;
}

export interface ErrorPatternCount {
  readonly pattern: ErrorPattern;
  readonly count: number;
  /** The most recent occurrences, newest first. */
  readonly examples: ErrorExample[];
}

export interface ErrorAnalysis {
  readonly window: WindowJson;
  readonly by_step: StepErrorRate[];
  readonly by_model: ModelErrorRate[];
  /** Error occurrences in the window (one per trace and message). */
  readonly total: number;
  /** Patterns that occurred, most frequent first. */
  readonly patterns: ErrorPatternCount[];
  /** Some list was cut at the row bound (patterns then classify the most frequent messages). */
  readonly truncated: boolean;
  /** Always empty: every figure here is a count, exact whichever way it is read (occurrences included). */
  readonly approximate: string[];
}

export interface ErrorAnalysisOptions extends ReadOptions {
  /** Replaces the planned sources (tests, comparisons). */
  readonly sources?: Partial<ErrorAnalysisSources>;
}

/** Failed rows of each table, as (trace, conversation, type, message, time of failure). */
const FAILURE_SOURCES: readonly { subject: FilterSubject; alias: string; table: string; at: string }[] = [
  { subject: 'llm_calls', alias: 'l', table: 'llm_calls', at: 'l.ended_at' },
  { subject: 'steps', alias: 's', table: 'steps', at: 's.ended_at' },
  { subject: 'turns', alias: 't', table: 'turns', at: 't.ended_at' },
  { subject: 'sql_queries', alias: 'd', table: 'db_queries', at: `d.started_at + d.duration_ms * interval '1 millisecond'` },
];

/** One distinct (type, message) of the window: how often, and its latest occurrences. */
interface MessageGroup {
  readonly errorType: string | null;
  readonly message: string | null;
  readonly count: number;
  readonly examples: ErrorExample[];
}

/** Where the window's occurrences are read: made from the failed rows, or error_occurrences. */
type OccurrenceSource = 'raw' | 'stored';

/**
 * The window's occurrences as (trace_id, conversation_id, error_type, error_message, at, weight):
 * from the failed rows of each table in scope, one per trace and message, the earliest-ending row
 * (ties by type, then conversation, as error_occurrences picks), of weight 1. From `stored`: for
 * each (type, message) group of the occurrences wholly inside the window, its newest `examples`
 * (at least one) with the group's count as the first one's weight and 0 as the others'; and the
 * occurrences the window cuts made from their rows in it (the only failed rows read), weight 1.
 */
function occurrencesSql(scope: Scope, params: SqlParams, source: OccurrenceSource, examples: string): string | undefined {
  const stored = source === 'stored' ? storedOccurrences(scope, params, examples) : undefined;
  const key = (alias: string): string => `coalesce(${alias}.error_message, ${alias}.error_type, '')`;
  const branches = FAILURE_SOURCES.filter((failure) => appliesTo(failure.subject, scope.filters)).map(
    ({ subject, alias, table, at }) =>
      `SELECT ${alias}.trace_id, ${alias}.conversation_id, ${alias}.error_type, ${alias}.error_message, ${at} AS at
         FROM ${table} ${alias} ${whereClause([
           `${alias}.status = 'error'`,
           ...scopeConditions(subject, alias, scope, params),
           ...(stored === undefined ? [] : [`(${alias}.trace_id, md5(${key(alias)})) IN (${stored.cut})`]),
         ])}`,
  );
  if (branches.length === 0) return undefined;
  const made = `SELECT DISTINCT ON (o.trace_id, ${key('o')}) o.*, 1 AS weight FROM (${branches.join(' UNION ALL ')}) AS o
                 ORDER BY o.trace_id, ${key('o')}, o.at NULLS LAST, o.error_type NULLS LAST, o.conversation_id NULLS LAST`;
  return stored === undefined ? made : `${stored.whole} UNION ALL (${made})`;
}

/** The groups of the stored occurrences wholly inside the window, and the keys of those it cuts. */
function storedOccurrences(scope: Scope, params: SqlParams, examples: string): { whole: string; cut: string } {
  const e = ERROR_OCCURRENCES.columns;
  const from = params.add(scope.window.from.toISOString(), 'timestamptz');
  const to = params.add(scope.window.to.toISOString(), 'timestamptz');
  const inside = (alias: string) => `${alias}.${e.firstStartedAt} >= ${from} AND ${alias}.${e.firstStartedAt} < ${to} AND ${alias}.${e.lastStartedAt} < ${to}`;
  const newest = `ORDER BY x.${e.at} DESC NULLS LAST, x.${e.traceId}`;
  return {
    // Counted from the first index alone; each group's newest through the third.
    whole: `SELECT x.${e.traceId}, x.${e.conversationId}, x.${e.errorType}, x.${e.errorMessage}, x.${e.at}, CASE WHEN x.rank = 1 THEN g.n ELSE 0 END AS weight
              FROM (SELECT w.${e.errorHash}, count(*) AS n FROM ${ERROR_OCCURRENCES} w WHERE ${inside('w')} GROUP BY w.${e.errorHash}) AS g
             CROSS JOIN LATERAL (SELECT x.*, row_number() OVER (${newest}) AS rank FROM ${ERROR_OCCURRENCES} x
                                  WHERE x.${e.errorHash} = g.${e.errorHash} AND ${inside('x')} ${newest} LIMIT greatest(${examples}, 1)) AS x`,
    // Started before the window and reaching into it, or started in it and reaching past it.
    cut: `SELECT c.${e.traceId}, c.${e.messageHash} FROM ${ERROR_OCCURRENCES} c
           WHERE (c.${e.firstStartedAt} < ${from} AND c.${e.lastStartedAt} >= ${from})
              OR (c.${e.firstStartedAt} >= ${from} AND c.${e.firstStartedAt} < ${to} AND c.${e.lastStartedAt} >= ${to})`,
  };
}

async function readMessageGroups(
  sql: SqlClient,
  scope: Scope,
  examples: number,
  bound: number,
  source: OccurrenceSource,
): Promise<{ groups: MessageGroup[]; total: number; isCut: boolean }> {
  const params = new SqlParams();
  const count = params.add(examples, 'integer');
  const occurrences = occurrencesSql(scope, params, source, count);
  if (occurrences === undefined) return { groups: [], total: 0, isCut: false };
  const latest = `ORDER BY e.at DESC NULLS LAST, e.trace_id`;
  const { rows } = await sql.query(
    `WITH errors AS (${occurrences})
     SELECT e.error_type, e.error_message, sum(e.weight) AS count, sum(sum(e.weight)) OVER () AS total,
            (array_agg(e.trace_id ${latest}))[1:${count}] AS trace_ids,
            (array_agg(e.conversation_id ${latest}))[1:${count}] AS conversation_ids,
            (array_agg(${isoText('e.at')} ${latest}))[1:${count}] AS ats
       FROM errors e
      GROUP BY e.error_type, e.error_message
      ORDER BY count DESC, max(e.at) DESC NULLS LAST LIMIT ${params.add(bound + 1, 'integer')}`,
    params.values,
  );
  const groups = rows.slice(0, bound).map((row) => {
    const errorType = toText(row['error_type']);
    const message = toText(row['error_message']);
    const traceIds = arrayOf(row['trace_ids']);
    const conversationIds = arrayOf(row['conversation_ids']);
    const ats = arrayOf(row['ats']);
    return {
      errorType,
      message,
      count: toNumber(row['count']),
      examples: traceIds.map((traceId, i) => ({
        trace_id: String(traceId),
        conversation_id: toText(conversationIds[i]),
        message: message ?? errorType,
        at: toText(ats[i]),
      })),
    };
  });
  return { groups, total: toNumber(rows[0]?.['total']), isCut: rows.length > bound };
}

/** error_occurrences carries no filter dimension: a filter changes which rows make an occurrence. */
function isUnfiltered(filters: Filters): boolean {
  return FILTER_NAMES.every((name) => filters[name] === undefined) && Object.keys(filters.attr ?? {}).length === 0;
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Message groups summed by pattern, most frequent first (ties in library order), newest examples first. */
function toPatternCounts(groups: readonly MessageGroup[], examples: number): ErrorPatternCount[] {
  const byPattern = new Map<ErrorPattern, { count: number; examples: ErrorExample[] }>();
  for (const group of groups) {
    const pattern = classifyError(group.errorType, group.message);
    const entry = byPattern.get(pattern) ?? { count: 0, examples: [] };
    entry.count += group.count;
    entry.examples.push(...group.examples);
    byPattern.set(pattern, entry);
  }
  const newestFirst = (a: ErrorExample, b: ErrorExample): number => (b.at ?? '').localeCompare(a.at ?? '') || a.trace_id.localeCompare(b.trace_id);
  return ERROR_PATTERNS.flatMap((pattern) => {
    const entry = byPattern.get(pattern);
    return entry === undefined ? [] : [{ pattern, count: entry.count, examples: entry.examples.sort(newestFirst).slice(0, examples) }];
  }).sort((a, b) => b.count - a.count);
}

export async function getErrorAnalysis(db: ReadDb, params: ErrorAnalysisParams, options: ErrorAnalysisOptions = {}): Promise<ErrorAnalysis> {
  const window = resolveWindow(params, options.now);
  const examples = Math.min(params.examples ?? DEFAULT_ERROR_EXAMPLES, MAX_ERROR_EXAMPLES);
  const scope: Scope = { window, filters: params.filters ?? {} };
  const bound = db.maxRows;
  const planned = mayReadRollups(window, options.mode) ? planErrorRollups(scope) : {};
  const sources = { ...RAW_ERROR_ANALYSIS_SOURCES, ...planned, ...options.sources };
  return db.read(async (sql) => {
    const steps = await sources.stepRates(sql, scope, bound);
    const models = await sources.modelRates(sql, scope, bound);
    const messages = await readMessageGroups(sql, scope, examples, bound, mayReadRollups(window, options.mode) && isUnfiltered(scope.filters) ? 'stored' : 'raw');
    return {
      window: windowToJson(window),
      by_step: steps.items,
      by_model: models.items,
      total: messages.total,
      patterns: toPatternCounts(messages.groups, examples),
      truncated: steps.isCut || models.isCut || messages.isCut,
      approximate: [],
    };
  });
}
