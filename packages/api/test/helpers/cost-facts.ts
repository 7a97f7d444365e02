// Spend computed from planned traffic, as GET /costs groups it: the cost rows (turns, LLM calls,
// priced steps) of each grouping, their figures, and a comparison with an answer's.
import type { GroupBy } from '@convotel/query';
import { expect } from 'vitest';
import { costsResponse } from '../../src/routes/costs.js';
import { sum, type ConversationFact } from './expected.js';
import { distinct } from './grouping.js';
import type { PlannedCall } from './traffic.js';

export type CostsAnswer = ReturnType<typeof costsResponse.parse>;

/** A planned row that carries cost: a turn, an LLM call or a priced step. */
export interface CostRow {
  readonly key: string | null;
  readonly conversationId: string;
  readonly startMs: number;
  readonly llm: number;
  readonly stt: number;
  readonly tts: number;
  readonly calls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

const TURN_KEYS: Partial<Record<GroupBy, (c: ConversationFact) => string | null>> = {
  user: (c) => c.conversation.userId,
  session: (c) => c.conversation.sessionId,
  // The agent name travels on the conversation span: a conversation still active has none yet.
  agent: (c) => (c.conversation.end === undefined ? null : c.conversation.agentName),
};

export const ALL_CALLS = (): boolean => true;

/** The cost rows of `facts` for grouping `by`; a call filter other than ALL_CALLS leaves priced steps out. */
export function costRows(facts: readonly ConversationFact[], by: GroupBy, keepCall: (call: PlannedCall) => boolean): CostRow[] {
  const turnKey = TURN_KEYS[by];
  if (turnKey !== undefined) {
    return facts.flatMap((c) =>
      c.turns.map((t) => {
        const calls = t.turn.steps.flatMap((s) => s.calls);
        return {
          key: turnKey(c),
          conversationId: c.conversation.conversationId,
          startMs: t.startMs,
          llm: t.llmCostUsd,
          stt: t.sttCostUsd,
          tts: t.ttsCostUsd,
          calls: calls.length,
          inputTokens: sum(calls.map((x) => x.inputTokens)),
          outputTokens: sum(calls.map((x) => x.outputTokens)),
        };
      }),
    );
  }
  // A call's model is the one that answered (`<model>-2026`), else the one a failed call asked for.
  const callKey = { model: (call: PlannedCall) => (call.error === undefined ? `${call.model}-2026` : call.model), provider: (call: PlannedCall) => call.provider } as const;
  const calls = facts.flatMap((c) =>
    c.calls.filter(({ call }) => keepCall(call)).map(({ call, startMs }) => ({
      key: by === 'model' || by === 'provider' ? callKey[by](call) : by === 'call_type' ? call.callType : call.functionName,
      conversationId: c.conversation.conversationId,
      startMs,
      llm: call.costUsd,
      stt: 0,
      tts: 0,
      calls: 1,
      inputTokens: call.inputTokens,
      outputTokens: call.outputTokens,
    })),
  );
  // A call-only filter (function, call type, tag) keeps no step.
  if (keepCall !== ALL_CALLS || (by !== 'model' && by !== 'provider')) return calls;
  const steps = facts.flatMap((c) =>
    c.steps
      .filter((s) => s.step.costUsd > 0)
      .map(({ step, startMs }) => ({
        key: (by === 'model' ? step.model : step.provider) ?? null,
        conversationId: c.conversation.conversationId,
        startMs,
        llm: 0,
        stt: step.name === 'stt' ? step.costUsd : 0,
        tts: step.name === 'tts' ? step.costUsd : 0,
        calls: 0,
        inputTokens: 0,
        outputTokens: 0,
      })),
  );
  return [...calls, ...steps];
}

export function figuresOf(rows: readonly CostRow[]) {
  return {
    cost_usd: sum(rows.map((r) => r.llm + r.stt + r.tts)),
    llm_cost_usd: sum(rows.map((r) => r.llm)),
    stt_cost_usd: sum(rows.map((r) => r.stt)),
    tts_cost_usd: sum(rows.map((r) => r.tts)),
    calls: sum(rows.map((r) => r.calls)),
    conversations: distinct(rows.map((r) => r.conversationId)),
    input_tokens: sum(rows.map((r) => r.inputTokens)),
    output_tokens: sum(rows.map((r) => r.outputTokens)),
  };
}

export type Figures = ReturnType<typeof figuresOf>;

export function expectFigures(actual: Figures & { other_cost_usd: number }, expected: Figures, label: string): void {
  expect([actual.calls, actual.conversations, actual.input_tokens, actual.output_tokens], label).toEqual([
    expected.calls,
    expected.conversations,
    expected.input_tokens,
    expected.output_tokens,
  ]);
  for (const name of ['cost_usd', 'llm_cost_usd', 'stt_cost_usd', 'tts_cost_usd'] as const) expect(actual[name], `${label} ${name}`).toBeCloseTo(expected[name], 9);
  expect(actual.other_cost_usd).toBe(0);
}

/** The calendar date of an instant in `tz` (YYYY-MM-DD). */
export function localDate(ms: number, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

