// GET /conversations: conversations started in the window, filtered, sorted and paged.
import { afterCursorCondition, orderByClause, resolveLimit, toPage, type KeysetOrder, type Page } from './cursor.js';
import type { ReadDb } from './db.js';
import type { Filters } from './filters.js';
import { scopeConditions, timeOf } from './scope.js';
import { SqlParams, containsPattern, isoText, whereClause } from './sql.js';
import { toJson, toNumber, toNumberOrNull, toText } from './values.js';
import { resolveWindow, type WindowParams } from './window.js';

export const CONVERSATION_SORTS = ['recent', 'slowest', 'costliest'] as const;
export type ConversationSort = (typeof CONVERSATION_SORTS)[number];

export interface ConversationListParams extends WindowParams {
  readonly filters?: Filters;
  /** `recent` (newest start first, default), `slowest` (longest first), `costliest`. */
  readonly sort?: ConversationSort | undefined;
  readonly minDurationMs?: number | undefined;
  readonly minCostUsd?: number | undefined;
  /** Text anywhere in a turn's captured user input or agent output (case-insensitive). */
  readonly q?: string | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

export interface ConversationSummary {
  readonly conversation_id: string;
  readonly user_id: string | null;
  readonly session_id: string | null;
  readonly service_name: string | null;
  readonly agent_name: string | null;
  readonly channel: string | null;
  readonly status: string;
  readonly end_reason: string | null;
  readonly started_at: string | null;
  readonly ended_at: string | null;
  readonly duration_ms: number | null;
  readonly turns: number;
  readonly llm_calls: number;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cost_usd: number;
  /** Failed turns. */
  readonly errors: number;
  readonly metadata: unknown;
}

/** Orderings; unknown sort keys (an active conversation's duration) sort last. */
const ORDERS: Readonly<Record<ConversationSort, KeysetOrder>> = {
  recent: { name: 'recent', key: timeOf('conversations', 'c'), type: 'timestamptz', id: 'c.conversation_id' },
  slowest: { name: 'slowest', key: `coalesce(c.duration_ms, '-Infinity'::float8)`, type: 'float8', id: 'c.conversation_id' },
  costliest: { name: 'costliest', key: 'c.cost_usd', type: 'numeric', id: 'c.conversation_id' },
};

/** The SELECT list of a conversation row (shared with the conversation's detail). */
export const CONVERSATION_COLUMNS = `c.conversation_id, c.user_id, c.session_id, c.service_name, c.agent_name, c.channel, c.status,
  c.end_reason, ${isoText('c.started_at')} AS started_at, ${isoText('c.ended_at')} AS ended_at, c.duration_ms, c.turns,
  c.llm_calls, c.input_tokens, c.output_tokens, c.cost_usd, c.errors, c.metadata`;

export function toConversationSummary(row: Record<string, unknown>): ConversationSummary {
  return {
    conversation_id: String(row['conversation_id']),
    user_id: toText(row['user_id']),
    session_id: toText(row['session_id']),
    service_name: toText(row['service_name']),
    agent_name: toText(row['agent_name']),
    channel: toText(row['channel']),
    status: String(row['status']),
    end_reason: toText(row['end_reason']),
    started_at: toText(row['started_at']),
    ended_at: toText(row['ended_at']),
    duration_ms: toNumberOrNull(row['duration_ms']),
    turns: toNumber(row['turns']),
    llm_calls: toNumber(row['llm_calls']),
    input_tokens: toNumber(row['input_tokens']),
    output_tokens: toNumber(row['output_tokens']),
    cost_usd: toNumber(row['cost_usd']),
    errors: toNumber(row['errors']),
    metadata: toJson(row['metadata']),
  };
}

export async function listConversations(db: ReadDb, params: ConversationListParams, now?: Date): Promise<Page<ConversationSummary>> {
  const window = resolveWindow(params, now);
  const limit = Math.min(resolveLimit(params.limit), db.maxRows);
  const order = ORDERS[params.sort ?? 'recent'];
  const sqlParams = new SqlParams();
  const conditions = scopeConditions('conversations', 'c', { window, filters: params.filters ?? {} }, sqlParams);
  if (params.minDurationMs !== undefined) conditions.push(`c.duration_ms >= ${sqlParams.add(params.minDurationMs, 'float8')}`);
  if (params.minCostUsd !== undefined) conditions.push(`c.cost_usd >= ${sqlParams.add(params.minCostUsd, 'numeric')}`);
  if (params.q !== undefined && params.q !== '') {
    const pattern = sqlParams.add(containsPattern(params.q), 'text');
    conditions.push(
      `EXISTS (SELECT 1 FROM turns q WHERE q.conversation_id = c.conversation_id AND (q.user_input ILIKE ${pattern} OR q.agent_output ILIKE ${pattern}))`,
    );
  }
  conditions.push(...afterCursorCondition(order, params.cursor, sqlParams));
  const rows = await db.read(async (sql) => {
    const result = await sql.query(
      `SELECT ${CONVERSATION_COLUMNS}, (${order.key})::text AS sort_key
         FROM conversations c ${whereClause(conditions)}
         ${orderByClause(order)} LIMIT ${sqlParams.add(limit + 1, 'integer')}`,
      sqlParams.values,
    );
    return result.rows;
  });
  return toPage(rows, limit, order, (row) => ({ key: String(row['sort_key']), id: String(row['conversation_id']) }), toConversationSummary);
}
