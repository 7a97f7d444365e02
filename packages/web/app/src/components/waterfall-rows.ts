// A turn as waterfall rows: its steps, LLM calls and SQL queries nested under the span that made
// them (by parent span id), in start order, each placed on the turn's time axis, with a voice
// turn's voice-to-voice lane (voice-lane.ts) on the same axis. Pure: no DOM.
import type { EventAnswer, LlmCallAnswer, SqlQueryAnswer, StepAnswer, TurnAnswer } from '@convotel/api';
import { instantMs } from './instant.js';
import { toVoiceLane, voiceInstants, voiceLaneEndMs, type VoiceLane } from './voice-lane.js';

export { instantMs };

/** Colour family of a bar (a CSS variable of the same name). */
export type BarKind = 'stt' | 'llm' | 'tts' | 'tool' | 'sql' | 'other';

export interface WaterfallRow {
  readonly spanId: string;
  readonly what: 'step' | 'llm call' | 'sql';
  readonly kind: BarKind;
  readonly label: string;
  /** Model, statement or tool name: what the bar did. */
  readonly detail: string | null;
  readonly depth: number;
  /** From the axis start (the turn's start). */
  readonly offsetMs: number;
  readonly durationMs: number;
  /** Of the turn's duration, 0…1 (null when the turn's duration is unknown). */
  readonly share: number | null;
  readonly isFailed: boolean;
  readonly errorType: string | null;
  readonly errorMessage: string | null;
}

export interface EventMark {
  readonly event: EventAnswer;
  readonly offsetMs: number;
}

export interface Waterfall {
  readonly rows: readonly WaterfallRow[];
  readonly events: readonly EventMark[];
  /** The voice-to-voice bar and speech of a voice turn; null for a turn without voice facts. */
  readonly voice: VoiceLane | null;
  /** Length of the axis: the turn, or longer when a span or marker outlived it. */
  readonly axisMs: number;
}

const KNOWN_KINDS: ReadonlySet<string> = new Set(['stt', 'llm', 'tts', 'tool', 'sql']);

export function barKindOf(stepName: string): BarKind {
  return KNOWN_KINDS.has(stepName) ? (stepName as BarKind) : 'other';
}

export const isFailedStatus = (status: string): boolean => status === 'error';

/** Interrupted either way: the user barged in, or the agent talked over the user. */
export const isInterrupted = (turn: TurnAnswer): boolean => turn.interrupted || (turn.voice !== null && turn.voice.interrupted_by !== null);

interface Node {
  readonly spanId: string;
  readonly parentSpanId: string | null;
  readonly startMs: number;
  readonly row: (depth: number, offsetMs: number) => WaterfallRow;
}

