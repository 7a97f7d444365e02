// Rows of voice and chat agent traffic over N days, shaped as the ingest stores them
// (conversations, turns as traces rows, stt / llm / tool / tts steps, LLM calls, SQL spans),
// made in chunks of conversations and written with the store's bulk path (COPY through
// `insertAll`, the table contract's bulk columns). Deterministic (seeded). Latencies: LLM calls
// lognormal with a heavy-tailed 3%, steps and statements lognormal; failed LLM calls (rate
// limits, timeouts, context length, server errors), statements and TTS calls worded as their
// clients report them; perceived latency of voice turns heavy-tailed; daily and weekly cycles.
import { bulkColumn, CONVERSATIONS, DB_QUERIES, LLM_CALLS, STEPS, TRACES } from '@convotel/store';

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

// Request model → answering model: most providers answer with a dated snapshot of the alias asked for.
const MODELS = [
  { provider: 'openai', request: 'gpt-4o-mini', response: 'gpt-4o-mini-2024-07-18', inPrice: 0.15e-6, outPrice: 0.6e-6, medianMs: 700, weight: 0.4 },
  { provider: 'openai', request: 'gpt-4o', response: 'gpt-4o-2024-08-06', inPrice: 2.5e-6, outPrice: 10e-6, medianMs: 1100, weight: 0.2 },
  { provider: 'openai', request: 'gpt-4.1', response: 'gpt-4.1', inPrice: 2e-6, outPrice: 8e-6, medianMs: 1400, weight: 0.1 },
  { provider: 'anthropic', request: 'claude-haiku-4-5', response: 'claude-haiku-4-5-20251001', inPrice: 1e-6, outPrice: 5e-6, medianMs: 900, weight: 0.3 },
];
const FUNCTIONS = ['answer', 'classify_intent', 'summarize', 'extract_entities'];
const CALL_TYPES = ['chat', 'classification', 'summarization', 'extraction'];
const SERVICES = ['bank-voice-agent', 'bank-chat-agent'];
const AGENTS = ['support', 'sales', 'collections'];

/**
 * Failed LLM calls (3%), as the OpenAI and Anthropic SDKs word them: rate limits, timeouts,
 * context length and server errors (patterns of @convotel/query's error library), with the
 * time each takes to fail.
 */
const LLM_FAILURES = [
  {
    weight: 0.4,
    type: () => 'RateLimitError',
    message: (m) => `429 Rate limit reached for ${m.request} in organization org-bench on tokens per min (TPM): Limit 30000, Used 29500, Requested 1800. Please try again in 2.6s.`,
    ms: [60, 400],
  },
  { weight: 0.25, type: () => 'APITimeoutError', message: () => 'Request timed out.', ms: [30_000, 60_000] },
  {
    weight: 0.15,
    type: () => 'BadRequestError',
    message: (m) =>
      m.provider === 'anthropic'
        ? '400 prompt is too long: 204312 tokens > 200000 maximum'
        : "400 This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
    ms: [80, 500],
  },
  {
    weight: 0.2,
    type: (m) => (m.provider === 'anthropic' ? 'OverloadedError' : 'InternalServerError'),
    message: (m) => (m.provider === 'anthropic' ? '529 Overloaded' : '500 The server had an error while processing your request. Sorry about that!'),
    ms: [300, 5000],
  },
];

