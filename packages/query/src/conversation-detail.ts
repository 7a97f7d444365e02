// GET /conversations/:id: the conversation, its turns in order with everything inside them,
// and all its system events.
import { CONVERSATION_COLUMNS, toConversationSummary, type ConversationSummary } from './conversations.js';
import type { ReadDb } from './db.js';
import { EVENT_COLUMNS, IS_SYSTEM_EVENT, toEventItem, type EventItem } from './rows/event-row.js';
import { TURN_COLUMNS, TURN_ORDER } from './rows/turn-row.js';
import { isoText } from './sql.js';
import { loadTurnDetails, type TurnDetail } from './turn-details.js';
import { toNumber, toNumberOrNull, toText } from './values.js';
import { TELEPHONY_COLUMNS, toTelephony, type Telephony } from './voice/voice-turn.js';

export interface ConversationFields extends ConversationSummary {
  readonly first_seen_at: string | null;
  readonly last_seen_at: string | null;
  readonly error_type: string | null;
  readonly error_message: string | null;
  readonly llm_cost_usd: number;
  readonly stt_cost_usd: number;
  readonly tts_cost_usd: number;
  readonly other_cost_usd: number;
  readonly cache_read_tokens: number;
  readonly llm_errors: number;
  readonly success_rate: number | null;
  readonly last_user_input: string | null;
  readonly last_agent_output: string | null;
  /** The call's telephony; null when the conversation span named none. */
  readonly telephony: Telephony | null;
  /** The turns' cost plus telephony; null until the ingest priced the call. */
  readonly call_cost_usd: number | null;
}

export interface ConversationDetail {
  readonly conversation: ConversationFields;
  readonly turns: TurnDetail[];
  /** Every system event of the conversation, in time order (also those outside any turn). */
  readonly events: EventItem[];
  /** True when a list was cut at the row bound. */
  readonly truncated: boolean;
}

const DETAIL_COLUMNS = `${CONVERSATION_COLUMNS}, ${isoText('c.first_seen_at')} AS first_seen_at, ${isoText('c.last_seen_at')} AS last_seen_at,
  c.error_type, c.error_message, c.llm_cost_usd, c.stt_cost_usd, c.tts_cost_usd, c.other_cost_usd, c.cache_read_tokens,
  c.llm_errors, c.success_rate, c.last_user_input, c.last_agent_output, ${TELEPHONY_COLUMNS}`;

/** The conversation `conversationId`, or undefined when there is none. */
export async function getConversation(db: ReadDb, conversationId: string): Promise<ConversationDetail | undefined> {
  const bound = db.maxRows;
  return db.read(async (sql) => {
    const { rows } = await sql.query(`SELECT ${DETAIL_COLUMNS} FROM conversations c WHERE c.conversation_id = $1`, [conversationId]);
    const row = rows[0];
    if (row === undefined) return undefined;
    const turnRows = await sql.query(
      `SELECT ${TURN_COLUMNS} FROM turns t WHERE t.conversation_id = $1 ORDER BY ${TURN_ORDER} LIMIT ${bound + 1}`,
      [conversationId],
    );
    const details = await loadTurnDetails(sql, turnRows.rows.slice(0, bound), bound);
    const events = await sql.query(
      `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.conversation_id = $1 AND ${IS_SYSTEM_EVENT} ORDER BY e.time, e.event_id LIMIT ${bound + 1}`,
      [conversationId],
    );
    return {
      conversation: {
        ...toConversationSummary(row),
        first_seen_at: toText(row['first_seen_at']),
        last_seen_at: toText(row['last_seen_at']),
        error_type: toText(row['error_type']),
        error_message: toText(row['error_message']),
        llm_cost_usd: toNumber(row['llm_cost_usd']),
        stt_cost_usd: toNumber(row['stt_cost_usd']),
        tts_cost_usd: toNumber(row['tts_cost_usd']),
        other_cost_usd: toNumber(row['other_cost_usd']),
        cache_read_tokens: toNumber(row['cache_read_tokens']),
        llm_errors: toNumber(row['llm_errors']),
        success_rate: toNumberOrNull(row['success_rate']),
        last_user_input: toText(row['last_user_input']),
        last_agent_output: toText(row['last_agent_output']),
        telephony: toTelephony(row),
        call_cost_usd: toNumberOrNull(row['call_cost_usd']),
      },
      turns: details.turns,
      events: events.rows.slice(0, bound).map(toEventItem),
      truncated: turnRows.rows.length > bound || details.isTruncated || events.rows.length > bound,
    };
  });
}
