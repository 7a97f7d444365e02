// Builders of decoded OTLP requests for tests: spans with sensible defaults, our SDK's span
// shapes, whole generated conversations, and ways to split and shuffle them into requests.
import {
  ATTR_CONVOTEL_CHANNEL,
  ATTR_CONVOTEL_COST_SOURCE,
  ATTR_CONVOTEL_COST_USD,
  ATTR_CONVOTEL_LLM_CALL_TYPE,
  ATTR_CONVOTEL_SPAN_KIND,
  ATTR_CONVOTEL_STEP_NAME,
  ATTR_CONVOTEL_STT_AUDIO_SECONDS,
  ATTR_CONVOTEL_TTS_CHARACTERS,
  ATTR_CONVOTEL_TURN_INDEX,
  ATTR_CONVOTEL_TURN_USER_INPUT,
  ATTR_CONVOTEL_TURN_AGENT_OUTPUT,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_SESSION_ID,
  ATTR_USER_ID,
} from '@convotel/semconv';
import type {
  AttributeMap,
  InstrumentationScope,
  LogRecord,
  LogsRequest,
  Span,
  SpanKindNumber,
  StatusCodeNumber,
  TraceRequest,
} from '../../src/otlp/types.js';

export const CONVOTEL_SCOPE: InstrumentationScope = { name: '@convotel/instrumentation', version: '0.1.0', attributes: {} };
export const PG_SCOPE: InstrumentationScope = { name: '@opentelemetry/instrumentation-pg', version: '0.50.0', attributes: {} };
export const DEFAULT_RESOURCE: AttributeMap = { 'service.name': 'support-bot' };

/** A span with the scope and resource it is exported under. */
export interface SpanItem {
  readonly span: Span;
  readonly scope: InstrumentationScope;
  readonly resource: AttributeMap;
}

/** Deterministic ids: a small seeded generator, so failures reproduce. */
export class Ids {
  #state: number;
  constructor(seed = 1) {
    this.#state = seed >>> 0 || 1;
  }
  next(): number {
    // xorshift32
    let x = this.#state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#state = x >>> 0;
    return this.#state;
  }
  hex(length: number): string {
    let text = '';
    while (text.length < length) text += this.next().toString(16).padStart(8, '0');
    return text.slice(0, length);
  }
  traceId(): string {
    return this.hex(32);
  }
  spanId(): string {
    return this.hex(16);
  }
}

/** 2026-03-01T10:00:00Z in ns. */
export const T0 = 1_772_359_200_000_000_000n;
export const MS = 1_000_000n;

export interface SpanOptions {
  traceId: string;
  spanId: string;
  parentSpanId?: string | undefined;
  name: string;
  kind?: SpanKindNumber;
  startNs: bigint;
  durationMs?: number;
  attributes?: AttributeMap;
  status?: { code: StatusCodeNumber; message?: string };
  links?: Span['links'];
  events?: Span['events'];
}

export function makeSpan(options: SpanOptions): Span {
  return {
    traceId: options.traceId,
    spanId: options.spanId,
    parentSpanId: options.parentSpanId,
    name: options.name,
    kind: options.kind ?? 1,
    startTimeUnixNano: options.startNs,
    endTimeUnixNano: options.startNs + BigInt(Math.round((options.durationMs ?? 10) * 1000)) * 1000n,
    attributes: options.attributes ?? {},
    events: options.events ?? [],
    links: options.links ?? [],
    status: { code: options.status?.code ?? 0, message: options.status?.message },
  };
}

export function item(span: Span, scope: InstrumentationScope = CONVOTEL_SCOPE, resource: AttributeMap = DEFAULT_RESOURCE): SpanItem {
  return { span, scope, resource };
}

/** The item with `attributes` added to (or replacing those of) its span. */
export function withAttributes(of: SpanItem, attributes: AttributeMap): SpanItem {
  return { ...of, span: { ...of.span, attributes: { ...of.span.attributes, ...attributes } } };
}