/** Normalized statements of the tools (median ms, rows returned; null for statements that return none). */
const STATEMENTS = {
  account: { operation: 'SELECT', statement: 'SELECT id, name, status FROM accounts WHERE user_id = $1', medianMs: 1.8, rows: [1, 3] },
  balance: { operation: 'SELECT', statement: 'SELECT balance, currency FROM balances WHERE account_id = $1', medianMs: 1.2, rows: [1, 1] },
  transactions: {
    operation: 'SELECT',
    statement: 'SELECT amount, currency, booked_at, description FROM transactions WHERE account_id = $1 ORDER BY booked_at DESC LIMIT ?',
    medianMs: 9,
    rows: [0, 50],
  },
  ticket: { operation: 'INSERT', statement: 'INSERT INTO tickets (user_id, subject, body) VALUES ($1, $2, $3) RETURNING id', medianMs: 4, rows: [1, 1] },
  faq: { operation: 'SELECT', statement: 'SELECT id, question, answer FROM faq_entries ORDER BY embedding <-> $1 LIMIT ?', medianMs: 28, rows: [5, 5] },
  session: { operation: 'UPDATE', statement: 'UPDATE sessions SET last_seen_at = now() WHERE id = $1', medianMs: 0.9, rows: null },
};
const TOOLS = [
  { name: 'lookup_account', statements: ['account', 'balance'] },
  { name: 'list_transactions', statements: ['account', 'transactions'] },
  { name: 'create_ticket', statements: ['account', 'ticket'] },
  { name: 'search_faq', statements: ['faq'] },
];
/** Failed statements (1%): the statement timeout, a deadlock, a duplicate key. */
const SQL_FAILURES = [
  { weight: 0.5, message: 'canceling statement due to statement timeout', ms: [5000, 5000] },
  { weight: 0.3, message: 'deadlock detected', ms: [1000, 1100] },
  { weight: 0.2, message: 'duplicate key value violates unique constraint "tickets_pkey"', ms: [1, 5] },
];
const SQL_SCOPE = '@opentelemetry/instrumentation-pg';
const STEP_SCOPE = '@convotel/instrumentation';

// Speech prices: deepgram nova-3 per audio minute, cartesia sonic-2 per character.
const STT_USD_PER_MINUTE = 0.0043;
const TTS_USD_PER_CHARACTER = 0.00003;

const iso = (ms) => new Date(ms).toISOString();
const hex = (n, width) => n.toString(16).padStart(width, '0');
/** Milliseconds rounded to the microsecond, as spans carry them. */
const us = (ms) => Math.round(ms * 1000) / 1000;
/** USD rounded to the picodollar, as the store keeps it. */
const usd = (value) => Math.round(value * 1e12) / 1e12;

function pickWeighted(r, items) {
  let x = r.next();
  for (const item of items) {
    x -= item.weight;
    if (x < 0) return item;
  }
  return items.at(-1);
}

/** Lognormal around `median` (ms, µs-rounded). */
function lognormalMs(r, median, sigma) {
  return us(median * Math.exp(sigma * r.normal()));
}

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
  return us(Math.min(tailed, 300_000));
}

/** One turn's rows and sums, built span by span on a clock `t` (ms). */
class TurnBuilder {
  constructor(r, ids, rows, turn) {
    this.r = r;
    this.ids = ids;
    this.rows = rows;
    this.turn = turn;
    this.sums = { calls: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, llmCostUsd: 0, sttCostUsd: 0, ttsCostUsd: 0, llmErrors: 0, steps: 0, stepErrors: 0, sqlQueries: 0, sqlRows: 0 };
    /** The first failure of the turn, which the turn reports. */
    this.failure = null;
  }

  step(fields) {
    const { turn } = this;
    this.rows.steps.push({ traceId: turn.traceId, conversationId: turn.conversationId, service: turn.service, ...fields });
    this.sums.steps += 1;
    if (fields.status === 'error') {
      this.sums.stepErrors += 1;
      this.failure ??= { type: fields.errorType, message: fields.errorMessage };
    }
  }

  stt(t) {
    const { r } = this;
    const audioSeconds = Math.round((1 + 7 * r.next()) * 1000) / 1000;
    const ms = lognormalMs(r, 280, 0.35);
    const cost = usd((audioSeconds / 60) * STT_USD_PER_MINUTE);
    this.sums.sttCostUsd += cost;
    this.step({
      spanId: this.ids.span(), parentSpanId: this.turn.rootSpanId, kind: 'step', name: 'stt', spanName: 'stt', provider: 'deepgram', model: 'nova-3',
      startedAt: t, durationMs: ms, status: 'ok', sttAudioSeconds: audioSeconds, costUsd: cost, costCategory: 'stt',
    });
    return t + ms;
  }

