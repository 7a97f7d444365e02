// What each demo call will do, decided up front from a seed so two runs with the same seed
// send the same traffic: which calls hit the rate limit, which are slow, which turns the caller
// interrupts, what is said and how long each stage takes. Pure.
// The voice markers' timings (endpointing, the agent talking over the caller) come from a second
// seeded stream, so adding them left every draw of the first, and so every call, as it was.

/** How a call goes: `slow` calls wait long on every LLM answer; `rate_limited` ones fail a turn on a 429. */
export type CallKind = 'normal' | 'slow' | 'rate_limited';

export interface TurnPlan {
  /** What the caller says. */
  readonly utterance: string;
  /** The turn asks about an order: the model calls the `lookup_order` tool. */
  readonly asksForOrder: boolean;
  /** Seconds of caller speech the STT transcribes. */
  readonly audioSeconds: number;
  /** Time the STT takes. */
  readonly sttMs: number;
  /** Time the (mock) model takes for each completion. */
  readonly llmMs: number;
  /** The model answers 429 to this turn's first completion. */
  readonly isRateLimited: boolean;
  /** Time to the first audio byte of the TTS. */
  readonly ttsFirstByteMs: number;
  /** The caller barges in while the agent speaks. */
  readonly isInterrupted: boolean;
  /** End of the caller's speech to the turn being committed (endpointing); shorter than `sttMs`. */
  readonly endpointingMs: number;
  /** The agent starts speaking while the caller is still finishing a sentence (it talks over them). */
  readonly isTalkedOver: boolean;
}

export interface CallPlan {
  /** 0-based position in the run. */
  readonly index: number;
  readonly kind: CallKind;
  readonly userId: string;
  readonly orderId: string;
  readonly turns: readonly TurnPlan[];
}

/** mulberry32: a tiny seeded PRNG; `Math.random` cannot be seeded. Returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Order numbers the orders table holds (orders-db.ts). */
export const ORDER_IDS = ['1001', '1002', '1003', '1004', '1005', '1006', '1007', '1008'] as const;

const SMALL_TALK = ['Can I change the delivery address?', 'Do you also deliver on Sundays?', 'Is there a charge for late delivery?'];
const SLOW_LLM_MS = 1500;

/** A fixed share of calls: a sixth rate-limited (from 3 calls on), a sixth slow (from 2 calls on), the rest normal. */
function kindsFor(calls: number, random: () => number): CallKind[] {
  const rateLimited = calls >= 3 ? Math.ceil(calls / 6) : 0;
  const slow = calls >= 2 ? Math.ceil(calls / 6) : 0;
  const kinds: CallKind[] = Array.from({ length: calls }, (_, i) => (i < rateLimited ? 'rate_limited' : i < rateLimited + slow ? 'slow' : 'normal'));
  // Fisher–Yates, so the special calls are spread over the run.
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  return kinds;
}

function between(random: () => number, min: number, max: number): number {
  return Math.round(min + random() * (max - min));
}

/**
 * The plan of `calls` calls for `seed`. Every run of three calls or more has a rate-limited turn,
 * a slow call, a turn the caller interrupts and a turn where the agent talks over the caller.
 */
export function planCalls(calls: number, seed: number): CallPlan[] {
  const random = seededRandom(seed);
  const voiceRandom = seededRandom(seed ^ 0x5eed);
  const kinds = kindsFor(calls, random);
  const plans = kinds.map((kind, index): CallPlan => {
    const orderId = ORDER_IDS[Math.floor(random() * ORDER_IDS.length)]!;
    const turnCount = kind === 'normal' ? between(random, 2, 4) : 3;
    const utterances = [
      "Hi, I'm calling about a delivery.",
      `Where is my order ${orderId}?`,
      ...Array.from({ length: turnCount - 3 }, () => SMALL_TALK[Math.floor(random() * SMALL_TALK.length)]!),
      'Thanks, that is all. Bye!',
    ].slice(-turnCount);
    const turns = utterances.map((utterance, turnIndex): TurnPlan => {
      const asksForOrder = utterance.includes(orderId);
      // Drawn in the order they always were: the same seed keeps giving the same calls.
      const audioSeconds = Math.round((1 + utterance.length / 15 + random()) * 10) / 10;
      const sttMs = between(random, 120, 260);
      return {
        utterance,
        asksForOrder,
        audioSeconds,
        sttMs,
        llmMs: kind === 'slow' ? SLOW_LLM_MS + between(random, 0, 400) : between(random, 250, 500),
        isRateLimited: kind === 'rate_limited' && asksForOrder,
        ttsFirstByteMs: between(random, 90, 200),
        // Never the first turn: the caller has nothing to interrupt yet.
        isInterrupted: turnIndex > 0 && random() < 0.2,
        endpointingMs: between(voiceRandom, 60, sttMs - 40),
        isTalkedOver: false,
      };
    });
    return { index, kind, userId: `caller-${between(random, 1, 5)}`, orderId, turns };
  });
  ensureAnInterruption(plans);
  scriptTalkOvers(plans, voiceRandom);
  return plans;
}

/** About one uninterrupted turn in ten after the first, at least one per run: the agent talks over the caller. */
function scriptTalkOvers(plans: CallPlan[], random: () => number): void {
  const isCandidate = (turn: TurnPlan, turnIndex: number) => turnIndex > 0 && !turn.isInterrupted && !turn.isRateLimited;
  for (const plan of plans) {
    plans[plan.index] = { ...plan, turns: plan.turns.map((turn, i) => ({ ...turn, isTalkedOver: isCandidate(turn, i) && random() < 0.1 })) };
  }
  if (plans.some((plan) => plan.turns.some((turn) => turn.isTalkedOver))) return;
  for (const plan of plans) {
    const at = plan.turns.findIndex(isCandidate);
    if (at === -1) continue;
    plans[plan.index] = { ...plan, turns: plan.turns.map((turn, i) => (i === at ? { ...turn, isTalkedOver: true } : turn)) };
    return;
  }
}

/** So that the interruption views have something to show however the dice fell. */
function ensureAnInterruption(plans: CallPlan[]): void {
  if (plans.some((plan) => plan.turns.some((turn) => turn.isInterrupted))) return;
  const plan = plans.find((candidate) => candidate.kind === 'normal' && candidate.turns.length > 1) ?? plans.find((candidate) => candidate.turns.length > 1);
  if (plan === undefined) return;
  const last = plan.turns.length - 1;
  plans[plan.index] = { ...plan, turns: plan.turns.map((turn, i) => (i === last ? { ...turn, isInterrupted: true } : turn)) };
}
