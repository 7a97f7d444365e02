// Seeds a migrated database through the ingest's real write path: voice conversations posted as
// OTLP/JSON to a running ingest (conversation span with agent and channel, turns with perceived
// latency and interruptions, STT/LLM/TTS steps, an LLM call each, a failing TTS step, a log
// record per turn, the voice turn markers as span events on each turn span, telephony on two
// calls), so every raw table and rollup the dashboards read holds rows.
import { randomBytes } from 'node:crypto';
import { serveIngest } from '@convotel/ingest';
import {
  ATTR_CONVOTEL_INTERRUPTION_BY,
  ATTR_CONVOTEL_TELEPHONY_DIRECTION,
  ATTR_CONVOTEL_TELEPHONY_MINUTES,
  ATTR_CONVOTEL_TELEPHONY_PROVIDER,
  CONVOTEL_INTERRUPTION_BY_VALUE_AGENT,
  CONVOTEL_INTERRUPTION_BY_VALUE_USER,
  CONVOTEL_TELEPHONY_DIRECTION_VALUE_INBOUND,
  CONVOTEL_TELEPHONY_DIRECTION_VALUE_OUTBOUND,
  EVENT_CONVOTEL_AGENT_AUDIO_ENDED,
  EVENT_CONVOTEL_AGENT_AUDIO_STARTED,
  EVENT_CONVOTEL_INTERRUPTION,
  EVENT_CONVOTEL_TRANSCRIPT_FINAL,
  EVENT_CONVOTEL_TURN_COMMITTED,
  EVENT_CONVOTEL_USER_SPEECH_ENDED,
  EVENT_CONVOTEL_USER_SPEECH_STARTED,
} from '@convotel/semconv';
import type { Store } from '@convotel/store';

type Attribute = { key: string; value: { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean } };

const text = (key: string, value: string): Attribute => ({ key, value: { stringValue: value } });
const int = (key: string, value: number): Attribute => ({ key, value: { intValue: String(value) } });
const double = (key: string, value: number): Attribute => ({ key, value: { doubleValue: value } });
const bool = (key: string, value: boolean): Attribute => ({ key, value: { boolValue: value } });
const nanos = (ms: number): string => `${BigInt(Math.round(ms)) * 1_000_000n}`;
const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** What was posted, for tests that look rows up by id. */
export interface SeededConversation {
  readonly conversationId: string;
  readonly serviceName: string;
  readonly agentName: string;
  readonly model: string;
  readonly traceIds: readonly string[];
}

interface PlannedConversation {
  readonly serviceName: string;
  readonly agentName: string;
  readonly userId: string;
  readonly model: string;
  readonly startMs: number;
  readonly turns: number;
}

/** Two services, two agents, two models, spread over the last few hours before `nowMs`. */
export function seedPlan(nowMs: number): PlannedConversation[] {
  const hour = 3_600_000;
  return [
    { serviceName: 'voice-desk', agentName: 'receptionist', userId: 'user-a', model: 'gpt-4o-mini', startMs: nowMs - 3 * hour, turns: 3 },
    { serviceName: 'voice-desk', agentName: 'billing-bot', userId: 'user-b', model: 'gpt-4o', startMs: nowMs - 2 * hour, turns: 2 },
    { serviceName: 'chat-web', agentName: 'receptionist', userId: 'user-a', model: 'gpt-4o', startMs: nowMs - hour, turns: 2 },
  ];
}

/** Turn `index` of the `ordinal`-th conversation lasts 3000 + 250·index + 60·ordinal ms: seven distinct durations, 3000…3500. */
export function turnDurationMs(index: number, ordinal: number): number {
  return 3000 + 250 * index + 60 * ordinal;
}

/**
 * The voice turn markers of turn `index` of the `ordinal`-th conversation, in ms after the turn
 * starts, as the SDK records them (span events on the turn span at the moment they happened):
 * the user speaks, endpointing commits the turn, the final transcript ends the STT step, and
 * the agent's first audio comes while its TTS step runs.
 */
