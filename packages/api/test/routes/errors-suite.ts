// GET /api/v1/errors against the planned failures: rates by step and model, and the window's
// error messages sorted into patterns. The expected pattern of each planned message is written
// here, independently of the classifier. Shared by the PostgreSQL and PGlite files.
import { describe, expect, it } from 'vitest';
import { errorAnalysisResponse } from '../../src/routes/errors.js';
import type { StoreKind } from '../helpers/databases.js';
import { conversationFacts, isInWindow, type ConversationFact } from '../helpers/expected.js';
import { compareKeys, groupBy } from '../helpers/grouping.js';
import { useReadSide } from '../helpers/read-side.js';

type Answer = ReturnType<typeof errorAnalysisResponse.parse>;

const PATTERN_OF: Readonly<Record<string, string>> = {
  'Rate limit exceeded (429)': 'rate_limit',
  'Request timed out': 'timeout',
  "This model's maximum context length is 128000 tokens": 'context_length',
  'transfer service unavailable': 'server_error',
  'canceling statement due to statement timeout': 'timeout',
};

/** One error in one turn: a message raised at `atMs` (a call, step or SQL query failing). */
interface Occurrence {
  readonly conversationId: string;
  readonly turnStartMs: number;
  readonly message: string;
  readonly atMs: number;
}

/**
 * The errors of planned turns, one per turn and message: a failing call fails its step and
 * turn with the same message, at the same moment (the call's end).
 */
function occurrencesOf(fact: ConversationFact, window: { from: string; to: string }): Occurrence[] {
  const found = new Map<string, Occurrence>();
  const add = (turnStartMs: number, message: string, startMs: number, atMs: number) => {
    if (!isInWindow(startMs, window)) return;
    const key = `${turnStartMs}\n${message}`;
    const seen = found.get(key);
    if (seen === undefined || atMs < seen.atMs) found.set(key, { conversationId: fact.conversation.conversationId, turnStartMs, message, atMs });
  };
  for (const call of fact.calls) if (call.call.error !== undefined) add(call.turn.startMs, call.call.error, call.startMs, call.startMs + call.call.durationMs);
  for (const step of fact.steps) if (step.step.error !== undefined) add(step.turn.startMs, step.step.error, step.startMs, step.startMs + step.step.durationMs);
  for (const query of fact.queries) if (query.sql.error !== undefined) add(query.turn.startMs, query.sql.error, query.startMs, query.startMs + query.sql.durationMs);
  for (const turn of fact.turns) {
    const failing = turn.turn.steps.find((s) => s.error !== undefined);
    // A failed turn ends with its failing step.
    if (failing !== undefined) add(turn.startMs, failing.error!, turn.startMs, turn.startMs + turn.durationMs);
  }
  return [...found.values()];
}

/** The answer to a window of `kept`'s traffic, computed from the plan. */
export function expectedErrors(kept: readonly ConversationFact[], window: { from: string; to: string }, examples = 3) {
  const rates = <T>(items: T[], keyOf: (item: T) => string, isFailed: (item: T) => boolean) =>
    [...groupBy(items, keyOf)]
      .map(([key, group]) => ({ key, total: group.length, failures: group.filter(isFailed).length }))
      .sort((a, b) => b.failures - a.failures || b.total - a.total || compareKeys(a.key, b.key));
  const occurrences = kept.flatMap((f) => occurrencesOf(f, window));
  const patterns = [...groupBy(occurrences, (o) => PATTERN_OF[o.message] ?? 'unplanned')].map(([pattern, group]) => ({
    pattern,
    count: group.length,
    examples: [...group]
      .sort((a, b) => b.atMs - a.atMs)
      .slice(0, examples)
      .map((o) => [o.conversationId, o.message, o.atMs]),
  }));
  return {
    by_step: rates(
      kept.flatMap((f) => f.steps).filter((s) => isInWindow(s.startMs, window)),
      (s) => s.step.name,
      (s) => s.isFailed,
    ),
    by_model: rates(
      kept.flatMap((f) => f.calls).filter((c) => isInWindow(c.startMs, window)),
      // The answering model, else the requested one: a failed call names only that.
      (c) => (c.call.error === undefined ? `${c.call.model}-2026` : c.call.model),
      (c) => c.call.error !== undefined,
    ),
    total: occurrences.length,
    patterns,
  };
}