/** One request holding the items, grouped by resource and scope as exporters do. */
export function toTraceRequest(items: readonly SpanItem[]): TraceRequest {
  const resources = new Map<AttributeMap, Map<InstrumentationScope, Span[]>>();
  for (const { span, scope, resource } of items) {
    const scopes = resources.get(resource) ?? new Map<InstrumentationScope, Span[]>();
    const spans = scopes.get(scope) ?? [];
    spans.push(span);
    scopes.set(scope, spans);
    resources.set(resource, scopes);
  }
  return {
    resourceSpans: [...resources].map(([resource, scopes]) => ({
      resource,
      scopeSpans: [...scopes].map(([scope, spans]) => ({ scope, spans })),
    })),
  };
}

export function spansOf(request: TraceRequest): SpanItem[] {
  return request.resourceSpans.flatMap(({ resource, scopeSpans }) =>
    scopeSpans.flatMap(({ scope, spans }) => spans.map((span) => ({ span, scope, resource }))),
  );
}

/** A seeded Fisher–Yates shuffle (a copy). */
export function shuffle<T>(items: readonly T[], ids: Ids): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = ids.next() % (i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** Cuts items into consecutive chunks of random sizes between 1 and `maxSize`. */
export function split<T>(items: readonly T[], maxSize: number, ids: Ids): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; ) {
    const size = 1 + (ids.next() % maxSize);
    chunks.push(items.slice(i, i + size));
    i += size;
  }
  return chunks;
}

export interface ConversationShape {
  conversationId: string;
  userId?: string;
  sessionId?: string;
  turns: number;
  /** Start of the conversation (ns). */
  startNs?: bigint;
  /** Make this turn's LLM call fail. */
  failingTurn?: number;
  model?: string;
  withConversationSpan?: boolean;
}

/**
 * Spans our SDK makes for one conversation: the conversation span (its own trace) and, per turn,
 * a turn root linked to it with stt/llm/tts steps, an LLM call, a tool and a pg query.
 */
