// Rows of conversation traffic over N days, shaped as the ingest stores them (conversations,
// turns as traces rows, llm_step steps, LLM calls), made in chunks of conversations and written
// with the store's bulk path (COPY through `insertAll`, the table contract's bulk columns).
// Deterministic (seeded). Latencies: LLM calls lognormal with a heavy-tailed 3% (timeouts,
// retries); perceived latency of voice turns heavy-tailed; daily and weekly traffic cycles.
import { bulkColumn, CONVERSATIONS, LLM_CALLS, STEPS, TRACES } from '@convotel/store';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A deterministic generator (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return { next, normal, int: (min, max) => min + Math.floor(next() * (max - min + 1)), pick: (items) => items[Math.floor(next() * items.length)] };
}

const MODELS = [
  { provider: 'openai', request: 'gpt-4o-mini', response: 'gpt-4o-mini-2024-07-18', inPrice: 0.15e-6, outPrice: 0.6e-6, medianMs: 700 },
  { provider: 'openai', request: 'gpt-4.1', response: 'gpt-4.1-2025-04-14', inPrice: 2e-6, outPrice: 8e-6, medianMs: 1400 },
  { provider: 'anthropic', request: 'claude-haiku-4-5', response: 'claude-haiku-4-5-20251001', inPrice: 1e-6, outPrice: 5e-6, medianMs: 900 },
];
const FUNCTIONS = ['answer', 'classify_intent', 'summarize', 'extract_entities'];
const CALL_TYPES = ['chat', 'classification', 'summarization', 'extraction'];
const SERVICES = ['bank-voice-agent', 'bank-chat-agent'];
const AGENTS = ['support', 'sales', 'collections'];

const iso = (ms) => new Date(ms).toISOString();
const hex = (n, width) => n.toString(16).padStart(width, '0');

/** A conversation start over `days` days before `endMs`: busier by day and on weekdays. */
function startOf(r, endMs, days) {
  for (;;) {
    const ms = endMs - r.next() * days * DAY_MS;
    const hour = new Date(ms).getUTCHours();
    const weekday = new Date(ms).getUTCDay();
    const weight = (hour >= 7 && hour <= 21 ? 1 : 0.25) * (weekday === 0 || weekday === 6 ? 0.5 : 1);
    if (r.next() < weight) return ms;
  }
}

/** LLM call latency (ms, µs-rounded): lognormal around the model's median, 3% heavy tail. */
function callLatencyMs(r, model) {
  const body = model.medianMs * Math.exp(0.45 * r.normal());
  const tailed = r.next() < 0.03 ? body * (1 / Math.pow(1 - r.next(), 1 / 1.3)) : body;
  return Math.round(Math.min(tailed, 300_000) * 1000) / 1000;
}

/**
 * Generates `calls` LLM calls in `conversations` conversations over `days` days ending at
 * `endMs`, `chunkConversations` conversations at a time: `onChunk(rows)` gets
 * { conversations, traces, steps, llmCalls } arrays of plain objects.
 */