export function turnMarkersMs(index: number, ordinal: number): { name: string; atMs: number; by?: string }[] {
  const speechEnded = 300 + 20 * index;
  const markers: { name: string; atMs: number; by?: string }[] = [
    { name: EVENT_CONVOTEL_USER_SPEECH_STARTED, atMs: 5 },
    { name: EVENT_CONVOTEL_USER_SPEECH_ENDED, atMs: speechEnded },
    { name: EVENT_CONVOTEL_TURN_COMMITTED, atMs: speechEnded + 120 + 10 * ordinal },
    { name: EVENT_CONVOTEL_TRANSCRIPT_FINAL, atMs: 410 + 20 * index },
    { name: EVENT_CONVOTEL_AGENT_AUDIO_STARTED, atMs: 2150 + 30 * index + 10 * ordinal },
    { name: EVENT_CONVOTEL_AGENT_AUDIO_ENDED, atMs: 2900 },
  ];
  // The user barges in on turn 1 (the turn says interrupted); the agent talks over the user once.
  if (index === 1) markers.push({ name: EVENT_CONVOTEL_INTERRUPTION, atMs: 2600, by: CONVOTEL_INTERRUPTION_BY_VALUE_USER });
  if (index === 0 && ordinal === 1) markers.push({ name: EVENT_CONVOTEL_INTERRUPTION, atMs: 200, by: CONVOTEL_INTERRUPTION_BY_VALUE_AGENT });
  return markers;
}

/** Telephony on the conversation span: the first call came in over Twilio, the second went out over Telnyx (billed 1 minute), the third has none. */
function telephonyOf(ordinal: number): Attribute[] {
  if (ordinal === 0) return [text(ATTR_CONVOTEL_TELEPHONY_PROVIDER, 'twilio'), text(ATTR_CONVOTEL_TELEPHONY_DIRECTION, CONVOTEL_TELEPHONY_DIRECTION_VALUE_INBOUND)];
  if (ordinal === 1) return [text(ATTR_CONVOTEL_TELEPHONY_PROVIDER, 'telnyx'), text(ATTR_CONVOTEL_TELEPHONY_DIRECTION, CONVOTEL_TELEPHONY_DIRECTION_VALUE_OUTBOUND), double(ATTR_CONVOTEL_TELEPHONY_MINUTES, 1)];
  return [];
}

/** Its perceived latency: 600 + 150·index + 40·ordinal ms (600…900). */
export function perceivedLatencyMs(index: number, ordinal: number): number {
  return 600 + 150 * index + 40 * ordinal;
}