  tts(t) {
    const { r } = this;
    const characters = r.int(40, 400);
    const failed = r.next() < 0.005;
    const ms = failed ? us(r.int(200, 2000)) : lognormalMs(r, 180 + characters * 1.2, 0.3);
    const cost = failed ? 0 : usd(characters * TTS_USD_PER_CHARACTER);
    this.sums.ttsCostUsd += cost;
    this.step({
      spanId: this.ids.span(), parentSpanId: this.turn.rootSpanId, kind: 'step', name: 'tts', spanName: 'tts', provider: 'cartesia', model: 'sonic-2',
      startedAt: t, durationMs: ms, status: failed ? 'error' : 'ok', ttsCharacters: characters, costUsd: cost, costCategory: 'tts',
      ...(failed ? { errorType: 'TTSError', errorMessage: '503 Service Unavailable' } : {}),
    });
    return t + ms;
  }

  /** An LLM call under `parentSpanId` from `t`; returns its end. */
  call(t, parentSpanId) {
    const { r, turn } = this;
    const model = pickWeighted(r, MODELS);
    const failure = r.next() < 0.03 ? pickWeighted(r, LLM_FAILURES) : null;
    const latency = failure === null ? callLatencyMs(r, model) : us(r.int(failure.ms[0], failure.ms[1]) + r.next());
    const inputTokens = failure === null ? r.int(200, 4000) : 0;
    const outputTokens = failure === null ? r.int(10, 600) : 0;
    const cacheReadTokens = failure === null && r.next() < 0.3 ? Math.floor(inputTokens / 2) : 0;
    const cost = usd(inputTokens * model.inPrice + outputTokens * model.outPrice);
    const fn = r.next() < 0.6 ? 0 : r.int(1, FUNCTIONS.length - 1);
    const errorType = failure?.type(model) ?? null;
    const errorMessage = failure?.message(model) ?? null;
    this.rows.llmCalls.push({
      traceId: turn.traceId, spanId: this.ids.span(), parentSpanId, conversationId: turn.conversationId, userId: turn.userId, sessionId: turn.sessionId,
      spanName: `chat ${model.request}`, provider: model.provider, requestModel: model.request,
      responseModel: failure === null ? model.response : null, callType: CALL_TYPES[fn], functionName: FUNCTIONS[fn],
      inputTokens, outputTokens, cacheReadTokens, costUsd: cost, startedAt: t, durationMs: latency,
      ttftMs: failure === null ? us(latency * 0.3) : null, finishReason: failure === null ? 'stop' : null,
      status: failure === null ? 'ok' : 'error', errorType, errorMessage, service: turn.service,
    });
    const s = this.sums;
    s.calls += 1;
    s.inputTokens += inputTokens;
    s.outputTokens += outputTokens;
    s.cacheReadTokens += cacheReadTokens;
    s.llmCostUsd += cost;
    if (failure !== null) s.llmErrors += 1;
    return { end: t + latency, failure: failure === null ? null : { type: errorType, message: errorMessage } };
  }

  /** A tool with its SQL statements under `parentSpanId` from `t`; returns its end. */
  tool(t, parentSpanId) {
    const { r, turn } = this;
    const tool = r.pick(TOOLS);
    const spanId = this.ids.span();
    let at = t + r.int(1, 5);
    let failure = null;
    for (const key of [...tool.statements, 'session']) {
      const spec = STATEMENTS[key];
      const sqlFailure = r.next() < 0.01 ? pickWeighted(r, SQL_FAILURES) : null;
      const ms = sqlFailure === null ? lognormalMs(r, spec.medianMs, 0.6) : us(r.int(sqlFailure.ms[0], sqlFailure.ms[1]) + r.next());
      const returnedRows = sqlFailure === null && spec.rows !== null ? r.int(spec.rows[0], spec.rows[1]) : null;
      this.rows.dbQueries.push({
        traceId: turn.traceId, spanId: this.ids.span(), parentSpanId: spanId, conversationId: turn.conversationId, operation: spec.operation,
        statement: spec.statement, startedAt: at, durationMs: ms, returnedRows, status: sqlFailure === null ? 'ok' : 'error',
        errorType: sqlFailure === null ? null : 'DatabaseError', errorMessage: sqlFailure?.message ?? null, service: turn.service,
      });
      this.sums.sqlQueries += 1;
      this.sums.sqlRows += returnedRows ?? 0;
      at += ms + r.next();
      if (sqlFailure !== null) {
        failure = { type: 'DatabaseError', message: sqlFailure.message };
        break;
      }
    }
    const end = at + r.int(2, 40);
    this.step({
      spanId, parentSpanId, kind: 'tool', name: tool.name, spanName: `execute_tool ${tool.name}`, toolName: tool.name, startedAt: t, durationMs: us(end - t),
      status: failure === null ? 'ok' : 'error', errorType: failure?.type ?? null, errorMessage: failure?.message ?? null,
    });
    return end;
  }

