// Realistic voice-agent traffic made with the real OpenTelemetry SDK, serialized the way the
// OTLP/proto exporter does it, and gzipped: request bodies built before any timing starts.
//
// Shapes follow @convotel/instrumentation: a conversation span (its own trace), each turn the
// root of its own trace linked to it, step spans `step stt|llm|tool|tts` under the turn, and an
// LLM CLIENT span `chat <model>` under the llm step with gen_ai.* usage/model/provider and
// convotel cost attributes. Every span carries the conversation/user/session ids (what the
// SDK's ConversationSpanProcessor stamps) plus application attributes: 20–30 in all.
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace as traceApi } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import * as sc from '@convotel/semconv';

/** A deterministic generator (xorshift32), so two runs send the same shapes. */
function rng(seed) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
  };
}

const INTENTS = ['balance', 'transfer', 'card_lost', 'opening_hours', 'loan_rate', 'complaint', 'address_change'];
const LLM_MODELS = [
  { provider: 'openai', request: 'gpt-4o-mini', response: 'gpt-4o-mini-2024-07-18', inPrice: 0.15e-6, outPrice: 0.6e-6 },
  { provider: 'openai', request: 'gpt-4.1', response: 'gpt-4.1-2025-04-14', inPrice: 2e-6, outPrice: 8e-6 },
  { provider: 'anthropic', request: 'claude-haiku-4-5', response: 'claude-haiku-4-5-20251001', inPrice: 1e-6, outPrice: 5e-6 },
];
const USER_TEXTS = [
  'Hi, what is the balance on my checking account please?',
  'I would like to move two hundred dollars to my savings account.',
  'I think I lost my card somewhere downtown yesterday evening.',
  'What time does the branch on Main Street close on Saturdays?',
];
const AGENT_TEXTS = [
  'Your checking balance is 1,234 dollars and 56 cents.',
  'Done. I moved 200 dollars to savings; anything else I can help with?',
  'I have frozen the card ending in 4421 and ordered a replacement.',
  'The Main Street branch is open until 1 pm on Saturdays.',
];

/** Application attributes a real service adds (region, build, audio setup…), `count` of them. */
function appAttributes(r, count, tenant) {
  const all = {
    'app.tenant.id': tenant,
    'app.region': 'eu-west-1',
    'app.deployment': 'prod-blue',
    'app.build.sha': 'a1b2c3d4e5f6',
    'audio.codec': 'opus',
    'audio.sample_rate_hz': 16000,
    'audio.channels': 1,
    'network.transport': 'tcp',
    'network.peer.address': `10.0.${r.int(0, 255)}.${r.int(1, 254)}`,
    'thread.id': r.int(1, 64),
    'code.function.name': 'handle_turn',
    'code.file.path': 'agent/pipeline.py',
    'code.line.number': r.int(10, 900),
    'deployment.environment.name': 'production',
    'telephony.carrier': 'twilio',
  };
  return Object.fromEntries(Object.entries(all).slice(0, count));
}

/**
 * Builds request bodies of about `spansPerRequest` spans each (spans in end order, like the
 * BatchSpanProcessor), until at least `totalSpans` spans exist. `concurrentConversations`
 * conversations run interleaved, so one request holds turns of many conversations.
 */
