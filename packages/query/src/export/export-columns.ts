// What each export kind holds: the subject it reads (its table, window time and filters come
// from scope.ts), the unique key that orders rows after their time, and its columns in order,
// each with the type an encoder needs (text cells are the ones a spreadsheet could take for a
// formula). Column names are the API's snake_case field names.
import type { FilterSubject } from '../filters.js';
import { isoText } from '../sql.js';

export const EXPORT_KINDS = ['conversations', 'turns', 'steps', 'llm-calls', 'events'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** How a value is written: text, a number, a boolean, an ISO-8601 time (text), or JSON text. */
export type ExportValueType = 'text' | 'number' | 'boolean' | 'time' | 'json';

export interface ExportColumn {
  readonly name: string;
  readonly type: ExportValueType;
  /** SQL expression over the row alias `r`. */
  readonly sql: string;
}

export interface ExportTable {
  readonly subject: FilterSubject;
  /** Unique key columns of a row (after its time, the export's order). */
  readonly keys: readonly string[];
  readonly columns: readonly ExportColumn[];
}

const column =
  (type: ExportValueType, toSql: (source: string) => string) =>
  (source: string, name: string = source): ExportColumn => ({ name, type, sql: toSql(`r.${source}`) });
const text = column('text', (s) => s);
// numeric (money) as float8: what the JSON routes answer too.
const num = column('number', (s) => s);
const money = column('number', (s) => `${s}::float8`);
const bool = column('boolean', (s) => s);
const time = column('time', isoText);
const json = column('json', (s) => `${s}::text`);

const COST_BREAKDOWN = [money('cost_usd'), money('llm_cost_usd'), money('stt_cost_usd'), money('tts_cost_usd'), money('other_cost_usd')];
const TOKENS = [num('input_tokens'), num('output_tokens'), num('cache_read_tokens'), num('cache_write_tokens'), num('reasoning_tokens')];

export const EXPORT_TABLES: Readonly<Record<ExportKind, ExportTable>> = {
  conversations: {
    subject: 'conversations',
    keys: ['conversation_id'],
    columns: [
      text('conversation_id'),
      text('user_id'),
      text('session_id'),
      text('service_name'),
      text('agent_name'),
      text('channel'),
      text('status'),
      text('end_reason'),
      text('error_type'),
      text('error_message'),
      time('started_at'),
      time('ended_at'),
      num('duration_ms'),
      num('turns'),
      num('errors'),
      num('llm_calls'),
      num('llm_errors'),
      ...TOKENS,
      ...COST_BREAKDOWN,
      num('sql_queries'),
      json('metadata'),
    ],
  },
  turns: {
    subject: 'turns',
    keys: ['trace_id', 'turn_id'],
    columns: [
      // A turn is its trace, or a turn span inside a call-long trace.
      text('turn_id'),
      text('trace_id'),
      text('turn_span_id'),
      text('conversation_id'),
      text('user_id'),
      text('session_id'),
      text('service_name'),
      text('name'),
      num('turn_index'),
      time('started_at'),
      time('ended_at'),
      num('duration_ms'),
      num('perceived_latency_ms'),
      bool('interrupted'),
      text('status'),
      text('error_type'),
      text('error_message'),
      text('intent'),
      text('user_input'),
      text('agent_output'),
      num('steps'),
      num('step_errors'),
      num('llm_calls'),
      num('llm_errors'),
      ...TOKENS,
      ...COST_BREAKDOWN,
      num('sql_queries'),
    ],
  },
  steps: {
    subject: 'steps',
    keys: ['trace_id', 'span_id'],
    columns: [
      text('trace_id'),
      text('span_id'),
      text('parent_span_id'),
      text('conversation_id'),
      text('service_name'),
      text('kind'),
      text('name'),
      text('span_name'),
      time('started_at'),
      time('ended_at'),
      num('duration_ms'),
      text('status'),
      text('error_type'),
      text('error_message'),
      text('operation'),
      text('provider'),
      text('model'),
      text('tool_name'),
      num('stt_audio_seconds'),
      num('stt_confidence'),
      text('stt_language'),
      num('tts_characters'),
      text('tts_voice'),
      num('tts_audio_seconds'),
      num('tts_ttfb_ms'),
      money('cost_usd'),
      text('cost_source'),
      text('cost_category'),
      json('attributes'),
    ],
  },
  'llm-calls': {
    subject: 'llm_calls',
    keys: ['trace_id', 'span_id'],
    columns: [
      text('trace_id'),
      text('span_id'),
      text('parent_span_id'),
      text('conversation_id'),
      text('user_id'),
      text('session_id'),
      text('service_name'),
      text('billing'),
      text('span_name'),
      text('provider'),
      text('request_model'),
      text('response_model'),
      text('operation'),
      text('call_type'),
      text('function_name'),
      json('tags'),
      time('started_at'),
      time('ended_at'),
      num('duration_ms'),
      num('ttft_ms'),
      text('status'),
      text('error_type'),
      text('error_message'),
      text('finish_reason'),
      ...TOKENS,
      num('total_tokens'),
      bool('usage_estimated'),
      money('cost_usd'),
      text('cost_source'),
      num('temperature'),
      num('max_tokens'),
      json('input_messages'),
      json('output_messages'),
      json('attributes'),
    ],
  },
  events: {
    subject: 'events',
    keys: ['event_id'],
    columns: [
      text('event_id'),
      time('time'),
      num('severity_number'),
      text('severity_text'),
      text('name'),
      text('component'),
      text('message'),
      json('body'),
      json('attributes'),
      text('conversation_id'),
      text('trace_id'),
      text('span_id'),
      text('content_kind'),
      json('content'),
      text('service_name'),
    ],
  },
};
