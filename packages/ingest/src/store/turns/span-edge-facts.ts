// `span_edges.facts` ↔ what a span says about its turn: a turn span's own facts (as a trace
// root's would be) and any span's voice facts. JSON, with µs as decimal strings. Pure.
import type { Status } from '../../normalize/concepts/status.js';
import { voiceFactsFromJson, voiceFactsToJson } from '../../normalize/concepts/voice-facts.js';
import type { SpanEdgeRow, TextPick, TurnRoot } from '../../normalize/rows.js';

type Facts = Pick<SpanEdgeRow, 'turn' | 'voice'>;

/** The JSON stored, or undefined when the span says nothing about its turn. */
export function spanEdgeFactsToJson(row: Facts): Record<string, unknown> | undefined {
  if (row.turn === undefined && row.voice === undefined) return undefined;
  const json: Record<string, unknown> = {};
  if (row.turn !== undefined) {
    const { root, userInput, agentOutput, group } = row.turn;
    json['turn'] = {
      group,
      name: root.name,
      status: root.status,
      errorType: root.errorType,
      errorMessage: root.errorMessage,
      turnIndex: root.turnIndex,
      isInterrupted: root.isInterrupted,
      perceivedLatencyMs: root.perceivedLatencyMs,
      userInput: pickToJson(userInput),
      agentOutput: pickToJson(agentOutput),
    };
  }
  if (row.voice !== undefined) json['voice'] = voiceFactsToJson(row.voice);
  return json;
}

/** A turn span's facts read back (times from the edge row's columns). */
export function turnFactsFromJson(
  value: unknown,
  span: { readonly spanId: string; readonly startedAt: bigint; readonly endedAt: bigint },
): SpanEdgeRow['turn'] {
  const turn = objectAt(value, 'turn');
  if (turn === undefined) return undefined;
  const root: TurnRoot = {
    spanId: span.spanId,
    name: stringOf(turn['name']) ?? '',
    startedAt: span.startedAt,
    endedAt: span.endedAt,
    durationUs: span.endedAt - span.startedAt,
    status: turn['status'] === 'error' ? 'error' : ('ok' satisfies Status),
    errorType: stringOf(turn['errorType']),
    errorMessage: stringOf(turn['errorMessage']),
    isConvotelTurn: false,
    turnIndex: numberOf(turn['turnIndex']),
    intent: undefined,
    classification: undefined,
    isInterrupted: typeof turn['isInterrupted'] === 'boolean' ? turn['isInterrupted'] : undefined,
    perceivedLatencyMs: numberOf(turn['perceivedLatencyMs']),
  };
  return { root, userInput: pickFromJson(turn['userInput']), agentOutput: pickFromJson(turn['agentOutput']), group: stringOf(turn['group']) };
}

/** A span's voice facts read back. */
export function voiceFactsOfJson(value: unknown): SpanEdgeRow['voice'] {
  const voice = objectAt(value, 'voice');
  return voice === undefined ? undefined : voiceFactsFromJson(voice);
}

function pickToJson(pick: TextPick | undefined): Record<string, unknown> | undefined {
  return pick === undefined ? undefined : { text: pick.text, rank: pick.rank, at: pick.at.toString() };
}

function pickFromJson(value: unknown): TextPick | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const text = stringOf(v['text']);
  const at = typeof v['at'] === 'string' && /^-?\d+$/.test(v['at']) ? BigInt(v['at']) : undefined;
  return text === undefined || at === undefined ? undefined : { text, rank: numberOf(v['rank']) ?? 0, at };
}

function objectAt(value: unknown, key: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const inner = (value as Record<string, unknown>)[key];
  return typeof inner === 'object' && inner !== null ? (inner as Record<string, unknown>) : undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
