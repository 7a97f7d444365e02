// Traffic for the rollup-backed answers: four stretches of a little over two days each (every one
// longer than the 48 hours beyond which windows read rollups), each with turn latencies drawn from
// its own distribution, heavy tail included. Every window starts and ends mid-hour with turns in
// those partial hours, which are read from raw rows. Played like planTraffic's plan.
import { seededRandom, type PlannedCall, type PlannedConversation, type PlannedStep, type PlannedTurn } from './traffic.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** Latency distributions (ms) of the LLM call that dominates a turn. */
export const LATENCY_DISTRIBUTIONS: Readonly<Record<string, (random: () => number) => number>> = {
  lognormal: (random) => Math.exp(Math.log(900) + 0.5 * normal(random)),
  // Pareto, α = 1.2: most turns near 200 ms, a few up to two minutes.
  'heavy tail': (random) => Math.min(120_000, 200 / Math.pow(1 - random(), 1 / 1.2)),
  bimodal: (random) => (random() < 0.75 ? 400 + 60 * normal(random) : 6000 + 1500 * normal(random)),
  exponential: (random) => -700 * Math.log(1 - random()),
};

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** One stretch of traffic and the window that holds exactly it. */
export interface LatencySegment {
  readonly distribution: string;
  readonly window: { readonly from: string; readonly to: string };
}

const SEGMENT_HOURS = 50;
const GAP_HOURS = 3;

/** The segments of traffic planned before `nowMs`, oldest first; the last ends an hour before now. */
export function latencySegments(nowMs: number): LatencySegment[] {
  const names = Object.keys(LATENCY_DISTRIBUTIONS);
  const lastHour = Math.floor(nowMs / HOUR_MS) * HOUR_MS - HOUR_MS;
  return names.map((distribution, k) => {
    // Windows start and end at :30 past an hour.
    const end = lastHour - (names.length - 1 - k) * (SEGMENT_HOURS + GAP_HOURS) * HOUR_MS - 30 * MINUTE_MS;
    const start = end - SEGMENT_HOURS * HOUR_MS;
    return { distribution, window: { from: new Date(start).toISOString(), to: new Date(end).toISOString() } };
  });
}

/**
 * `perSegment` conversations in each segment, spread evenly but for a few in the first and last
 * half hour of its window; voice (perceived latency, STT, TTS, interruptions) and chat, failed
 * calls, two agents, an active conversation now and then.
 */
export function planLatencyTraffic(options: { seed: number; nowMs: number; perSegment: number }): PlannedConversation[] {
  const random = seededRandom(options.seed);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const plan: PlannedConversation[] = [];
  for (const segment of latencySegments(options.nowMs)) {
    const draw = LATENCY_DISTRIBUTIONS[segment.distribution] as (random: () => number) => number;
    const from = Date.parse(segment.window.from);
    const to = Date.parse(segment.window.to);
    // A conversation lasts at most ~7 minutes (three turns of two minutes): none overlaps the next.
    const starts = [from + 1000, from + 10 * MINUTE_MS, from + 20 * MINUTE_MS];
    const middle = options.perSegment - 6;
    const spacing = Math.floor((to - from - 2 * HOUR_MS) / middle);
    for (let i = 0; i < middle; i += 1) starts.push(from + HOUR_MS + i * spacing + int(0, spacing - 10 * MINUTE_MS));
    starts.push(to - 28 * MINUTE_MS, to - 19 * MINUTE_MS, to - 10 * MINUTE_MS);
    for (const [i, startMs] of starts.entries()) {
      const channel = random() < 0.5 ? 'voice' : 'chat';
      const turns: PlannedTurn[] = Array.from({ length: int(1, 3) }, (_, j) => plannedTurn(channel, j, draw, random, int));
      plan.push({
        conversationId: `lat-${segment.distribution.replace(/\W/g, '-')}-${String(i).padStart(3, '0')}`,
        userId: `user-${i % 5}`,
        sessionId: `session-${i % 9}`,
        agentName: i % 2 === 0 ? 'support' : 'sales',
        channel,
        metadata: { company_id: i % 3 === 0 ? 'acme' : 'globex' },
        startMs,
        turns,
        end: random() < 0.1 ? undefined : 'hangup',
        tailMs: int(0, 2000),
      });
    }
  }
  return plan;
}

function plannedTurn(
  channel: 'voice' | 'chat',
  index: number,
  draw: (random: () => number) => number,
  random: () => number,
  int: (min: number, max: number) => number,
): PlannedTurn {
  const isFailing = random() < 0.08;
  const provider = random() < 0.5 ? 'openai' : 'anthropic';
  const model = random() < 0.5 ? 'gpt-4o-mini' : 'claude-haiku-4-5';
  const durationMs = Math.max(1, Math.round(draw(random)));
  const call: PlannedCall = {
    provider,
    model,
    durationMs,
    // Chat answers stream: their first token comes a quarter of the way in.
    ...(channel === 'chat' && !isFailing ? { ttftMs: durationMs / 4 } : {}),
    inputTokens: isFailing ? 0 : int(20, 3000),
    outputTokens: isFailing ? 0 : int(5, 500),
    cacheReadTokens: 0,
    costUsd: isFailing ? 0 : int(1, 9000) / 1_000_000,
    callType: 'chat',
    functionName: 'answer',
    tags: ['prod'],
    attributes: { company_id: 'acme', task_id: `task-${index}` },
    ...(isFailing ? { error: 'Request timed out' } : {}),
  };
  const steps: PlannedStep[] = [];
  if (channel === 'voice') steps.push({ name: 'stt', durationMs: int(120, 500), calls: [], costUsd: 0 });
  steps.push({ name: 'llm', durationMs: call.durationMs + (isFailing ? 0 : int(0, 30)), calls: [call], costUsd: 0, ...(isFailing ? { error: 'Request timed out' } : {}) });
  if (channel === 'voice' && !isFailing) steps.push({ name: 'tts', durationMs: int(80, 900), calls: [], costUsd: 0 });
  return {
    gapBeforeMs: index === 0 ? int(0, 300) : int(500, 5000),
    steps,
    // Perceived latency: what the caller waits for, heavy-tailed too.
    perceivedLatencyMs: channel === 'voice' ? Math.round(Math.min(120_000, 250 / Math.pow(1 - random(), 1 / 1.5))) : undefined,
    interrupted: channel === 'voice' && random() < 0.15,
    userInput: `question ${index}`,
    agentOutput: `answer ${index}`,
    events: [],
  };
}
