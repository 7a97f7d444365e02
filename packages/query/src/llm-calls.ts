// GET /llm-calls: LLM calls started in the window by every filter, a conversation, a trace or
// a parent span (the calls nested in one step or call), sorted and paged. A call seen by two
// instrumentation layers is listed once.
import { afterCursorCondition, orderByClause, resolveLimit, toPage, type KeysetOrder, type Page } from './cursor.js';
import type { ReadDb } from './db.js';
import type { Filters } from './filters.js';
import { LLM_CALL_COLUMNS, toLlmCallItem, type LlmCallItem } from './rows/llm-call-row.js';
import { scopeConditions, timeOf } from './scope.js';
import { SqlParams, whereClause } from './sql.js';
import { resolveWindow, type WindowParams } from './window.js';

export const LLM_CALL_SORTS = ['recent', 'slowest', 'costliest'] as const;
export type LlmCallSort = (typeof LLM_CALL_SORTS)[number];

export interface LlmCallListParams extends WindowParams {
  readonly filters?: Filters;
  readonly conversationId?: string | undefined;
  readonly traceId?: string | undefined;
  /** Calls whose parent span is this one (seed 002's nested calls). */
  readonly parentSpanId?: string | undefined;
  /** `recent` (newest start first, default), `slowest`, `costliest`. */
  readonly sort?: LlmCallSort | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

// The id of a call: its span within its trace (both hex, so the separator cannot occur in them).
const CALL_ID = `(l.trace_id || '/' || l.span_id)`;

const ORDERS: Readonly<Record<LlmCallSort, KeysetOrder>> = {
  recent: { name: 'calls-recent', key: timeOf('llm_calls', 'l'), type: 'timestamptz', id: CALL_ID },
  slowest: { name: 'calls-slowest', key: 'l.duration_ms', type: 'float8', id: CALL_ID },
  costliest: { name: 'calls-costliest', key: `coalesce(l.cost_usd, -1)`, type: 'numeric', id: CALL_ID },
};

export async function listLlmCalls(db: ReadDb, params: LlmCallListParams, now?: Date): Promise<Page<LlmCallItem>> {
  const window = resolveWindow(params, now);
  const limit = Math.min(resolveLimit(params.limit), db.maxRows);
  const order = ORDERS[params.sort ?? 'recent'];
  const sqlParams = new SqlParams();
  const conditions = scopeConditions('llm_calls', 'l', { window, filters: params.filters ?? {} }, sqlParams);
  if (params.conversationId !== undefined) conditions.push(`l.conversation_id = ${sqlParams.add(params.conversationId, 'text')}`);
  if (params.traceId !== undefined) conditions.push(`l.trace_id = ${sqlParams.add(params.traceId, 'text')}`);
  if (params.parentSpanId !== undefined) conditions.push(`l.parent_span_id = ${sqlParams.add(params.parentSpanId, 'text')}`);
  conditions.push(...afterCursorCondition(order, params.cursor, sqlParams));
  const rows = await db.read(async (sql) => {
    const result = await sql.query(
      `SELECT ${LLM_CALL_COLUMNS}, (${order.key})::text AS sort_key, ${CALL_ID} AS call_id
         FROM llm_calls l ${whereClause(conditions)}
         ${orderByClause(order)} LIMIT ${sqlParams.add(limit + 1, 'integer')}`,
      sqlParams.values,
    );
    return result.rows;
  });
  return toPage(rows, limit, order, (row) => ({ key: String(row['sort_key']), id: String(row['call_id']) }), toLlmCallItem);
}
