// Pieces of a turn shown by `summary` and `trace`: status marks, the step breakdown with its
// bottleneck, the voice-to-voice breakdown, LLM call lines.
import type { LlmCallAnswer, StepAnswer, TurnAnswer, TurnVoice } from '../client/answers.js';
import { renderRows, type Column } from './table.js';
import { formatCount, formatMs, formatSeconds, formatShare, formatUsd, NONE } from './units.js';

/** A status as the API spells a failure. */
export const FAILED_STATUS = 'error';

export function isFailed(status: string | undefined): boolean {
  return status === FAILED_STATUS;
}

/** ✓ for ok, ✗ for a failure. */
export function statusMark(status: string | undefined): string {
  return isFailed(status) ? '✗' : '✓';
}

/** `completed` or `failed`, as the seed session says it. */
export function statusWord(status: string | undefined): string {
  return isFailed(status) ? 'failed' : 'completed';
}

/** Whether `step` is the turn's bottleneck (the API names it by step name and duration). */
export function isBottleneck(turn: TurnAnswer, step: StepAnswer): boolean {
  const bottleneck = turn.bottleneck;
  if (bottleneck == null || bottleneck.step !== step.name) return false;
  const sameName = turn.steps.filter((s) => s.name === step.name);
  // Two steps of one name: the one of the bottleneck's duration.
  return sameName.length === 1 || step.duration_ms === bottleneck.duration_ms;
}

interface StepRow {
  readonly step: StepAnswer;
  readonly note: string;
}

const STEP_COLUMNS: readonly Column<StepRow>[] = [
  { header: '', value: (r) => `${statusMark(r.step.status)} ${r.step.name}` },
  { header: '', value: () => ':' },
  { header: '', align: 'right', value: (r) => (r.step.duration_ms == null ? NONE : `${formatSeconds(r.step.duration_ms)}s`) },
  { header: '', align: 'right', value: (r) => (r.step.duration_ms == null ? '' : `(${formatMs(r.step.duration_ms)}ms)`) },
  { header: '', value: (r) => r.note },
];

/**
 * The step breakdown of a turn: ✓/✗ per step, its duration, the bottleneck marked with its
 * share ("← 52% of total time"), a failed step's error on the line below.
 */
export function stepBreakdown(turn: TurnAnswer, indent = '  '): string[] {
  const rows = turn.steps.map((step) => ({
    step,
    note: isBottleneck(turn, step) ? `← ${formatShare(turn.bottleneck?.share)} of total time` : '',
  }));
  const lines = renderRows(STEP_COLUMNS, rows, indent);
  const out: string[] = [];
  rows.forEach((row, i) => {
    out.push(lines[i]!);
    if (isFailed(row.step.status) && row.step.error_message) out.push(`${indent}    Error: ${row.step.error_message}`);
  });
  return out;
}

/** The model a call is known by: the response model, else the requested one. */
export function modelOf(call: LlmCallAnswer): string {
  return call.model ?? call.response_model ?? call.request_model ?? NONE;
}

const CALL_COLUMNS: readonly Column<LlmCallAnswer>[] = [
  { header: '', value: (c) => statusMark(c.status) },
  { header: 'Model', value: modelOf },
  { header: 'Provider', value: (c) => c.provider ?? NONE },
  { header: 'Type', value: (c) => [c.call_type, c.function_name].filter((x) => x != null).join('/') || NONE },
  { header: 'Latency (ms)', align: 'right', value: (c) => formatMs(c.duration_ms) },
  { header: 'In', align: 'right', value: (c) => formatCount(c.input_tokens) },
  { header: 'Out', align: 'right', value: (c) => formatCount(c.output_tokens) },
  { header: 'Cost', align: 'right', value: (c) => formatUsd(c.cost_usd) },
];

/** LLM calls, one aligned line each, a failed call's error below it. */
export function callLines(calls: readonly LlmCallAnswer[], indent: string): string[] {
  const lines = renderRows(CALL_COLUMNS, calls, indent);
  const out: string[] = [];
  calls.forEach((call, i) => {
    out.push(lines[i]!);
    if (isFailed(call.status) && call.error_message) out.push(`${indent}    Error: ${[call.error_type, call.error_message].filter(Boolean).join(': ')}`);
  });
  return out;
}

/** A turn's own error: `RateLimitError: API rate limit exceeded`. */
export function turnError(turn: TurnAnswer): string | undefined {
  if (!isFailed(turn.status)) return undefined;
  const text = [turn.error_type, turn.error_message].filter((x) => x != null && x !== '').join(': ');
  return text === '' ? 'failed' : text;
}

interface ContributionRow {
  readonly stage: string;
  readonly ms: number;
  readonly share: number | null;
  readonly isDominant: boolean;
}

const CONTRIBUTION_COLUMNS: readonly Column<ContributionRow>[] = [
  { header: '', value: (r) => r.stage },
  { header: '', value: () => ':' },
  { header: '', align: 'right', value: (r) => `${formatSeconds(r.ms)}s` },
  { header: '', align: 'right', value: (r) => `(${formatMs(r.ms)}ms)` },
  { header: '', align: 'right', value: (r) => formatShare(r.share) },
  { header: '', value: (r) => (r.isDominant ? '← dominant' : '') },
];

/**
 * A turn's voice breakdown: voice-to-voice latency and what measured it, who interrupted, then
 * each contribution (they sum to it) with its share, the dominant one marked. Nothing without voice facts.
 */
export function voiceBreakdown(voice: TurnVoice, indent = '  '): string[] {
  if (voice === null) return [];
  const interrupted = voice.interrupted_by === null ? '' : `  interrupted by the ${voice.interrupted_by}`;
  if (voice.voice_to_voice_ms === null) return [`${indent}Voice-to-voice: ${NONE} (the agent never spoke after the user)${interrupted}`];
  const total = voice.voice_to_voice_ms;
  const head = `${indent}Voice-to-voice: ${formatSeconds(total)}s (${formatMs(total)}ms), from ${voice.source ?? 'unknown'}` +
    (voice.model === null ? '' : `, LLM ${voice.model}`) + interrupted;
  const rows = voice.contributions
    .filter((c) => c.us !== 0)
    .map((c): ContributionRow => ({ stage: c.stage, ms: c.ms, share: total > 0 ? c.ms / total : null, isDominant: c.stage === voice.dominant_stage }));
  return [head, ...renderRows(CONTRIBUTION_COLUMNS, rows, `${indent}  `)];
}