export function generateBodies({ totalSpans, spansPerRequest, concurrentConversations = 128, seed = 7 }) {
  const r = rng(seed);
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'bank-voice-agent',
      'service.version': '2.3.1',
      'deployment.environment.name': 'production',
      'telemetry.sdk.language': 'nodejs',
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('@convotel/instrumentation', '0.1.0');
  const nowMs = Date.now();

  const bodies = [];
  let pending = 0;
  let attributeCount = 0;
  const counts = { spans: 0, turns: 0, conversations: 0, llmCalls: 0, steps: 0 };
  // Every trace id (as latin1 bytes) and conversation id, for the overload variants.
  const traceIds = new Set();
  const conversationIds = new Set();

  const flush = () => {
    const spans = exporter.getFinishedSpans();
    if (spans.length === 0) return;
    const raw = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans));
    const kindCount = (kind) => spans.filter((span) => span.attributes[sc.ATTR_CONVOTEL_SPAN_KIND] === kind).length;
    bodies.push({
      raw,
      gzip: gzipSync(raw),
      spans: spans.length,
      llmCalls: kindCount(sc.CONVOTEL_SPAN_KIND_VALUE_LLM),
      steps: kindCount(sc.CONVOTEL_SPAN_KIND_VALUE_STEP),
    });
    exporter.reset();
    pending = 0;
  };
  const finish = (span, endMs, ids) => {
    span.end(endMs);
    counts.spans += 1;
    attributeCount += Object.keys(span.attributes).length;
    traceIds.add(Buffer.from(span.spanContext().traceId, 'hex').toString('latin1'));
    pending += 1;
    if (pending >= spansPerRequest) flush();
  };

  const startConversation = () => {
    counts.conversations += 1;
    const ids = {
      conversationId: randomUUID(),
      userId: `caller-${r.int(1, 50_000)}`,
      sessionId: `line-${r.int(1, 400)}`,
      tenant: `bank-${r.int(1, 20)}`,
    };
    conversationIds.add(ids.conversationId);
    // Calls started within the last hour; each turn takes a few seconds of simulated time.
    const startMs = nowMs - 3_600_000 + r.next() * 3_000_000;
    const span = tracer.startSpan(sc.SPAN_NAME_CONVERSATION, { root: true, startTime: startMs });
    span.setAttributes({
      [sc.ATTR_CONVOTEL_SPAN_KIND]: sc.CONVOTEL_SPAN_KIND_VALUE_CONVERSATION,
      [sc.ATTR_GEN_AI_AGENT_NAME]: 'bank-agent',
      [sc.ATTR_CONVOTEL_CHANNEL]: sc.CONVOTEL_CHANNEL_VALUE_VOICE,
      [`${sc.ATTR_CONVOTEL_METADATA_PREFIX}plan`]: r.pick(['basic', 'premium', 'business']),
      [`${sc.ATTR_CONVOTEL_METADATA_PREFIX}language`]: 'en-US',
      [`${sc.ATTR_CONVOTEL_METADATA_PREFIX}campaign`]: 'spring-2026',
      ...idAttributes(ids),
      ...appAttributes(r, 13, ids.tenant),
    });
    return { ids, span, clockMs: startMs + 400, turnsLeft: r.int(3, 9), nextIndex: 0 };
  };

  const emitTurn = (conversation) => {
    counts.turns += 1;
    const { ids } = conversation;
    const t0 = conversation.clockMs;
    const index = conversation.nextIndex++;
    const intent = r.pick(INTENTS);
    const textIndex = r.int(0, USER_TEXTS.length - 1);
    const turn = tracer.startSpan(sc.SPAN_NAME_TURN, { root: true, startTime: t0, links: [{ context: conversation.span.spanContext() }] });
    turn.setAttributes({
      [sc.ATTR_CONVOTEL_SPAN_KIND]: sc.CONVOTEL_SPAN_KIND_VALUE_TURN,
      [sc.ATTR_CONVOTEL_TURN_INDEX]: index,
      [sc.ATTR_CONVOTEL_TURN_INTENT]: intent,
      [sc.ATTR_CONVOTEL_TURN_CLASSIFICATION]: r.pick(['simple', 'account', 'escalation']),
      [sc.ATTR_CONVOTEL_TURN_USER_INPUT]: USER_TEXTS[textIndex],
      ...idAttributes(ids),
      ...appAttributes(r, 15, ids.tenant),
    });
    const ctx = traceContext(turn);

    // STT
    let t = t0 + 5;
    const sttMs = r.int(180, 600);
    const audioSeconds = Math.round(r.int(800, 6000)) / 1000;
    const stt = tracer.startSpan(`${sc.SPAN_NAME_STEP_PREFIX}stt`, { startTime: t }, ctx);
    stt.setAttributes({
      [sc.ATTR_CONVOTEL_SPAN_KIND]: sc.CONVOTEL_SPAN_KIND_VALUE_STEP,
      [sc.ATTR_CONVOTEL_STEP_NAME]: sc.CONVOTEL_STEP_NAME_VALUE_STT,
      [sc.ATTR_GEN_AI_PROVIDER_NAME]: 'deepgram',
      [sc.ATTR_GEN_AI_REQUEST_MODEL]: 'nova-3',
      [sc.ATTR_GEN_AI_OPERATION_NAME]: sc.GEN_AI_OPERATION_NAME_VALUE_SPEECH_TO_TEXT,
      [sc.ATTR_CONVOTEL_STT_AUDIO_SECONDS]: audioSeconds,
      [sc.ATTR_CONVOTEL_STT_CONFIDENCE]: r.int(700, 999) / 1000,
      [sc.ATTR_CONVOTEL_STT_LANGUAGE]: 'en',
      [sc.ATTR_CONVOTEL_COST_USD]: (audioSeconds * 0.0043) / 60,
      [sc.ATTR_CONVOTEL_COST_SOURCE]: sc.CONVOTEL_COST_SOURCE_VALUE_COMPUTED,
      ...idAttributes(ids),
      ...appAttributes(r, 12, ids.tenant),
    });
    finish(stt, t + sttMs, ids);
    counts.steps += 1;
    t += sttMs + 2;

    // LLM step and its provider call
    const model = r.pick(LLM_MODELS);
    const llmMs = r.int(350, 2200);
    const llmStep = tracer.startSpan(`${sc.SPAN_NAME_STEP_PREFIX}llm`, { startTime: t }, ctx);
    llmStep.setAttributes({
      [sc.ATTR_CONVOTEL_SPAN_KIND]: sc.CONVOTEL_SPAN_KIND_VALUE_STEP,
      [sc.ATTR_CONVOTEL_STEP_NAME]: sc.CONVOTEL_STEP_NAME_VALUE_LLM,
      ...idAttributes(ids),
      ...appAttributes(r, 15, ids.tenant),
    });
    const input = r.int(300, 4000);
    const output = r.int(8, 220);
    const cacheRead = r.chance(0.4) ? r.int(0, input) : 0;
    const isError = r.chance(0.02);
    const call = tracer.startSpan(`chat ${model.request}`, { kind: SpanKind.CLIENT, startTime: t + 1 }, traceContext(llmStep));
    call.setAttributes({
      [sc.ATTR_CONVOTEL_SPAN_KIND]: sc.CONVOTEL_SPAN_KIND_VALUE_LLM,
      [sc.ATTR_GEN_AI_OPERATION_NAME]: sc.GEN_AI_OPERATION_NAME_VALUE_CHAT,
      [sc.ATTR_GEN_AI_PROVIDER_NAME]: model.provider,
      [sc.ATTR_GEN_AI_REQUEST_MODEL]: model.request,
      [sc.ATTR_GEN_AI_REQUEST_TEMPERATURE]: 0.2,
      [sc.ATTR_GEN_AI_REQUEST_MAX_TOKENS]: 512,
      [sc.ATTR_CONVOTEL_LLM_CALL_TYPE]: r.pick(['chat', 'chat', 'chat', 'classification', 'rag_synthesis']),
      [sc.ATTR_CONVOTEL_LLM_FUNCTION]: 'answer_caller',
      [sc.ATTR_SERVER_ADDRESS]: model.provider === 'openai' ? 'api.openai.com' : 'api.anthropic.com',
      [sc.ATTR_SERVER_PORT]: 443,
      ...idAttributes(ids),
      ...appAttributes(r, 6, ids.tenant),
    });
    if (isError) {
      call.setAttributes({ [sc.ATTR_ERROR_TYPE]: 'RateLimitError' });
      call.setStatus({ code: SpanStatusCode.ERROR, message: '429 Rate limit reached for requests' });
    } else {
      call.setAttributes({
        [sc.ATTR_GEN_AI_RESPONSE_MODEL]: model.response,
        [sc.ATTR_GEN_AI_RESPONSE_ID]: `chatcmpl-${r.int(1e8, 9e8)}${r.int(1e8, 9e8)}`,
        [sc.ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: ['stop'],
        [sc.ATTR_GEN_AI_USAGE_INPUT_TOKENS]: input,
        [sc.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: output,
        [sc.ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: cacheRead,
        [sc.ATTR_CONVOTEL_LLM_TTFT_MS]: r.int(120, 700),
        [sc.ATTR_CONVOTEL_COST_USD]: (input - cacheRead) * model.inPrice + cacheRead * model.inPrice * 0.5 + output * model.outPrice,
        [sc.ATTR_CONVOTEL_COST_SOURCE]: sc.CONVOTEL_COST_SOURCE_VALUE_COMPUTED,
      });
    }
    finish(call, t + llmMs - 1, ids);
    counts.llmCalls += 1;
    if (isError) llmStep.setStatus({ code: SpanStatusCode.ERROR });
    finish(llmStep, t + llmMs, ids);
    counts.steps += 1;
    t += llmMs + 2;

    // A tool now and then
    if (r.chance(0.25)) {
      const toolMs = r.int(20, 400);
      const tool = tracer.startSpan(`${sc.SPAN_NAME_STEP_PREFIX}tool`, { startTime: t }, ctx);
      tool.setAttributes({
        [sc.ATTR_CONVOTEL_SPAN_KIND]: sc.CONVOTEL_SPAN_KIND_VALUE_STEP,
        [sc.ATTR_CONVOTEL_STEP_NAME]: sc.CONVOTEL_STEP_NAME_VALUE_TOOL,
        [sc.ATTR_GEN_AI_TOOL_NAME]: r.pick(['lookup_account', 'transfer_funds', 'freeze_card']),
        ...idAttributes(ids),
        ...appAttributes(r, 15, ids.tenant),
      });
      finish(tool, t + toolMs, ids);
      counts.steps += 1;
      t += toolMs + 2;
    }

    // TTS
    const ttsMs = r.int(150, 900);
    const characters = AGENT_TEXTS[textIndex].length;
    const tts = tracer.startSpan(`${sc.SPAN_NAME_STEP_PREFIX}tts`, { startTime: t }, ctx);
    tts.setAttributes({
      [sc.ATTR_CONVOTEL_SPAN_KIND]: sc.CONVOTEL_SPAN_KIND_VALUE_STEP,
      [sc.ATTR_CONVOTEL_STEP_NAME]: sc.CONVOTEL_STEP_NAME_VALUE_TTS,
      [sc.ATTR_GEN_AI_PROVIDER_NAME]: 'elevenlabs',
      [sc.ATTR_GEN_AI_REQUEST_MODEL]: 'eleven_flash_v2_5',
      [sc.ATTR_GEN_AI_OPERATION_NAME]: sc.GEN_AI_OPERATION_NAME_VALUE_TEXT_TO_SPEECH,
      [sc.ATTR_CONVOTEL_TTS_CHARACTERS]: characters,
      [sc.ATTR_CONVOTEL_TTS_VOICE]: 'rachel',
      [sc.ATTR_CONVOTEL_TTS_AUDIO_SECONDS]: characters / 14,
      [sc.ATTR_CONVOTEL_TTS_TTFB_MS]: r.int(90, 300),
      [sc.ATTR_CONVOTEL_COST_USD]: characters * 0.00003,
      [sc.ATTR_CONVOTEL_COST_SOURCE]: sc.CONVOTEL_COST_SOURCE_VALUE_COMPUTED,
      ...idAttributes(ids),
      ...appAttributes(r, 11, ids.tenant),
    });
    finish(tts, t + ttsMs, ids);
    counts.steps += 1;
    t += ttsMs;

    turn.setAttributes({
      [sc.ATTR_CONVOTEL_TURN_AGENT_OUTPUT]: AGENT_TEXTS[textIndex],
      [sc.ATTR_CONVOTEL_TURN_PERCEIVED_LATENCY_MS]: sttMs + r.int(200, 900),
      [sc.ATTR_CONVOTEL_TURN_INTERRUPTED]: r.chance(0.05),
    });
    finish(turn, t + 3, ids);
    conversation.clockMs = t + r.int(1500, 6000);
  };

  const calls = Array.from({ length: concurrentConversations }, startConversation);
  let turn = 0;
  while (counts.spans < totalSpans) {
    const slot = turn++ % calls.length;
    const call = calls[slot];
    emitTurn(call);
    if (--call.turnsLeft === 0) {
      finish(call.span, call.clockMs, call.ids);
      calls[slot] = startConversation();
    }
  }
  // End the calls still open, so every turn's conversation has its span too.
  for (const call of calls) finish(call.span, call.clockMs, call.ids);
  flush();
  return { bodies, traceIds, conversationIds, counts: { ...counts, attributesPerSpan: attributeCount / counts.spans } };
}

function idAttributes(ids) {
  return { [sc.ATTR_GEN_AI_CONVERSATION_ID]: ids.conversationId, [sc.ATTR_USER_ID]: ids.userId, [sc.ATTR_SESSION_ID]: ids.sessionId };
}

/** A context whose active span is `span` (children parented to it), without a context manager. */
function traceContext(span) {
  return traceApi.setSpan(ROOT_CONTEXT, span);
}

/**
 * The bodies again with every trace id and conversation id changed (same length, so the
 * protobuf stays valid): new traces, turns and conversations for the store, at the cost of one
 * byte scan instead of a second SDK run. `round` 1..35 picks the variant.
 */
export function variantBodies(generated, round) {
  const { bodies, traceIds, conversationIds } = generated;
  // UUIDs never start with 'v': a variant cannot collide with an original conversation id.
  const prefix = Buffer.from(`v${round.toString(36)}`);
  return bodies.map((body) => {
    const raw = Buffer.from(body.raw);
    // Trace ids are `bytes` fields 1 of Span/Link (tag 0x0A, length 16); conversation ids are
    // `string_value` fields 1 of AnyValue (tag 0x0A, length 36). Other fields with the same
    // tag and length (a 16-character key) are left alone: they are not in the id sets.
    for (let at = raw.indexOf(0x0a); at !== -1 && at + 2 < raw.length; at = raw.indexOf(0x0a, at + 1)) {
      const length = raw[at + 1];
      if (length === 16 && traceIds.has(raw.toString('latin1', at + 2, at + 18))) {
        raw[at + 2] ^= round;
        at += 17;
      } else if (length === 36 && conversationIds.has(raw.toString('latin1', at + 2, at + 38))) {
        prefix.copy(raw, at + 2);
        at += 37;
      }
    }
    return { gzip: gzipSync(raw, { level: 1 }), spans: body.spans, llmCalls: body.llmCalls, steps: body.steps };
  });
}