function conversationSpans(plan: PlannedConversation, conversationId: string, ordinal: number): { spans: object[]; logs: object[]; traceIds: string[] } {
  const spans: object[] = [];
  const logs: object[] = [];
  const traceIds: string[] = [];
  const conversationTrace = hex(16);
  const turnMs = 4000;
  spans.push({
    traceId: conversationTrace,
    spanId: hex(8),
    name: 'conversation',
    kind: 1,
    startTimeUnixNano: nanos(plan.startMs),
    endTimeUnixNano: nanos(plan.startMs + plan.turns * turnMs + 100),
    attributes: [
      text('convotel.span.kind', 'conversation'),
      text('gen_ai.conversation.id', conversationId),
      text('gen_ai.agent.name', plan.agentName),
      text('convotel.channel', 'voice'),
      text('user.id', plan.userId),
      ...telephonyOf(ordinal),
    ],
    status: { code: 0 },
  });
  for (let index = 0; index < plan.turns; index += 1) {
    const traceId = hex(16);
    traceIds.push(traceId);
    const rootId = hex(8);
    const start = plan.startMs + 50 + index * turnMs;
    const failed = index === plan.turns - 1 && plan.turns > 2;
    const common = [text('gen_ai.conversation.id', conversationId), text('user.id', plan.userId)];
    const markers = turnMarkersMs(index, ordinal);
    spans.push({
      traceId,
      spanId: rootId,
      name: 'turn',
      kind: 1,
      startTimeUnixNano: nanos(start),
      endTimeUnixNano: nanos(start + turnDurationMs(index, ordinal)),
      attributes: [
        text('convotel.span.kind', 'turn'),
        ...common,
        int('convotel.turn.index', index),
        double('convotel.turn.perceived_latency_ms', perceivedLatencyMs(index, ordinal)),
        bool('convotel.turn.interrupted', index === 1),
        text('convotel.turn.intent', index === 0 ? 'greeting' : 'billing'),
        // As the SDK's interrupted({ by }) does: the side on the turn span as well as on the event.
        ...markers.flatMap((marker) => (marker.by === undefined ? [] : [text(ATTR_CONVOTEL_INTERRUPTION_BY, marker.by)])),
      ],
      events: markers.map((marker) => ({
        timeUnixNano: nanos(start + marker.atMs),
        name: marker.name,
        attributes: marker.by === undefined ? [] : [text(ATTR_CONVOTEL_INTERRUPTION_BY, marker.by)],
      })),
      status: failed ? { code: 2, message: 'the voice is unavailable' } : { code: 0 },
    });
    const steps: { name: string; offset: number; duration: number; failed: boolean; extra: Attribute[] }[] = [
      { name: 'stt', offset: 10, duration: 400 + index * 20, failed: false, extra: [double('convotel.stt.audio_seconds', 2.5), double('convotel.stt.confidence', 0.93), double('convotel.cost.usd', 0.0004)] },
      { name: 'llm', offset: 420, duration: 1500, failed: false, extra: [] },
      { name: 'tts', offset: 1930, duration: 900 + index * 40, failed, extra: [int('convotel.tts.characters', 120), text('convotel.tts.voice', 'alloy'), double('convotel.cost.usd', 0.0006)] },
    ];
    for (const step of steps) {
      const stepId = hex(8);
      spans.push({
        traceId,
        spanId: stepId,
        parentSpanId: rootId,
        name: step.name,
        kind: 1,
        startTimeUnixNano: nanos(start + step.offset),
        endTimeUnixNano: nanos(start + step.offset + step.duration),
        attributes: [text('convotel.span.kind', 'step'), text('convotel.step.name', step.name), ...common, ...step.extra],
        status: step.failed ? { code: 2, message: 'the voice is unavailable' } : { code: 0 },
      });
      if (step.name !== 'llm') continue;
      spans.push({
        traceId,
        spanId: hex(8),
        parentSpanId: stepId,
        name: `chat ${plan.model}`,
        kind: 3,
        startTimeUnixNano: nanos(start + step.offset + 10),
        endTimeUnixNano: nanos(start + step.offset + step.duration - 10),
        attributes: [
          text('convotel.span.kind', 'llm'),
          ...common,
          text('gen_ai.operation.name', 'chat'),
          text('gen_ai.provider.name', 'openai'),
          text('gen_ai.request.model', plan.model),
          text('gen_ai.response.model', plan.model),
          int('gen_ai.usage.input_tokens', 300 + index * 10),
          int('gen_ai.usage.output_tokens', 40),
          text('convotel.llm.call_type', 'chat'),
          text('convotel.llm.function', index === 0 ? 'greet' : 'answer_billing'),
          double('convotel.cost.usd', 0.0012 + index * 0.0001),
          double('convotel.llm.ttft_ms', 250),
        ],
        status: { code: 0 },
      });
    }
    logs.push({
      timeUnixNano: nanos(start + 3000),
      severityNumber: failed ? 17 : 9,
      severityText: failed ? 'ERROR' : 'INFO',
      body: { stringValue: failed ? 'tts failed' : 'turn done' },
      traceId,
      spanId: rootId,
      attributes: [text('gen_ai.conversation.id', conversationId), text('event.name', 'convotel.turn.done')],
    });
  }
  return { spans, logs, traceIds };
}

async function post(port: number, path: string, body: object): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`the ingest answered ${response.status} to ${path}: ${await response.text()}`);
}

/** Posts the plan's conversations through an ingest writing to `store` (already migrated or not), and closes the ingest. */
export async function seedThroughIngest(store: Store, nowMs: number): Promise<SeededConversation[]> {
  const ingest = await serveIngest({ store, env: { CONVOTEL_LOG_LEVEL: 'silent' }, overrides: { port: 0, host: '127.0.0.1' } });
  const seeded: SeededConversation[] = [];
  try {
    for (const [ordinal, plan] of seedPlan(nowMs).entries()) {
      const conversationId = `conv-${hex(6)}`;
      const { spans, logs, traceIds } = conversationSpans(plan, conversationId, ordinal);
      const resource = { attributes: [text('service.name', plan.serviceName)] };
      const scope = { name: '@convotel/instrumentation', version: '0.1.0' };
      await post(ingest.port, '/v1/traces', { resourceSpans: [{ resource, scopeSpans: [{ scope, spans }] }] });
      await post(ingest.port, '/v1/logs', { resourceLogs: [{ resource, scopeLogs: [{ scope, logRecords: logs }] }] });
      seeded.push({ conversationId, serviceName: plan.serviceName, agentName: plan.agentName, model: plan.model, traceIds });
    }
  } finally {
    await ingest.close();
  }
  return seeded;
}
