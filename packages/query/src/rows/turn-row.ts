// A turn as the API shows it (without its nested lists); its columns are selected here only.
// A turn is a trace (turn_id: the trace id), or a turn span inside a long trace (LiveKit,
// Pipecat: turn_id is the turn span's id); both are rows of the `turns` view.
import { isoText } from '../sql.js';
import { toNumber, toNumberOrNull, toText } from '../values.js';
import { toTurnVoice, TURN_VOICE_COLUMNS, type TurnVoice } from '../voice/voice-turn.js';

export interface TurnFields {
  readonly turn_id: string;
  readonly trace_id: string;
  /** The turn span inside the trace; null when the trace is the turn. */
  readonly turn_span_id: string | null;
  readonly conversation_id: string;
  readonly index: number | null;
  readonly name: string | null;
  readonly started_at: string | null;
  readonly ended_at: string | null;
  readonly duration_ms: number | null;
  readonly perceived_latency_ms: number | null;
  readonly interrupted: boolean;
  readonly status: string;
  readonly error_type: string | null;
  readonly error_message: string | null;
  readonly intent: string | null;
  readonly classification: string | null;
  readonly user_input: string | null;
  readonly agent_output: string | null;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cost_usd: number;
  readonly llm_cost_usd: number;
  readonly stt_cost_usd: number;
  readonly tts_cost_usd: number;
  /** The voice breakdown; null when the turn has no voice facts. */
  readonly voice: TurnVoice | null;
}

/** Columns of the `turns` view aliased `t`. */
export const TURN_COLUMNS = `t.trace_id, t.turn_span_id, t.conversation_id, t.turn_index, t.name, ${isoText('t.started_at')} AS started_at,
  ${isoText('t.ended_at')} AS ended_at, t.duration_ms, t.perceived_latency_ms, t.interrupted, t.status, t.error_type,
  t.error_message, t.intent, t.classification, t.user_input, t.agent_output, t.input_tokens, t.output_tokens, t.cost_usd,
  t.llm_cost_usd, t.stt_cost_usd, t.tts_cost_usd, ${TURN_VOICE_COLUMNS}`;

/** Turns of a conversation in order: by index (unknown last), then start, then id. */
export const TURN_ORDER = 't.turn_index ASC NULLS LAST, t.started_at ASC NULLS LAST, t.trace_id ASC, t.turn_span_id ASC NULLS FIRST';

export function toTurnFields(row: Record<string, unknown>): TurnFields {
  const traceId = String(row['trace_id']);
  const turnSpanId = toText(row['turn_span_id']);
  return {
    turn_id: turnSpanId ?? traceId,
    trace_id: traceId,
    turn_span_id: turnSpanId,
    conversation_id: String(row['conversation_id']),
    index: toNumberOrNull(row['turn_index']),
    name: toText(row['name']),
    started_at: toText(row['started_at']),
    ended_at: toText(row['ended_at']),
    duration_ms: toNumberOrNull(row['duration_ms']),
    perceived_latency_ms: toNumberOrNull(row['perceived_latency_ms']),
    interrupted: row['interrupted'] === true,
    status: String(row['status']),
    error_type: toText(row['error_type']),
    error_message: toText(row['error_message']),
    intent: toText(row['intent']),
    classification: toText(row['classification']),
    user_input: toText(row['user_input']),
    agent_output: toText(row['agent_output']),
    input_tokens: toNumber(row['input_tokens']),
    output_tokens: toNumber(row['output_tokens']),
    cost_usd: toNumber(row['cost_usd']),
    llm_cost_usd: toNumber(row['llm_cost_usd']),
    stt_cost_usd: toNumber(row['stt_cost_usd']),
    tts_cost_usd: toNumber(row['tts_cost_usd']),
    voice: toTurnVoice(row),
  };
}
