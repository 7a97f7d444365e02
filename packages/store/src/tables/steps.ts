// `steps`: one row per step span (ours, STT/TTS, retrieval), tool, agent and workflow span.
import { PROVENANCE_COLUMNS, SPAN_COLUMNS } from './shared-columns.js';
import { column, table } from './table.js';

/** `steps`, keyed by (trace_id, span_id, started_at), partitioned by week of started_at (a span's start never changes). */
export const STEPS = table(
  'steps',
  {
    ...SPAN_COLUMNS,
    /** `step`, `tool`, `agent` or `workflow`. */
    kind: column('kind', 'text', 'not null'),
    /** The step's name (stt, llm, tts, a tool's name, …). */
    name: column('name', 'text', 'not null'),
    spanName: column('span_name', 'text', 'not null'),
    startedAt: column('started_at', 'timestamptz', 'not null'),
    endedAt: column('ended_at', 'timestamptz', 'not null'),
    durationMs: column('duration_ms', 'double precision', 'not null'),
    status: column('status', 'text', 'not null'),
    errorType: column('error_type', 'text'),
    errorMessage: column('error_message', 'text'),
    operation: column('operation', 'text'),
    provider: column('provider', 'text'),
    model: column('model', 'text'),
    toolName: column('tool_name', 'text'),
    sttAudioSeconds: column('stt_audio_seconds', 'double precision'),
    sttConfidence: column('stt_confidence', 'double precision'),
    sttLanguage: column('stt_language', 'text'),
    ttsCharacters: column('tts_characters', 'bigint'),
    ttsVoice: column('tts_voice', 'text'),
    ttsAudioSeconds: column('tts_audio_seconds', 'double precision'),
    ttsTtfbMs: column('tts_ttfb_ms', 'double precision'),
    costUsd: column('cost_usd', 'numeric'),
    costSource: column('cost_source', 'text'),
    /** `stt`, `tts` or `other`: which conversation cost the step's cost adds to. */
    costCategory: column('cost_category', 'text'),
    ...PROVENANCE_COLUMNS,
  },
  ['traceId', 'spanId', 'startedAt'],
  'startedAt',
);