function stringAttribute(attributes: unknown, key: string): string | null {
  if (typeof attributes !== 'object' || attributes === null) return null;
  const value = (attributes as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : null;
}

function stepNode(step: StepAnswer, turnMs: number | null): Node {
  const tool = stringAttribute(step.attributes, 'gen_ai.tool.name');
  const detail = tool ?? ([step.provider, step.model].filter((part) => part !== null).join(' ') || null);
  return {
    spanId: step.span_id,
    parentSpanId: step.parent_span_id,
    startMs: instantMs(step.started_at),
    row: (depth, offsetMs) => ({
      spanId: step.span_id,
      what: 'step',
      kind: barKindOf(step.name),
      label: step.name,
      detail,
      depth,
      offsetMs,
      durationMs: step.duration_ms,
      share: step.share ?? (turnMs ? step.duration_ms / turnMs : null),
      isFailed: isFailedStatus(step.status),
      errorType: step.error_type,
      errorMessage: step.error_message,
    }),
  };
}

function callNode(call: LlmCallAnswer, turnMs: number | null): Node {
  return {
    spanId: call.span_id,
    parentSpanId: call.parent_span_id,
    startMs: instantMs(call.started_at),
    row: (depth, offsetMs) => ({
      spanId: call.span_id,
      what: 'llm call',
      kind: 'llm',
      label: `${call.operation} ${call.model ?? ''}`.trim(),
      detail: call.function_name,
      depth,
      offsetMs,
      durationMs: call.duration_ms,
      share: turnMs ? call.duration_ms / turnMs : null,
      isFailed: isFailedStatus(call.status),
      errorType: call.error_type,
      errorMessage: call.error_message,
    }),
  };
}

function queryNode(query: SqlQueryAnswer, turnMs: number | null): Node {
  return {
    spanId: query.span_id,
    parentSpanId: query.parent_span_id,
    startMs: instantMs(query.started_at),
    row: (depth, offsetMs) => ({
      spanId: query.span_id,
      what: 'sql',
      kind: 'sql',
      label: 'sql',
      detail: query.statement ?? query.operation,
      depth,
      offsetMs,
      durationMs: query.duration_ms,
      share: turnMs ? query.duration_ms / turnMs : null,
      isFailed: isFailedStatus(query.status),
      errorType: query.error_type,
      errorMessage: query.error_message,
    }),
  };
}

/**
 * Where a failed turn's error came from: the deepest failed span carrying the same error type and
 * message (the call that raised it rather than the steps it went up through), else undefined.
 */
export function errorOrigin(turn: TurnAnswer, rows: readonly WaterfallRow[]): WaterfallRow | undefined {
  let origin: WaterfallRow | undefined;
  for (const row of rows) {
    if (!row.isFailed || row.errorType !== turn.error_type || row.errorMessage !== turn.error_message) continue;
    if (origin === undefined || row.depth > origin.depth) origin = row;
  }
  return origin;
}

/** The waterfall of `turn`; `calls` are its LLM calls when the answer lists them apart (a trace). */
export function toWaterfall(turn: TurnAnswer, calls: readonly LlmCallAnswer[] = turn.llm_calls): Waterfall {
  const turnMs = turn.duration_ms !== null && turn.duration_ms > 0 ? turn.duration_ms : null;
  const nodes = [
    ...turn.steps.map((step) => stepNode(step, turnMs)),
    ...calls.map((call) => callNode(call, turnMs)),
    ...turn.sql_queries.map((query) => queryNode(query, turnMs)),
  ];
  const turnStart = turn.started_at === null ? Number.NaN : instantMs(turn.started_at);
  // Markers are the pipeline's own times and may precede the turn span (it opened late).
  const earliest = Math.min(...nodes.map((node) => node.startMs), ...voiceInstants(turn.voice));
  // The turn's stored start may be rounded to the millisecond; never place a bar before 0.
  const start = Number.isNaN(turnStart) ? earliest : Math.min(turnStart, Number.isFinite(earliest) ? earliest : turnStart);
  const ids = new Set(nodes.map((node) => node.spanId));
  const children = new Map<string | null, Node[]>();
  for (const node of nodes) {
    const parent = node.parentSpanId !== null && ids.has(node.parentSpanId) ? node.parentSpanId : null;
    const siblings = children.get(parent);
    if (siblings === undefined) children.set(parent, [node]);
    else siblings.push(node);
  }
  const rows: WaterfallRow[] = [];
  const visit = (parent: string | null, depth: number): void => {
    const siblings = (children.get(parent) ?? []).sort((a, b) => a.startMs - b.startMs);
    for (const node of siblings) {
      rows.push(node.row(depth, node.startMs - start));
      visit(node.spanId, depth + 1);
    }
  };
  visit(null, 0);
  const events = turn.events.map((event) => ({ event, offsetMs: instantMs(event.time) - start }));
  const voice = toVoiceLane(turn.voice, start);
  const lastEnd = Math.max(0, ...rows.map((row) => row.offsetMs + row.durationMs), ...events.map((mark) => mark.offsetMs), voiceLaneEndMs(voice));
  return { rows, events, voice, axisMs: Math.max(turn.duration_ms ?? 0, lastEnd, 1) };
}