export function sdkConversation(ids: Ids, shape: ConversationShape): SpanItem[] {
  const startNs = shape.startNs ?? T0;
  const common: Record<string, string> = { [ATTR_GEN_AI_CONVERSATION_ID]: shape.conversationId };
  if (shape.userId !== undefined) common[ATTR_USER_ID] = shape.userId;
  if (shape.sessionId !== undefined) common[ATTR_SESSION_ID] = shape.sessionId;
  const conversationTrace = ids.traceId();
  const conversationSpanId = ids.spanId();
  const items: SpanItem[] = [];
  const turnMs = 2000;
  for (let turn = 0; turn < shape.turns; turn += 1) {
    const traceId = ids.traceId();
    const rootId = ids.spanId();
    const turnStart = startNs + BigInt(turn * (turnMs + 500)) * MS;
    items.push(
      item(
        makeSpan({
          traceId,
          spanId: rootId,
          name: 'turn',
          startNs: turnStart,
          durationMs: turnMs,
          links: [{ traceId: conversationTrace, spanId: conversationSpanId, attributes: {} }],
          attributes: {
            ...common,
            [ATTR_CONVOTEL_SPAN_KIND]: 'turn',
            [ATTR_CONVOTEL_TURN_INDEX]: turn,
            [ATTR_CONVOTEL_TURN_USER_INPUT]: `question ${turn}`,
            [ATTR_CONVOTEL_TURN_AGENT_OUTPUT]: `answer ${turn}`,
          },
        }),
      ),
    );
    const stt = ids.spanId();
    items.push(
      item(
        makeSpan({
          traceId,
          spanId: stt,
          parentSpanId: rootId,
          name: 'step stt',
          startNs: turnStart + 1n * MS,
          durationMs: 300 + turn,
          attributes: {
            ...common,
            [ATTR_CONVOTEL_SPAN_KIND]: 'step',
            [ATTR_CONVOTEL_STEP_NAME]: 'stt',
            [ATTR_CONVOTEL_STT_AUDIO_SECONDS]: 2.5,
            [ATTR_GEN_AI_PROVIDER_NAME]: 'deepgram',
            [ATTR_GEN_AI_REQUEST_MODEL]: 'nova-3',
            [ATTR_CONVOTEL_COST_USD]: 0.00018,
            [ATTR_CONVOTEL_COST_SOURCE]: 'computed',
          },
        }),
      ),
    );
    const llmStep = ids.spanId();
    items.push(
      item(
        makeSpan({
          traceId,
          spanId: llmStep,
          parentSpanId: rootId,
          name: 'step llm',
          startNs: turnStart + 310n * MS,
          durationMs: 900,
          attributes: { ...common, [ATTR_CONVOTEL_SPAN_KIND]: 'step', [ATTR_CONVOTEL_STEP_NAME]: 'llm' },
        }),
      ),
    );
    const isFailing = shape.failingTurn === turn;
    const model = shape.model ?? 'gpt-4o-mini';
    items.push(
      item(
        makeSpan({
          traceId,
          spanId: ids.spanId(),
          parentSpanId: llmStep,
          name: `chat ${model}`,
          kind: 3,
          startNs: turnStart + 311n * MS,
          durationMs: 700 + turn * 3,
          status: isFailing ? { code: 2, message: 'rate limited' } : undefined,
          attributes: {
            ...common,
            [ATTR_CONVOTEL_SPAN_KIND]: 'llm',
            [ATTR_GEN_AI_OPERATION_NAME]: 'chat',
            [ATTR_GEN_AI_PROVIDER_NAME]: 'openai',
            [ATTR_GEN_AI_REQUEST_MODEL]: model,
            [ATTR_GEN_AI_RESPONSE_MODEL]: `${model}-2024-07-18`,
            [ATTR_CONVOTEL_LLM_CALL_TYPE]: 'chat',
            ...(isFailing
              ? { 'error.type': 'RateLimitError' }
              : {
                  [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 1000 + turn,
                  [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 200 + turn,
                  [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: 500,
                }),
          },
        }),
      ),
    );
    items.push(
      item(
        makeSpan({
          traceId,
          spanId: ids.spanId(),
          parentSpanId: llmStep,
          name: 'execute_tool lookup_order',
          startNs: turnStart + 1020n * MS,
          durationMs: 50,
          attributes: { ...common, [ATTR_CONVOTEL_SPAN_KIND]: 'tool', [ATTR_GEN_AI_OPERATION_NAME]: 'execute_tool', [ATTR_GEN_AI_TOOL_NAME]: 'lookup_order' },
        }),
      ),
    );
    items.push(
      item(
        makeSpan({
          traceId,
          spanId: ids.spanId(),
          parentSpanId: llmStep,
          name: 'pg.query:SELECT',
          kind: 3,
          startNs: turnStart + 1030n * MS,
          durationMs: 4,
          attributes: {
            ...common,
            'db.system': 'postgresql',
            'db.statement': `SELECT * FROM orders WHERE id = ${turn} AND note = 'x'`,
            'db.name': 'shop',
            'db.response.returned_rows': 1,
          },
        }),
        PG_SCOPE,
      ),
    );
    items.push(
      item(
        makeSpan({
          traceId,
          spanId: ids.spanId(),
          parentSpanId: rootId,
          name: 'step tts',
          startNs: turnStart + 1220n * MS,
          durationMs: 500,
          attributes: {
            ...common,
            [ATTR_CONVOTEL_SPAN_KIND]: 'step',
            [ATTR_CONVOTEL_STEP_NAME]: 'tts',
            [ATTR_CONVOTEL_TTS_CHARACTERS]: 120,
            [ATTR_GEN_AI_PROVIDER_NAME]: 'openai',
            [ATTR_GEN_AI_REQUEST_MODEL]: 'tts-1',
          },
        }),
      ),
    );
  }
  if (shape.withConversationSpan ?? true) {
    items.push(
      item(
        makeSpan({
          traceId: conversationTrace,
          spanId: conversationSpanId,
          name: 'conversation',
          startNs,
          durationMs: shape.turns * (turnMs + 500) + 100,
          attributes: {
            ...common,
            [ATTR_CONVOTEL_SPAN_KIND]: 'conversation',
            [ATTR_GEN_AI_AGENT_NAME]: 'support',
            [ATTR_CONVOTEL_CHANNEL]: 'voice',
            'convotel.metadata.plan': 'gold',
          },
        }),
      ),
    );
  }
  return items;
}

export interface LogOptions {
  eventName?: string;
  attributes?: AttributeMap;
  body?: LogRecord['body'];
  traceId?: string;
  spanId?: string;
  timeNs?: bigint;
  severityNumber?: number;
}

export function makeLog(options: LogOptions): LogRecord {
  return {
    timeUnixNano: options.timeNs ?? T0,
    observedTimeUnixNano: options.timeNs ?? T0,
    severityNumber: options.severityNumber ?? 9,
    severityText: undefined,
    body: options.body ?? null,
    attributes: options.attributes ?? {},
    eventName: options.eventName,
    traceId: options.traceId,
    spanId: options.spanId,
  };
}

export function toLogsRequest(records: readonly LogRecord[], scope: InstrumentationScope = CONVOTEL_SCOPE): LogsRequest {
  return { resourceLogs: [{ resource: DEFAULT_RESOURCE, scopeLogs: [{ scope, logRecords: [...records] }] }] };
}

const scopeOf = (name: string): InstrumentationScope => ({ name, version: '1.0.0', attributes: {} });
export const OPENINFERENCE_SCOPE = scopeOf('@arizeai/openinference-instrumentation-openai');
export const AI_SDK_SCOPE = scopeOf('ai');
export const AI_SDK_OTEL_SCOPE = scopeOf('@ai-sdk/otel');
export const HTTP_SCOPE = scopeOf('@opentelemetry/instrumentation-http');

/** A legacy AI SDK call: root `ai.generateText` repeating the usage of its `doGenerate` child. */
export function aiSdkLegacyTrace(ids: Ids, options: { conversationId?: string; startNs?: bigint; withChild?: boolean } = {}): SpanItem[] {
  const traceId = ids.traceId();
  const rootId = ids.spanId();
  const startNs = options.startNs ?? T0 + 60_000n * MS;
  const metadata: AttributeMap = options.conversationId === undefined ? {} : { 'ai.telemetry.metadata.conversationId': options.conversationId };
  const usage = { 'ai.usage.promptTokens': 300, 'ai.usage.completionTokens': 40 };
  const items = [
    item(
      makeSpan({
        traceId,
        spanId: rootId,
        name: 'ai.generateText',
        startNs,
        durationMs: 1200,
        attributes: { 'ai.operationId': 'ai.generateText', 'ai.model.id': 'gpt-4o', 'ai.model.provider': 'openai.chat', ...usage, ...metadata },
      }),
      AI_SDK_SCOPE,
    ),
  ];
  if (options.withChild ?? true) {
    items.push(
      item(
        makeSpan({
          traceId,
          spanId: ids.spanId(),
          parentSpanId: rootId,
          name: 'ai.generateText.doGenerate',
          kind: 3,
          startNs: startNs + 5n * MS,
          durationMs: 1100,
          attributes: {
            'ai.operationId': 'ai.generateText.doGenerate',
            'ai.model.id': 'gpt-4o',
            'ai.model.provider': 'openai.chat',
            'gen_ai.system': 'openai.chat',
            'gen_ai.request.model': 'gpt-4o',
            'gen_ai.response.model': 'gpt-4o-2024-08-06',
            'gen_ai.usage.input_tokens': 300,
            'gen_ai.usage.output_tokens': 40,
            ...usage,
            ...metadata,
          },
        }),
        AI_SDK_SCOPE,
      ),
    );
  }
  return items;
}

/** AI SDK 7: an `invoke_agent` root with the usage of its `chat` child (or alone). */
export function invokeAgentTrace(ids: Ids, options: { withChild: boolean; startNs?: bigint; sessionId?: string }): SpanItem[] {
  const traceId = ids.traceId();
  const rootId = ids.spanId();
  const startNs = options.startNs ?? T0 + 120_000n * MS;
  const session: AttributeMap = options.sessionId === undefined ? {} : { 'session.id': options.sessionId };
  const usage = { 'gen_ai.usage.input_tokens': 500, 'gen_ai.usage.output_tokens': 70, 'gen_ai.provider.name': 'anthropic' };
  const items = [
    item(
      makeSpan({
        traceId,
        spanId: rootId,
        name: 'invoke_agent claude-3-5-haiku',
        startNs,
        durationMs: 2000,
        attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'planner', 'gen_ai.request.model': 'claude-3-5-haiku-20241022', ...usage, ...session },
      }),
      AI_SDK_OTEL_SCOPE,
    ),
  ];
  if (options.withChild) {
    items.push(
      item(
        makeSpan({
          traceId,
          spanId: ids.spanId(),
          parentSpanId: rootId,
          name: 'chat claude-3-5-haiku',
          kind: 3,
          startNs: startNs + 10n * MS,
          durationMs: 1900,
          attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'claude-3-5-haiku-20241022', ...usage },
        }),
        AI_SDK_OTEL_SCOPE,
      ),
    );
  }
  return items;
}

/**
 * An OpenInference LLM call under an HTTP root; only a sibling tool span names the session, so
 * the trace's conversation depends on that span (trace-id fallback until it arrives).
 */
export function lateSessionTrace(ids: Ids, sessionId: string): SpanItem[] {
  const traceId = ids.traceId();
  const rootId = ids.spanId();
  const startNs = T0 + 180_000n * MS;
  return [
    item(makeSpan({ traceId, spanId: rootId, name: 'POST /chat', kind: 2, startNs, durationMs: 900, attributes: { 'http.route': '/chat' } }), HTTP_SCOPE),
    item(
      makeSpan({
        traceId,
        spanId: ids.spanId(),
        parentSpanId: rootId,
        name: 'OpenAI Chat Completions',
        startNs: startNs + 10n * MS,
        durationMs: 800,
        attributes: {
          'openinference.span.kind': 'LLM',
          'llm.provider': 'openai',
          'llm.model_name': 'gpt-4o-mini-2024-07-18',
          'llm.token_count.prompt': 50,
          'llm.token_count.completion': 9,
          'llm.input_messages.0.message.role': 'user',
          'llm.input_messages.0.message.content': 'hello',
          'llm.output_messages.0.message.role': 'assistant',
          'llm.output_messages.0.message.content': 'hi there',
        },
      }),
      OPENINFERENCE_SCOPE,
    ),
    item(
      makeSpan({
        traceId,
        spanId: ids.spanId(),
        parentSpanId: rootId,
        name: 'lookup',
        startNs: startNs + 820n * MS,
        durationMs: 20,
        attributes: { 'openinference.span.kind': 'TOOL', 'tool.name': 'lookup', 'session.id': sessionId },
      }),
      OPENINFERENCE_SCOPE,
    ),
  ];
}

/** A trace with only an HTTP root and pg queries: no conversation. */
export function sqlOnlyTrace(ids: Ids): SpanItem[] {
  const traceId = ids.traceId();
  const rootId = ids.spanId();
  return [
    item(makeSpan({ traceId, spanId: rootId, name: 'GET /health', kind: 2, startNs: T0 + 200_000n * MS, durationMs: 5 }), HTTP_SCOPE),
    item(
      makeSpan({
        traceId,
        spanId: ids.spanId(),
        parentSpanId: rootId,
        name: 'pg.query:SELECT',
        kind: 3,
        startNs: T0 + 200_001n * MS,
        durationMs: 1,
        attributes: { 'db.system.name': 'postgresql', 'db.query.text': 'SELECT 1', 'db.response.returned_rows': 1 },
      }),
      PG_SCOPE,
    ),
  ];
}