  /** The llm step: `calls` calls, a tool after the first in some turns; a failed call fails the step with its error. */
  llm(t, calls) {
    const { r } = this;
    const spanId = this.ids.span();
    const toolAfter = r.next() < 0.35 ? 0 : -1;
    let at = t;
    let failure = null;
    for (let k = 0; k < calls; k += 1) {
      const call = this.call(at, spanId);
      failure ??= call.failure;
      at = call.end + r.int(1, 20);
      if (k === toolAfter) at = this.tool(at, spanId) + r.int(1, 10);
    }
    this.step({
      spanId, parentSpanId: this.turn.rootSpanId, kind: 'step', name: 'llm', spanName: 'step llm', startedAt: t, durationMs: us(at - t),
      status: failure === null ? 'ok' : 'error', errorType: failure?.type ?? null, errorMessage: failure?.message ?? null,
    });
    return at;
  }
}

/**
 * Generates `calls` LLM calls in `conversations` conversations over `days` days ending at
 * `endMs`, `chunkConversations` conversations at a time: `onChunk(rows)` gets
 * { conversations, traces, steps, llmCalls, dbQueries } arrays of plain objects. A voice turn is
 * stt → llm (its calls, and in a third of turns a tool with its SQL after the first) → tts; a
 * chat turn has no speech. A failure fails its step and the turn with the same error.
 */
export async function generate({ calls, conversations, days, endMs, seed = 42, chunkConversations = 5000 }, onChunk) {
  const r = rng(seed);
  const callsPerConversation = calls / conversations;
  let callsLeft = calls;
  let traceNo = 0;
  let spanNo = 0;
  const ids = { span: () => hex(++spanNo, 16) };
  const totals = { conversations: 0, turns: 0, llmCalls: 0, steps: 0, dbQueries: 0 };
  for (let c0 = 0; c0 < conversations; c0 += chunkConversations) {
    const rows = { conversations: [], traces: [], steps: [], llmCalls: [], dbQueries: [] };
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
        startedAt: startMs, turns: 0, llmCalls: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0,
        llmCostUsd: 0, sttCostUsd: 0, ttsCostUsd: 0, errors: 0, llmErrors: 0, sqlQueries: 0, sqlRows: 0,
      };
      let turnIndex = 0;
      while (callsOfConversation > 0) {
        const turnCalls = Math.min(callsOfConversation, r.int(1, Math.max(1, Math.round(callsPerConversation / 3))));
        callsOfConversation -= turnCalls;
        const turn = { traceId: hex(++traceNo, 32), rootSpanId: ids.span(), conversationId, userId, sessionId, service };
        const builder = new TurnBuilder(r, ids, rows, turn);
        const turnStart = at;
        let t = turnStart + r.int(5, 40);
        if (channel === 'voice') t = builder.stt(t) + r.int(1, 10);
        t = builder.llm(t, turnCalls);
        if (channel === 'voice' && builder.failure === null) t = builder.tts(t + r.int(1, 10));
        const turnEnd = t + r.int(2, 30);
        const { sums, failure } = builder;
        rows.traces.push({
          ...turn, ...sums, turnIndex, startedAt: turnStart, endedAt: turnEnd, durationUs: Math.round((turnEnd - turnStart) * 1000),
          status: failure === null ? 'ok' : 'error', errorType: failure?.type ?? null, errorMessage: failure?.message ?? null,
          interrupted: channel === 'voice' && r.next() < 0.12,
          perceivedLatencyMs: channel === 'voice' ? Math.round(Math.min(60_000, 350 / Math.pow(1 - r.next(), 1 / 1.6))) : null,
        });
        turnIndex += 1;
        conversation.turns += 1;
        conversation.llmCalls += sums.calls;
        conversation.inputTokens += sums.inputTokens;
        conversation.outputTokens += sums.outputTokens;
        conversation.cacheReadTokens += sums.cacheReadTokens;
        conversation.llmCostUsd += sums.llmCostUsd;
        conversation.sttCostUsd += sums.sttCostUsd;
        conversation.ttsCostUsd += sums.ttsCostUsd;
        conversation.errors += failure === null ? 0 : 1;
        conversation.llmErrors += sums.llmErrors;
        conversation.sqlQueries += sums.sqlQueries;
        conversation.sqlRows += sums.sqlRows;
        at = turnEnd + r.int(1500, 20_000);
      }
      conversation.lastSeenAt = at;
      rows.conversations.push(conversation);
      totals.conversations += 1;
      totals.turns += turnIndex;
    }
    totals.llmCalls += rows.llmCalls.length;
    totals.steps += rows.steps.length;
    totals.dbQueries += rows.dbQueries.length;
    await onChunk(rows);
  }
  return totals;
}

