// `error_occurrences` (migration 0007): the errors /errors sorts into patterns, one row per trace
// and message, so a window over weeks counts them without reading every failed row. An error is
// counted where it happened once per turn: a failed LLM call fails its step and its turn with the
// same message, so the failed calls, steps, turn and SQL spans of a trace with one message (else
// type) are one occurrence, told by the earliest end among them (the raising span). The ingest
// recomputes the rows of each trace it touches that has failed rows, from those rows, with the
// statement the migration's backfill runs: the table is a function of the raw rows.
import { column, table } from './table.js';

/** `error_occurrences`, keyed by (trace_id, message_hash). */
export const ERROR_OCCURRENCES = table(
  'error_occurrences',
  {
    traceId: column('trace_id', 'text', 'not null'),
    /** md5 of the message, else the type, else `''`: the rows of a trace that are one occurrence. */
    messageHash: column('message_hash', 'text', 'not null'),
    /**
     * The earliest and latest start among the occurrence's rows: a window that holds both holds all
     * of them (the occurrence is as stored); one that cuts between them needs the rows themselves.
     */
    firstStartedAt: column('first_started_at', 'timestamptz', 'not null'),
    lastStartedAt: column('last_started_at', 'timestamptz', 'not null'),
    /** md5 of the row (error_type, error_message) as text: the occurrence's group in the pattern library's input. */
    errorHash: column('error_hash', 'text', 'not null'),
    /** The earliest end among the rows (none when none has ended); the rest is that row's. */
    at: column('at', 'timestamptz'),
    conversationId: column('conversation_id', 'text'),
    errorType: column('error_type', 'text'),
    errorMessage: column('error_message', 'text'),
  },
  ['traceId', 'messageHash'],
);
