// The live feed's contract between the writer and its readers: the NOTIFY channel, and the
// JSON payload of each notice. The ingest's write transaction sends them (pg_notify, delivered
// when it commits, dropped when it rolls back); every API process listening relays them.

/** The NOTIFY channel of committed turns, errors and conversations. */
export const LIVE_CHANNEL = 'convotel_live';

/**
 * Largest payload sent, in UTF-8 bytes: PostgreSQL refuses 8000 and more. Free text is cut to
 * {@link MAX_NOTICE_TEXT_LENGTH}; a notice still too long (only ids of hundreds of multi-byte
 * characters each can make one) is not sent.
 */
export const MAX_NOTICE_BYTES = 7900;

/** Characters of free text (error messages, end reasons) a notice carries; longer is cut, ending in `…`. */
export const MAX_NOTICE_TEXT_LENGTH = 500;

/** Fields every notice carries. */
interface NoticeBase {
  /**
   * `<transaction id>-<n>`: unique, the same in every process that receives it. Notices arrive
   * in commit order, the same order everywhere.
   */
  readonly id: string;
  /** When the ingest wrote it (ISO-8601 UTC). */
  readonly at: string;
  readonly conversation_id: string | null;
  readonly service_name: string | null;
  readonly agent_name: string | null;
}

/** A turn whose root span arrived (the turn is complete), announced once. */
export interface TurnNotice extends NoticeBase {
  readonly type: 'turn';
  readonly turn_id: string;
  readonly trace_id: string;
  readonly user_id: string | null;
  readonly session_id: string | null;
  readonly channel: string | null;
  readonly turn_index: number | null;
  readonly started_at: string | null;
  readonly ended_at: string | null;
  readonly duration_ms: number | null;
  readonly perceived_latency_ms: number | null;
  readonly interrupted: boolean | null;
  readonly status: string;
  readonly error_type: string | null;
  readonly error_message: string | null;
  readonly llm_calls: number;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cost_usd: number;
}

/** A failed turn (`source: turn`), or a log record of severity ERROR or worse (`source: event`). */
export interface ErrorNotice extends NoticeBase {
  readonly type: 'error';
  readonly source: 'turn' | 'event';
  readonly trace_id: string | null;
  readonly span_id: string | null;
  /** The event's id (source event). */
  readonly event_id: string | null;
  /** Error type of the turn, event name of the record. */
  readonly error_type: string | null;
  readonly message: string | null;
  readonly component: string | null;
  readonly severity: string | null;
  /** Start of the turn, time of the record. */
  readonly time: string | null;
}

/** A conversation as it stands after the commit: its first turn, each later one, its end. */
export interface ConversationNotice extends NoticeBase {
  readonly type: 'conversation';
  readonly user_id: string | null;
  readonly channel: string | null;
  readonly status: string;
  readonly end_reason: string | null;
  readonly started_at: string | null;
  readonly ended_at: string | null;
  readonly duration_ms: number | null;
  readonly turns: number;
  readonly llm_calls: number;
  readonly errors: number;
  readonly cost_usd: number;
}

export type LiveNotice = TurnNotice | ErrorNotice | ConversationNotice;

/** The notice types, as SSE event names. */
export const LIVE_NOTICE_TYPES = ['turn', 'error', 'conversation'] as const satisfies readonly LiveNotice['type'][];
