// Known traffic: a seeded plan of conversations, turns, steps, LLM calls, failures and events,
// played through the real @convotel/instrumentation SDK under a ManualClock, so each duration
// and time of what the ingest stores is the plan's own number. Tests compute their expected
// figures from the plan.
import { estimateCost } from '@convotel/pricing';
import { llmCall, recordEvent, startConversation, step } from '@convotel/instrumentation';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ManualClock } from './clock.js';

export interface PlannedCall {
  readonly provider: string;
  /** Requested model; the response model is `${model}-2026`. */
  readonly model: string;
  readonly durationMs: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Reported by the call (0 for a failed call). */
  readonly costUsd: number;
  readonly callType: 'chat' | 'classification';
  readonly functionName: string;
  readonly tags: readonly string[];
  readonly attributes: Readonly<Record<string, string>>;
  /** The call throws this (the step and turn fail with it). */
  readonly error?: string;
  /** Time to the first token, reported by some successful calls. */
  readonly ttftMs?: number;
  /** Of `inputTokens`, read from the provider's cache. */
  readonly cacheReadTokens: number;
}

/** A SQL client span, as @opentelemetry/instrumentation-pg makes one. */
export interface PlannedSql {
  readonly statement: string;
  /** The statement with its literals replaced by `?`, as the ingest stores it. */
  readonly normalized: string;
  readonly durationMs: number;
  /** The query fails with this message (its step goes on). */
  readonly error?: string;
  readonly rows: number;
}

export interface PlannedStep {
  readonly name: 'stt' | 'llm' | 'tool' | 'tts';
  /** Whole step, calls included. */
  readonly durationMs: number;
  readonly provider?: string;
  readonly model?: string;
  readonly audioSeconds?: number;
  readonly characters?: number;
  readonly calls: readonly PlannedCall[];
  /** A SQL query the step makes (a tool looking something up), after its calls. */
  readonly sql?: PlannedSql;
  /** The step throws this (a failing call's error, or its own). */
  readonly error?: string;
  /** Computed from the price table (STT, TTS). */
  readonly costUsd: number;
}

/** A system event, recorded as its turn starts. */
export interface PlannedEvent {
  readonly name: string;
  readonly component: string;
  readonly severity: 'INFO' | 'WARN' | 'ERROR';
  readonly message: string;
}

export interface PlannedTurn {
  /** Idle time before the turn starts. */
  readonly gapBeforeMs: number;
  /** Ends at the first failing step. */
  readonly steps: readonly PlannedStep[];
  readonly perceivedLatencyMs: number | undefined;
  readonly interrupted: boolean;
  readonly userInput: string;
  readonly agentOutput: string;
  readonly events: readonly PlannedEvent[];
}

export interface PlannedConversation {
  readonly conversationId: string;
  readonly userId: string;
  readonly sessionId: string;
  readonly agentName: string;
  readonly channel: 'voice' | 'chat';
  readonly metadata: Readonly<Record<string, string>>;
  readonly startMs: number;
  readonly turns: readonly PlannedTurn[];
  /** How the conversation ends; `undefined`: it never does (still active). */
  readonly end: 'hangup' | 'error' | undefined;
  /** Idle time after the last turn, before the end. */
  readonly tailMs: number;
}

/** Deterministic PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MODELS = [
  { provider: 'openai', model: 'gpt-4o-mini' },
  { provider: 'openai', model: 'gpt-4o' },
  { provider: 'anthropic', model: 'claude-haiku-4-5' },
] as const;
const ERRORS = ['Rate limit exceeded (429)', 'Request timed out', "This model's maximum context length is 128000 tokens"];
/** Statements a tool runs (the account id filled in), with their normalized form. */
const SQL_SHAPES: readonly ((id: number) => { statement: string; normalized: string })[] = [
  (id) => ({ statement: `SELECT balance FROM accounts WHERE id = ${id} AND kind = 'checking'`, normalized: 'SELECT balance FROM accounts WHERE id = ? AND kind = ?' }),
  (id) => ({ statement: `UPDATE accounts SET last_seen_at = now() WHERE id = ${id}`, normalized: 'UPDATE accounts SET last_seen_at = now() WHERE id = ?' }),
  (id) => ({
    statement: `SELECT *\n  FROM transfers\n WHERE account_id = ${id} ORDER BY created_at DESC LIMIT 20`,
    normalized: 'SELECT * FROM transfers WHERE account_id = ? ORDER BY created_at DESC LIMIT ?',
  }),
];
const SQL_ERROR = 'canceling statement due to statement timeout';
const sqlOfShape = (id: number, shape: number) => SQL_SHAPES[shape]!(id);
const WORDS = ['balance', 'transfer', 'refund', 'delivery', 'password', 'invoice', 'upgrade', 'cancel'];

