// Facts of planned traffic, computed from the plan alone (never from the database): what a
// correct read side must answer.
import type { PlannedCall, PlannedConversation, PlannedSql, PlannedStep, PlannedTurn } from './traffic.js';

export interface TurnFact {
  readonly conversation: PlannedConversation;
  readonly turn: PlannedTurn;
  readonly index: number;
  readonly startMs: number;
  readonly durationMs: number;
  readonly isFailed: boolean;
  readonly costUsd: number;
  readonly llmCostUsd: number;
  readonly sttCostUsd: number;
  readonly ttsCostUsd: number;
}

export interface CallFact {
  readonly turn: TurnFact;
  readonly step: PlannedStep;
  readonly call: PlannedCall;
  readonly startMs: number;
}

export interface StepFact {
  readonly turn: TurnFact;
  readonly step: PlannedStep;
  readonly startMs: number;
  readonly isFailed: boolean;
}

export interface SqlFact {
  readonly turn: TurnFact;
  readonly sql: PlannedSql;
  readonly startMs: number;
}

export interface ConversationFact {
  readonly conversation: PlannedConversation;
  /** First span: the conversation span when it ends, else the first turn. */
  readonly startedMs: number;
  readonly endedMs: number | undefined;
  readonly durationMs: number;
  readonly status: 'active' | 'completed' | 'error';
  readonly turns: readonly TurnFact[];
  readonly calls: readonly CallFact[];
  readonly steps: readonly StepFact[];
  readonly queries: readonly SqlFact[];
  readonly costUsd: number;
  readonly errors: number;
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

export function conversationFacts(conversation: PlannedConversation): ConversationFact {
  let atMs = conversation.startMs;
  const turns: TurnFact[] = [];
  const calls: CallFact[] = [];
  const steps: StepFact[] = [];
  const queries: SqlFact[] = [];
  conversation.turns.forEach((turn, index) => {
    atMs += turn.gapBeforeMs;
    const durationMs = sum(turn.steps.map((s) => s.durationMs));
    const stepCosts = (name: string) => sum(turn.steps.filter((s) => s.name === name).map((s) => s.costUsd));
    const llmCostUsd = sum(turn.steps.flatMap((s) => s.calls.map((c) => c.costUsd)));
    const fact: TurnFact = {
      conversation,
      turn,
      index,
      startMs: atMs,
      durationMs,
      isFailed: turn.steps.some((s) => s.error !== undefined),
      llmCostUsd,
      sttCostUsd: stepCosts('stt'),
      ttsCostUsd: stepCosts('tts'),
      costUsd: llmCostUsd + stepCosts('stt') + stepCosts('tts'),
    };
    turns.push(fact);
    let stepStart = atMs;
    for (const step of turn.steps) {
      steps.push({ turn: fact, step, startMs: stepStart, isFailed: step.error !== undefined });
      let callStart = stepStart;
      for (const call of step.calls) {
        calls.push({ turn: fact, step, call, startMs: callStart });
        callStart += call.durationMs;
      }
      // A step's SQL query runs after its calls.
      if (step.sql !== undefined) queries.push({ turn: fact, sql: step.sql, startMs: callStart });
      stepStart += step.durationMs;
    }
    atMs += durationMs;
  });
  const lastSpanEndMs = atMs;
  const endedMs = conversation.end === undefined ? undefined : atMs + conversation.tailMs;
  const startedMs = conversation.end === undefined ? (turns[0]?.startMs ?? conversation.startMs) : conversation.startMs;
  return {
    conversation,
    startedMs,
    endedMs,
    durationMs: (endedMs ?? lastSpanEndMs) - startedMs,
    status: conversation.end === undefined ? 'active' : conversation.end === 'error' ? 'error' : 'completed',
    turns,
    calls,
    steps,
    queries,
    costUsd: sum(turns.map((t) => t.costUsd)),
    errors: turns.filter((t) => t.isFailed).length,
  };
}

/** Is `ms` in the half-open window [from, to)? */
export function isInWindow(ms: number, window: { from: string; to: string }): boolean {
  return ms >= Date.parse(window.from) && ms < Date.parse(window.to);
}

/** PostgreSQL's percentile_cont: linear interpolation between the closest ranks; null without values. */
export function percentileCont(values: readonly number[], fraction: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (position - lower) * (sorted[upper]! - sorted[lower]!);
}

export { sum };