export async function generate({ calls, conversations, days, endMs, seed = 42, chunkConversations = 5000 }, onChunk) {
  const r = rng(seed);
  const callsPerConversation = calls / conversations;
  let callsLeft = calls;
  let traceNo = 0;
  let spanNo = 0;
  const totals = { conversations: 0, turns: 0, llmCalls: 0, steps: 0 };
  for (let c0 = 0; c0 < conversations; c0 += chunkConversations) {
    const rows = { conversations: [], traces: [], steps: [], llmCalls: [] };
    for (let c = c0; c < Math.min(conversations, c0 + chunkConversations); c += 1) {
      const conversationId = `bench-conv-${hex(c, 8)}`;
      const userId = `user-${r.int(1, Math.max(1, Math.floor(conversations / 4)))}`;
      const sessionId = `session-${hex(c, 8)}`;
      const service = r.pick(SERVICES);
      const channel = service === SERVICES[0] ? 'voice' : 'chat';
      const agent = r.pick(AGENTS);
      const isActive = r.next() < 0.02;
      const isFailed = !isActive && r.next() < 0.05;
      // Calls of this conversation: the remaining average, so the total comes out at `calls`.
      const conversationsLeft = conversations - c;
      const target = c === conversations - 1 ? callsLeft : Math.max(1, Math.round((callsLeft / conversationsLeft) * (0.5 + r.next())));
      let callsOfConversation = Math.min(target, callsLeft - (conversationsLeft - 1));
      callsOfConversation = Math.max(1, callsOfConversation);
      callsLeft -= callsOfConversation;
      const startMs = startOf(r, endMs - 30 * 60_000, days);
      let at = startMs + r.int(50, 400);
      const conversation = {
        conversationId, userId, sessionId, service, agent, channel,
        status: isActive ? 'active' : isFailed ? 'error' : 'completed',
        startedAt: startMs, turns: 0, llmCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, errors: 0, llmErrors: 0,
      };
      let turnIndex = 0;
      while (callsOfConversation > 0) {
        const turnCalls = Math.min(callsOfConversation, r.int(1, Math.max(1, Math.round(callsPerConversation / 3))));
        callsOfConversation -= turnCalls;
        const traceId = hex(++traceNo, 32);
        const rootSpanId = hex(++spanNo, 16);
        const turnStart = at;
        let t = turnStart + r.int(5, 40);
        const sttMs = channel === 'voice' ? r.int(150, 600) : 0;
        t += sttMs;
        const stepStart = t;
        const stepSpanId = hex(++spanNo, 16);
        const turn = { inputTokens: 0, outputTokens: 0, costUsd: 0, llmErrors: 0, calls: 0 };
        for (let k = 0; k < turnCalls; k += 1) {
          const model = r.pick(MODELS);
          const latency = callLatencyMs(r, model);
          const isError = r.next() < 0.03;
          const inputTokens = isError ? 0 : r.int(200, 4000);
          const outputTokens = isError ? 0 : r.int(10, 600);
          const cost = Math.round((inputTokens * model.inPrice + outputTokens * model.outPrice) * 1e12) / 1e12;
          const fn = r.next() < 0.6 ? 0 : r.int(1, FUNCTIONS.length - 1);
          rows.llmCalls.push({
            traceId, spanId: hex(++spanNo, 16), parentSpanId: stepSpanId, conversationId, userId, sessionId,
            spanName: `chat ${model.request}`, provider: model.provider, requestModel: model.request,
            responseModel: isError ? null : model.response, callType: CALL_TYPES[fn], functionName: FUNCTIONS[fn],
            inputTokens, outputTokens, costUsd: cost, startedAt: t, endedAt: t + latency, durationMs: latency,
            ttftMs: isError ? null : Math.round(latency * 0.3 * 1000) / 1000,
            status: isError ? 'error' : 'ok', errorType: isError ? r.pick(['RateLimitError', 'APITimeoutError']) : null, service,
          });
          t += latency + r.int(1, 20);
          turn.calls += 1;
          turn.inputTokens += inputTokens;
          turn.outputTokens += outputTokens;
          turn.costUsd += cost;
          turn.llmErrors += isError ? 1 : 0;
        }
        rows.steps.push({
          traceId, spanId: stepSpanId, parentSpanId: rootSpanId, conversationId, name: 'llm', startedAt: stepStart, endedAt: t,
          durationMs: t - stepStart, status: turn.llmErrors > 0 ? 'error' : 'ok', service,
        });
        const ttsMs = channel === 'voice' && turn.llmErrors === 0 ? r.int(120, 900) : 0;
        const turnEnd = t + ttsMs + r.int(2, 30);
        const status = turn.llmErrors > 0 ? 'error' : 'ok';
        rows.traces.push({
          traceId, conversationId, userId, sessionId, service, rootSpanId, turnIndex, startedAt: turnStart, endedAt: turnEnd,
          durationUs: Math.round((turnEnd - turnStart) * 1000), status, interrupted: channel === 'voice' && r.next() < 0.12,
          perceivedLatencyMs: channel === 'voice' ? Math.round(Math.min(60_000, 350 / Math.pow(1 - r.next(), 1 / 1.6))) : null,
          ...turn,
          // Voice turns pay STT and TTS too.
          sttCostUsd: channel === 'voice' ? sttMs * 1.2e-7 : 0, ttsCostUsd: channel === 'voice' ? ttsMs * 2e-7 : 0,
        });
        turnIndex += 1;
        conversation.turns += 1;
        conversation.llmCalls += turn.calls;
        conversation.inputTokens += turn.inputTokens;
        conversation.outputTokens += turn.outputTokens;
        conversation.costUsd += turn.costUsd + rows.traces.at(-1).sttCostUsd + rows.traces.at(-1).ttsCostUsd;
        conversation.errors += status === 'error' ? 1 : 0;
        conversation.llmErrors += turn.llmErrors;
        at = turnEnd + r.int(1500, 20_000);
      }
      conversation.lastSeenAt = at;
      rows.conversations.push(conversation);
      totals.conversations += 1;
      totals.turns += turnIndex;
    }
    totals.llmCalls += rows.llmCalls.length;
    totals.steps += rows.steps.length;
    await onChunk(rows);
  }
  return totals;
}