/**
 * `count` conversations starting between `fromMs` and `toMs` (in order, at least 20 min
 * apart), every shape the read side must handle: voice and chat, failed steps and calls,
 * interrupted turns, events, active and failed conversations, and two conversations whose
 * text holds SQL and LIKE metacharacters.
 */
export function planTraffic(options: { seed: number; count: number; fromMs: number; toMs: number }): PlannedConversation[] {
  const random = seededRandom(options.seed);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  // Facts added later draw from their own stream, so the facts drawn before keep their values.
  const extra = seededRandom(options.seed ^ 0x5eed);
  const extraInt = (min: number, max: number): number => min + Math.floor(extra() * (max - min + 1));
  const spacing = Math.floor((options.toMs - options.fromMs) / options.count);
  const conversations: PlannedConversation[] = [];
  for (let i = 0; i < options.count; i++) {
    const channel = random() < 0.6 ? 'voice' : 'chat';
    const turnCount = int(1, 4);
    const turns: PlannedTurn[] = [];
    for (let j = 0; j < turnCount; j++) {
      const word = pick(WORDS);
      const steps: PlannedStep[] = [];
      const failAt = random() < 0.15 ? pick(['llm', 'tool'] as const) : undefined;
      if (channel === 'voice') {
        const audioSeconds = int(1, 9) + int(0, 9) / 10;
        steps.push({
          name: 'stt',
          durationMs: int(150, 1400),
          provider: 'deepgram',
          model: 'nova-3',
          audioSeconds,
          calls: [],
          costUsd: estimateCost({ kind: 'stt', provider: 'deepgram', model: 'nova-3', audioSeconds })?.usd ?? 0,
        });
      }
      const callCount = int(1, 2);
      const calls: PlannedCall[] = [];
      for (let k = 0; k < callCount; k++) {
        const { provider, model } = pick(MODELS);
        const isFailing = failAt === 'llm' && k === callCount - 1;
        const durationMs = int(200, 3000);
        const inputTokens = isFailing ? 0 : int(20, 2000);
        const hasTtft = !isFailing && extra() < 0.6;
        calls.push({
          provider,
          model,
          durationMs,
          inputTokens,
          cacheReadTokens: !isFailing && extra() < 0.5 ? extraInt(0, inputTokens) : 0,
          ...(hasTtft ? { ttftMs: extraInt(50, durationMs - 1) } : {}),
          outputTokens: isFailing ? 0 : int(5, 400),
          costUsd: isFailing ? 0 : int(1, 5000) / 1_000_000,
          callType: k === 0 ? 'chat' : 'classification',
          functionName: k === 0 ? 'answer' : 'classify_intent',
          tags: k === 0 ? ['prod'] : ['prod', 'router'],
          attributes: { company_id: i % 3 === 0 ? 'acme' : 'globex', task_id: `task-${i % 5}` },
          ...(isFailing ? { error: pick(ERRORS) } : {}),
        });
      }
      const llmError = calls.find((c) => c.error !== undefined)?.error;
      steps.push({
        name: 'llm',
        // A failing call ends its step at once.
        durationMs: calls.reduce((sum, c) => sum + c.durationMs, 0) + (calls.some((c) => c.error !== undefined) ? 0 : int(0, 40)),
        calls,
        costUsd: 0,
        ...(llmError === undefined ? {} : { error: llmError }),
      });
      if (llmError === undefined) {
        if (random() < 0.4 || failAt === 'tool') {
          const sqlMs = int(1, 50);
          steps.push({
            name: 'tool',
            durationMs: sqlMs + int(5, 800),
            calls: [],
            sql: { ...sqlOfShape(int(1, 9999), extraInt(0, SQL_SHAPES.length - 1)), durationMs: sqlMs, rows: int(0, 3), ...(extra() < 0.15 ? { error: SQL_ERROR } : {}) },
            costUsd: 0,
            ...(failAt === 'tool' ? { error: 'transfer service unavailable' } : {}),
          });
        }
        if (channel === 'voice' && failAt !== 'tool') {
          const characters = int(20, 400);
          steps.push({
            name: 'tts',
            durationMs: int(100, 1500),
            provider: 'elevenlabs',
            model: 'eleven_flash_v2_5',
            characters,
            calls: [],
            costUsd: estimateCost({ kind: 'tts', provider: 'elevenlabs', model: 'eleven_flash_v2_5', characters })?.usd ?? 0,
          });
        }
      }
      const events: PlannedEvent[] =
        random() < 0.3 ? [{ name: `${word}_lookup`, component: 'account_service', severity: pick(['INFO', 'WARN', 'ERROR'] as const), message: `looked up ${word}` }] : [];
      turns.push({
        gapBeforeMs: j === 0 ? int(0, 500) : int(1000, 20_000),
        steps,
        perceivedLatencyMs: channel === 'voice' ? int(300, 2500) : undefined,
        interrupted: channel === 'voice' && random() < 0.2,
        // Two conversations carry text with SQL and LIKE metacharacters, for q=.
        userInput: i === 1 ? `100%_off? '; DROP TABLE conversations; --` : `user asks about ${word} ${i}-${j}`,
        agentOutput: i === 2 ? `C:\\path\\with_under%score` : `agent answers about ${word}`,
        events,
      });
    }
    const endRoll = random();
    conversations.push({
      conversationId: `conv-${String(i).padStart(3, '0')}`,
      userId: `user-${i % 7}`,
      sessionId: `session-${i % 11}`,
      agentName: i % 2 === 0 ? 'support' : 'sales',
      channel,
      metadata: { company_id: i % 3 === 0 ? 'acme' : 'globex', plan: i % 4 === 0 ? 'gold' : 'basic' },
      startMs: options.fromMs + i * spacing + int(0, Math.max(0, spacing - 20 * 60_000)),
      turns,
      end: endRoll < 0.1 ? undefined : endRoll < 0.2 ? 'error' : 'hangup',
      tailMs: int(0, 3000),
    });
  }
  return conversations;
}