/** Every count of the answer as expected; examples newest first, as many as asked. */
export function expectErrorAnswer(answer: Answer, expected: ReturnType<typeof expectedErrors>): void {
  expect(answer.by_step.map((s) => [s.step, s.total, s.failures])).toEqual(expected.by_step.map((s) => [s.key, s.total, s.failures]));
  expect(answer.by_model.map((m) => [m.model, m.total, m.failures])).toEqual(expected.by_model.map((m) => [m.key, m.total, m.failures]));
  for (const rate of [...answer.by_step, ...answer.by_model]) expect(rate.error_rate).toBeCloseTo(rate.failures / rate.total, 12);
  expect(answer.total).toBe(expected.total);
  // Equal counts may come in either order (ties go by library order).
  const patterns = [...answer.patterns].sort((a, b) => compareKeys(a.pattern, b.pattern));
  const expectedPatterns = [...expected.patterns].sort((a, b) => compareKeys(a.pattern, b.pattern));
  expect(patterns.map((p) => [p.pattern, p.count])).toEqual(expectedPatterns.map((p) => [p.pattern, p.count]));
  expect(answer.patterns.map((p) => p.count)).toEqual(answer.patterns.map((p) => p.count).sort((a, b) => b - a));
  for (const [i, pattern] of patterns.entries()) {
    expect(pattern.examples.map((e) => [e.conversation_id, e.message, Date.parse(e.at!)])).toEqual(expectedPatterns[i]!.examples);
    for (const example of pattern.examples) expect(example.trace_id).toMatch(/^[0-9a-f]{32}$/);
  }
  expect(answer.truncated).toBe(false);
}

export function describeErrors(kind: StoreKind): void {
  describe(`GET /api/v1/errors (${kind})`, () => {
    const side = useReadSide(kind);
    const facts = (): ConversationFact[] => side.plan.map(conversationFacts);

    async function errors(query: Record<string, string | number>): Promise<Answer> {
      const { status, body } = await side.get('/api/v1/errors', query);
      expect(status, JSON.stringify(body)).toBe(200);
      return errorAnalysisResponse.parse(body);
    }

    const expectedFor = (window: { from: string; to: string }, keep: (fact: ConversationFact) => boolean = () => true, examples = 3) =>
      expectedErrors(facts().filter(keep), window, examples);

    it('answers rates by step and model and the patterns of every error in the window', async () => {
      const answer = await errors(side.everything);
      const expected = expectedFor(side.everything);
      expect(expected.patterns.map((p) => p.pattern).sort()).toEqual(['context_length', 'rate_limit', 'server_error', 'timeout']);
      expect(answer.window).toEqual(side.everything);
      expectErrorAnswer(answer, expected);
    });

    it('answers a window cut between conversations, and as many examples as asked', async () => {
      const window = { from: new Date(side.plan[8]!.startMs - 60_000).toISOString(), to: new Date(side.plan[30]!.startMs - 60_000).toISOString() };
      expectErrorAnswer(await errors(window), expectedFor(window));
      expectErrorAnswer(await errors({ ...window, examples: 1 }), expectedFor(window, () => true, 1));
      const none = await errors({ ...window, examples: 0 });
      expect(none.patterns.every((p) => p.examples.length === 0)).toBe(true);
    });

    it('narrows to a filter', async () => {
      // The agent name travels on the conversation span: a conversation still active has none yet.
      const support = (f: ConversationFact) => f.conversation.agentName === 'support' && f.conversation.end !== undefined;
      expectErrorAnswer(await errors({ ...side.everything, agent: 'support' }), expectedFor(side.everything, support));
      expectErrorAnswer(await errors({ ...side.everything, user: 'user-2' }), expectedFor(side.everything, (f) => f.conversation.userId === 'user-2'));
    });

    it('answers empty lists for an empty window and 400 for examples outside 0…20 or a status filter', async () => {
      expect(await errors({ from: '2001-01-01', to: '2001-01-02' })).toMatchObject({ by_step: [], by_model: [], total: 0, patterns: [], truncated: false });
      for (const [name, value] of [['examples', '21'], ['examples', '-1'], ['status', 'error']] as const) {
        const { status, body } = await side.get('/api/v1/errors', { [name]: value });
        expect(status).toBe(400);
        expect(body).toMatchObject({ error: { code: 'invalid_parameter', parameter: name } });
      }
    });
  });
}