const money = (usd) => usd.toFixed(12);
const C = CONVERSATIONS.columns;
const T = TRACES.columns;
const S = STEPS.columns;
const L = LLM_CALLS.columns;

/** The bulk rows of one chunk, by the table contract. */
export function toBulkRows(rows) {
  return [
    {
      table: CONVERSATIONS.name,
      rows: rows.conversations,
      columns: [
        bulkColumn(C.conversationId, (c) => c.conversationId),
        bulkColumn(C.conversationIdKey, () => 'gen_ai.conversation.id'),
        bulkColumn(C.serviceName, (c) => c.service),
        bulkColumn(C.agentName, (c) => (c.status === 'active' ? null : c.agent)),
        bulkColumn(C.channel, (c) => (c.status === 'active' ? null : c.channel)),
        bulkColumn(C.userId, (c) => c.userId),
        bulkColumn(C.sessionId, (c) => c.sessionId),
        bulkColumn(C.startedAt, (c) => iso(c.startedAt)),
        bulkColumn(C.endedAt, (c) => (c.status === 'active' ? null : iso(c.lastSeenAt))),
        bulkColumn(C.firstSeenAt, (c) => iso(c.startedAt)),
        bulkColumn(C.lastSeenAt, (c) => iso(c.lastSeenAt)),
        bulkColumn(C.durationMs, (c) => c.lastSeenAt - c.startedAt),
        bulkColumn(C.status, (c) => c.status),
        bulkColumn(C.hasConversationSpan, (c) => c.status !== 'active'),
        bulkColumn(C.turns, (c) => c.turns),
        bulkColumn(C.llmCalls, (c) => c.llmCalls),
        bulkColumn(C.inputTokens, (c) => c.inputTokens),
        bulkColumn(C.outputTokens, (c) => c.outputTokens),
        bulkColumn(C.llmCostUsd, (c) => money(c.costUsd)),
        bulkColumn(C.costUsd, (c) => money(c.costUsd)),
        bulkColumn(C.errors, (c) => c.errors),
        bulkColumn(C.llmErrors, (c) => c.llmErrors),
        bulkColumn(C.successRate, (c) => (c.turns - c.errors) / c.turns),
      ],
    },
    {
      table: TRACES.name,
      rows: rows.traces,
      columns: [
        bulkColumn(T.traceId, (t) => t.traceId),
        bulkColumn(T.conversationId, (t) => t.conversationId),
        bulkColumn(T.conversationIdKey, () => 'gen_ai.conversation.id'),
        bulkColumn(T.conversationCandidate, (t) => t.conversationId),
        bulkColumn(T.userId, (t) => t.userId),
        bulkColumn(T.sessionId, (t) => t.sessionId),
        bulkColumn(T.hasGenai, () => true),
        bulkColumn(T.serviceName, (t) => t.service),
        bulkColumn(T.rootSpanId, (t) => t.rootSpanId),
        bulkColumn(T.rootName, () => 'turn'),
        bulkColumn(T.rootIsTurn, () => true),
        bulkColumn(T.rootStartedAt, (t) => iso(t.startedAt)),
        bulkColumn(T.rootEndedAt, (t) => iso(t.endedAt)),
        bulkColumn(T.rootDurationUs, (t) => t.durationUs),
        bulkColumn(T.rootStatus, (t) => t.status),
        bulkColumn(T.turnIndex, (t) => t.turnIndex),
        bulkColumn(T.interrupted, (t) => t.interrupted),
        bulkColumn(T.perceivedLatencyMs, (t) => t.perceivedLatencyMs),
        bulkColumn(T.startedAt, (t) => iso(t.startedAt)),
        bulkColumn(T.endedAt, (t) => iso(t.endedAt)),
        bulkColumn(T.durationMs, (t) => t.durationUs / 1000),
        bulkColumn(T.status, (t) => t.status),
        bulkColumn(T.firstSeenAt, (t) => iso(t.startedAt)),
        bulkColumn(T.lastSeenAt, (t) => iso(t.endedAt)),
        bulkColumn(T.llmCalls, (t) => t.calls),
        bulkColumn(T.billableCalls, (t) => t.calls),
        bulkColumn(T.inputTokens, (t) => t.inputTokens),
        bulkColumn(T.outputTokens, (t) => t.outputTokens),
        bulkColumn(T.llmCostUsd, (t) => money(t.costUsd)),
        bulkColumn(T.sttCostUsd, (t) => money(t.sttCostUsd)),
        bulkColumn(T.ttsCostUsd, (t) => money(t.ttsCostUsd)),
        bulkColumn(T.costUsd, (t) => money(t.costUsd + t.sttCostUsd + t.ttsCostUsd)),
        bulkColumn(T.llmErrors, (t) => t.llmErrors),
        bulkColumn(T.steps, () => 1),
        bulkColumn(T.stepErrors, (t) => (t.llmErrors > 0 ? 1 : 0)),
      ],
    },
    {
      table: STEPS.name,
      rows: rows.steps,
      columns: [
        bulkColumn(S.traceId, (s) => s.traceId),
        bulkColumn(S.spanId, (s) => s.spanId),
        bulkColumn(S.parentSpanId, (s) => s.parentSpanId),
        bulkColumn(S.conversationId, (s) => s.conversationId),
        bulkColumn(S.kind, () => 'step'),
        bulkColumn(S.name, (s) => s.name),
        bulkColumn(S.spanName, (s) => `step ${s.name}`),
        bulkColumn(S.startedAt, (s) => iso(s.startedAt)),
        bulkColumn(S.endedAt, (s) => iso(s.endedAt)),
        bulkColumn(S.durationMs, (s) => s.durationMs),
        bulkColumn(S.status, (s) => s.status),
        bulkColumn(S.attributes, () => '{}'),
        bulkColumn(S.sourceKeys, () => '{}'),
        bulkColumn(S.scopeName, () => '@convotel/instrumentation'),
        bulkColumn(S.flavour, () => 'convotel'),
        bulkColumn(S.serviceName, (s) => s.service),
      ],
    },
    {
      table: LLM_CALLS.name,
      rows: rows.llmCalls,
      columns: [
        bulkColumn(L.traceId, (l) => l.traceId),
        bulkColumn(L.spanId, (l) => l.spanId),
        bulkColumn(L.parentSpanId, (l) => l.parentSpanId),
        bulkColumn(L.conversationId, (l) => l.conversationId),
        bulkColumn(L.userId, (l) => l.userId),
        bulkColumn(L.sessionId, (l) => l.sessionId),
        bulkColumn(L.billing, () => 'call'),
        bulkColumn(L.spanName, (l) => l.spanName),
        bulkColumn(L.provider, (l) => l.provider),
        bulkColumn(L.requestModel, (l) => l.requestModel),
        bulkColumn(L.responseModel, (l) => l.responseModel),
        bulkColumn(L.operation, () => 'chat'),
        bulkColumn(L.callType, (l) => l.callType),
        bulkColumn(L.functionName, (l) => l.functionName),
        bulkColumn(L.inputTokens, (l) => l.inputTokens),
        bulkColumn(L.outputTokens, (l) => l.outputTokens),
        bulkColumn(L.usageEstimated, () => false),
        bulkColumn(L.costUsd, (l) => money(l.costUsd)),
        bulkColumn(L.costSource, () => 'computed'),
        bulkColumn(L.startedAt, (l) => iso(l.startedAt)),
        bulkColumn(L.endedAt, (l) => iso(l.endedAt)),
        bulkColumn(L.durationMs, (l) => l.durationMs),
        bulkColumn(L.ttftMs, (l) => l.ttftMs),
        bulkColumn(L.status, (l) => l.status),
        bulkColumn(L.errorType, (l) => l.errorType),
        bulkColumn(L.attributes, () => '{}'),
        bulkColumn(L.sourceKeys, () => '{}'),
        bulkColumn(L.scopeName, () => '@convotel/instrumentation'),
        bulkColumn(L.flavour, () => 'convotel'),
        bulkColumn(L.serviceName, (l) => l.service),
      ],
    },
  ];
}