async function playStep(clock: ManualClock, planned: PlannedStep): Promise<void> {
  await step(
    planned.name,
    {
      ...(planned.provider === undefined ? {} : { provider: planned.provider }),
      ...(planned.model === undefined ? {} : { model: planned.model }),
      ...(planned.audioSeconds === undefined ? {} : { audioSeconds: planned.audioSeconds }),
      ...(planned.characters === undefined ? {} : { characters: planned.characters }),
    },
    async () => {
      let used = 0;
      for (const call of planned.calls) {
        await llmCall(
          {
            provider: call.provider,
            model: call.model,
            callType: call.callType,
            functionName: call.functionName,
            tags: [...call.tags],
            attributes: { ...call.attributes },
          },
          async (handle) => {
            clock.advance(call.durationMs);
            if (call.error !== undefined) throw new Error(call.error);
            handle.setResponse({
              responseModel: `${call.model}-2026`,
              usage: {
                inputTokens: call.inputTokens,
                outputTokens: call.outputTokens,
                ...(call.cacheReadTokens === 0 ? {} : { cacheReadInputTokens: call.cacheReadTokens }),
              },
              costUsd: call.costUsd,
              ...(call.ttftMs === undefined ? {} : { ttftMs: call.ttftMs }),
            });
          },
        );
        used += call.durationMs;
      }
      if (planned.sql !== undefined) {
        const { statement, durationMs, rows, error } = planned.sql;
        const span = trace.getTracer('test-pg').startSpan('SELECT accounts', {
          kind: SpanKind.CLIENT,
          attributes: { 'db.system.name': 'postgresql', 'db.namespace': 'bank', 'db.query.text': statement, 'db.response.returned_rows': rows },
        });
        clock.advance(durationMs);
        if (error !== undefined) {
          span.recordException(new Error(error));
          span.setStatus({ code: SpanStatusCode.ERROR, message: error });
        }
        span.end();
        used += durationMs;
      }
      clock.advance(planned.durationMs - used);
      if (planned.error !== undefined) throw new Error(planned.error);
    },
  );
}

/** Plays `plan` through the SDK (already initialized) with `clock` installed. */
export async function playTraffic(clock: ManualClock, plan: readonly PlannedConversation[]): Promise<void> {
  for (const planned of plan) {
    clock.set(planned.startMs);
    const conversation = startConversation({
      conversationId: planned.conversationId,
      userId: planned.userId,
      sessionId: planned.sessionId,
      agentName: planned.agentName,
      channel: planned.channel,
      metadata: { ...planned.metadata },
    });
    for (const turn of planned.turns) {
      clock.advance(turn.gapBeforeMs);
      await conversation
        .turn({ userInput: turn.userInput }, async (handle) => {
          if (turn.perceivedLatencyMs !== undefined) handle.setPerceivedLatencyMs(turn.perceivedLatencyMs);
          if (turn.interrupted) handle.setInterrupted(true);
          for (const event of turn.events) {
            recordEvent(event.name, { topic: event.name }, { component: event.component, severity: event.severity, message: event.message });
          }
          for (const planned of turn.steps) await playStep(clock, planned);
          handle.setAgentOutput(turn.agentOutput);
        })
        .catch(() => undefined);
    }
    clock.advance(planned.tailMs);
    if (planned.end !== undefined) conversation.end(planned.end);
  }
}
