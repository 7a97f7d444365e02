// A step as the API shows it; its columns are selected here only.
import { isoText } from '../sql.js';
import { toJson, toNumber, toNumberOrNull, toText } from '../values.js';

export interface StepItem {
  readonly trace_id: string;
  readonly span_id: string;
  readonly parent_span_id: string | null;
  /** step (ours, STT/TTS, retrieval), tool, agent, workflow. */
  readonly kind: string;
  readonly name: string;
  readonly started_at: string;
  readonly ended_at: string;
  readonly duration_ms: number;
  readonly status: string;
  readonly error_type: string | null;
  readonly error_message: string | null;
  readonly provider: string | null;
  readonly model: string | null;
  readonly cost_usd: number | null;
  /** Of the turn's duration (0…1; null when the turn's duration is unknown or 0). */
  readonly share: number | null;
  readonly attributes: unknown;
}

/** Columns of `steps` aliased `s`. */
export const STEP_COLUMNS = `s.trace_id, s.span_id, s.parent_span_id, s.kind, s.name, ${isoText('s.started_at')} AS started_at,
  ${isoText('s.ended_at')} AS ended_at, s.duration_ms, s.status, s.error_type, s.error_message, s.provider, s.model,
  s.cost_usd, s.attributes`;

export function toStepItem(row: Record<string, unknown>, turnDurationMs: number | null): StepItem {
  const durationMs = toNumber(row['duration_ms']);
  return {
    trace_id: String(row['trace_id']),
    span_id: String(row['span_id']),
    parent_span_id: toText(row['parent_span_id']),
    kind: String(row['kind']),
    name: String(row['name']),
    started_at: String(row['started_at']),
    ended_at: String(row['ended_at']),
    duration_ms: durationMs,
    status: String(row['status']),
    error_type: toText(row['error_type']),
    error_message: toText(row['error_message']),
    provider: toText(row['provider']),
    model: toText(row['model']),
    cost_usd: toNumberOrNull(row['cost_usd']),
    share: turnDurationMs === null || turnDurationMs <= 0 ? null : durationMs / turnDurationMs,
    attributes: toJson(row['attributes']),
  };
}
