// GET /events: system events (log records) of the window, newest first, by name, severity,
// component, conversation or trace.
import { afterCursorCondition, orderByClause, resolveLimit, toPage, type KeysetOrder, type Page } from './cursor.js';
import type { ReadDb } from './db.js';
import type { Filters } from './filters.js';
import { EVENT_COLUMNS, IS_SYSTEM_EVENT, toEventItem, type EventItem } from './rows/event-row.js';
import { scopeConditions, timeOf } from './scope.js';
import { SqlParams, whereClause } from './sql.js';
import { resolveWindow, type WindowParams } from './window.js';

/** OpenTelemetry severity names and the lowest severity number of each. */
export const SEVERITIES = { TRACE: 1, DEBUG: 5, INFO: 9, WARN: 13, ERROR: 17, FATAL: 21 } as const;
export type Severity = keyof typeof SEVERITIES;

export interface EventListParams extends WindowParams {
  readonly filters?: Filters;
  readonly name?: string | undefined;
  /** This severity and above. */
  readonly severity?: Severity | undefined;
  readonly component?: string | undefined;
  readonly conversationId?: string | undefined;
  readonly traceId?: string | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

const ORDER: KeysetOrder = { name: 'events', key: timeOf('events', 'e'), type: 'timestamptz', id: 'e.event_id' };

export async function listEvents(db: ReadDb, params: EventListParams, now?: Date): Promise<Page<EventItem>> {
  const window = resolveWindow(params, now);
  const limit = Math.min(resolveLimit(params.limit), db.maxRows);
  const sqlParams = new SqlParams();
  const conditions = [IS_SYSTEM_EVENT, ...scopeConditions('events', 'e', { window, filters: params.filters ?? {} }, sqlParams)];
  if (params.name !== undefined) conditions.push(`e.name = ${sqlParams.add(params.name, 'text')}`);
  if (params.severity !== undefined) conditions.push(`e.severity_number >= ${sqlParams.add(SEVERITIES[params.severity], 'integer')}`);
  if (params.component !== undefined) conditions.push(`e.component = ${sqlParams.add(params.component, 'text')}`);
  if (params.conversationId !== undefined) conditions.push(`e.conversation_id = ${sqlParams.add(params.conversationId, 'text')}`);
  if (params.traceId !== undefined) conditions.push(`e.trace_id = ${sqlParams.add(params.traceId, 'text')}`);
  conditions.push(...afterCursorCondition(ORDER, params.cursor, sqlParams));
  const rows = await db.read(async (sql) => {
    const result = await sql.query(
      `SELECT ${EVENT_COLUMNS}, (${ORDER.key})::text AS sort_key FROM events e ${whereClause(conditions)}
        ${orderByClause(ORDER)} LIMIT ${sqlParams.add(limit + 1, 'integer')}`,
      sqlParams.values,
    );
    return result.rows;
  });
  return toPage(rows, limit, ORDER, (row) => ({ key: String(row['sort_key']), id: String(row['event_id']) }), toEventItem);
}