const money = (value) => value.toFixed(12);
const orNull = (value) => value ?? null;
const C = CONVERSATIONS.columns;
const T = TRACES.columns;
const S = STEPS.columns;
const L = LLM_CALLS.columns;
const D = DB_QUERIES.columns;

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
        bulkColumn(C.cacheReadTokens, (c) => c.cacheReadTokens),
        bulkColumn(C.llmCostUsd, (c) => money(c.llmCostUsd)),
        bulkColumn(C.sttCostUsd, (c) => money(c.sttCostUsd)),
        bulkColumn(C.ttsCostUsd, (c) => money(c.ttsCostUsd)),
        bulkColumn(C.costUsd, (c) => money(c.llmCostUsd + c.sttCostUsd + c.ttsCostUsd)),
        bulkColumn(C.errors, (c) => c.errors),
        bulkColumn(C.llmErrors, (c) => c.llmErrors),
        bulkColumn(C.sqlQueries, (c) => c.sqlQueries),
        bulkColumn(C.sqlRows, (c) => c.sqlRows),
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
        bulkColumn(T.errorType, (t) => t.errorType),
        bulkColumn(T.errorMessage, (t) => t.errorMessage),
        bulkColumn(T.turnIndex, (t) => t.turnIndex),
        bulkColumn(T.interrupted, (t) => t.interrupted),
        bulkColumn(T.perceivedLatencyMs, (t) => t.perceivedLatencyMs),
        bulkColumn(T.startedAt, (t) => iso(t.startedAt)),
        bulkColumn(T.endedAt, (t) => iso(t.endedAt)),
        bulkColumn(T.durationMs, (t) => t.durationUs / 1000),
        bulkColumn(T.status, (t) => t.status),
        bulkColumn(T.firstSeenAt, (t) => iso(t.startedAt)),
        bulkColumn(T.lastSeenAt, (t) => iso(t.endedAt)),
        bulkColumn(T.dbSystem, (t) => (t.sqlQueries > 0 ? 'postgresql' : null)),
        bulkColumn(T.llmCalls, (t) => t.calls),
        bulkColumn(T.billableCalls, (t) => t.calls),
        bulkColumn(T.inputTokens, (t) => t.inputTokens),
        bulkColumn(T.outputTokens, (t) => t.outputTokens),
        bulkColumn(T.cacheReadTokens, (t) => t.cacheReadTokens),
        bulkColumn(T.llmCostUsd, (t) => money(t.llmCostUsd)),
        bulkColumn(T.sttCostUsd, (t) => money(t.sttCostUsd)),
        bulkColumn(T.ttsCostUsd, (t) => money(t.ttsCostUsd)),
        bulkColumn(T.costUsd, (t) => money(t.llmCostUsd + t.sttCostUsd + t.ttsCostUsd)),
        bulkColumn(T.llmErrors, (t) => t.llmErrors),
        bulkColumn(T.steps, (t) => t.steps),
        bulkColumn(T.stepErrors, (t) => t.stepErrors),
        bulkColumn(T.sqlQueries, (t) => t.sqlQueries),
        bulkColumn(T.sqlRows, (t) => t.sqlRows),
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
        bulkColumn(S.kind, (s) => s.kind),
        bulkColumn(S.name, (s) => s.name),
        bulkColumn(S.spanName, (s) => s.spanName),
        bulkColumn(S.startedAt, (s) => iso(s.startedAt)),
        bulkColumn(S.endedAt, (s) => iso(s.startedAt + s.durationMs)),
        bulkColumn(S.durationMs, (s) => s.durationMs),
        bulkColumn(S.status, (s) => s.status),
        bulkColumn(S.errorType, (s) => orNull(s.errorType)),
        bulkColumn(S.errorMessage, (s) => orNull(s.errorMessage)),
        bulkColumn(S.provider, (s) => orNull(s.provider)),
        bulkColumn(S.model, (s) => orNull(s.model)),
        bulkColumn(S.toolName, (s) => orNull(s.toolName)),
        bulkColumn(S.sttAudioSeconds, (s) => orNull(s.sttAudioSeconds)),
        bulkColumn(S.ttsCharacters, (s) => orNull(s.ttsCharacters)),
        bulkColumn(S.costUsd, (s) => (s.costUsd === undefined ? null : money(s.costUsd))),
        bulkColumn(S.costSource, (s) => (s.costUsd === undefined ? null : 'computed')),
        bulkColumn(S.costCategory, (s) => orNull(s.costCategory)),
        bulkColumn(S.attributes, () => '{}'),
        bulkColumn(S.sourceKeys, () => '{}'),
        bulkColumn(S.scopeName, () => STEP_SCOPE),
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
        bulkColumn(L.cacheReadTokens, (l) => l.cacheReadTokens),
        bulkColumn(L.usageEstimated, () => false),
        bulkColumn(L.costUsd, (l) => money(l.costUsd)),
        bulkColumn(L.costSource, () => 'computed'),
        bulkColumn(L.startedAt, (l) => iso(l.startedAt)),
        bulkColumn(L.endedAt, (l) => iso(l.startedAt + l.durationMs)),
        bulkColumn(L.durationMs, (l) => l.durationMs),
        bulkColumn(L.ttftMs, (l) => l.ttftMs),
        bulkColumn(L.finishReason, (l) => l.finishReason),
        bulkColumn(L.status, (l) => l.status),
        bulkColumn(L.errorType, (l) => l.errorType),
        bulkColumn(L.errorMessage, (l) => l.errorMessage),
        bulkColumn(L.attributes, () => '{}'),
        bulkColumn(L.sourceKeys, () => '{}'),
        bulkColumn(L.scopeName, () => STEP_SCOPE),
        bulkColumn(L.flavour, () => 'convotel'),
        bulkColumn(L.serviceName, (l) => l.service),
      ],
    },
    {
      table: DB_QUERIES.name,
      rows: rows.dbQueries,
      columns: [
        bulkColumn(D.traceId, (d) => d.traceId),
        bulkColumn(D.spanId, (d) => d.spanId),
        bulkColumn(D.parentSpanId, (d) => d.parentSpanId),
        bulkColumn(D.conversationId, (d) => d.conversationId),
        bulkColumn(D.system, () => 'postgresql'),
        bulkColumn(D.dbName, () => 'bank'),
        bulkColumn(D.operation, (d) => d.operation),
        bulkColumn(D.statement, (d) => d.statement),
        bulkColumn(D.startedAt, (d) => iso(d.startedAt)),
        bulkColumn(D.durationMs, (d) => d.durationMs),
        bulkColumn(D.returnedRows, (d) => d.returnedRows),
        bulkColumn(D.status, (d) => d.status),
        bulkColumn(D.errorType, (d) => d.errorType),
        bulkColumn(D.errorMessage, (d) => d.errorMessage),
        bulkColumn(D.scopeName, () => SQL_SCOPE),
        bulkColumn(D.serviceName, (d) => d.service),
      ],
    },
  ];
}
