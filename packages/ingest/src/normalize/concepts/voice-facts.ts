// What one span says about its voice turn (docs/voice.md): the SDK's marker span events, who
// interrupted whom, and the stage delays and end-to-end figure voice frameworks report without
// timestamps (LiveKit `lk.*`, Pipecat `metrics.ttfb`). Pure.
import {
  ATTR_CONVOTEL_INTERRUPTION_BY,
  CONVOTEL_INTERRUPTION_BY_VALUE_AGENT,
  CONVOTEL_INTERRUPTION_BY_VALUE_USER,
  EVENT_CONVOTEL_AGENT_AUDIO_ENDED,
  EVENT_CONVOTEL_AGENT_AUDIO_STARTED,
  EVENT_CONVOTEL_INTERRUPTION,
  EVENT_CONVOTEL_TRANSCRIPT_FINAL,
  EVENT_CONVOTEL_TURN_COMMITTED,
  EVENT_CONVOTEL_USER_SPEECH_ENDED,
  EVENT_CONVOTEL_USER_SPEECH_STARTED,
} from '@convotel/semconv';
import type { Span } from '../../otlp/types.js';
import type { MeasuredStage } from '../flavours/flavour-spec.js';
import { speakingSpansOf, stageDelayKeysOf } from '../flavours/registry.js';
import { readNumber, readString } from '../read/attributes.js';
import { isPlausibleNanos, nanosToMicros, type Micros } from '../units/time.js';
import type { Flavour } from './flavour.js';

/** When the parties spoke, in µs since the epoch. */
export interface VoiceMarkers {
  readonly userSpeechStartedAt?: Micros;
  readonly userSpeechEndedAt?: Micros;
  readonly committedAt?: Micros;
  readonly transcriptFinalAt?: Micros;
  readonly agentAudioStartedAt?: Micros;
  readonly agentAudioEndedAt?: Micros;
}

export type MarkerName = keyof VoiceMarkers;

/** The marker each event records, and which occurrence wins when a span repeats it. */
const MARKER_EVENTS: Readonly<Record<string, { readonly marker: MarkerName; readonly keep: 'first' | 'last' }>> = {
  [EVENT_CONVOTEL_USER_SPEECH_STARTED]: { marker: 'userSpeechStartedAt', keep: 'first' },
  // The user may pause and go on: the turn's speech ends at the last end.
  [EVENT_CONVOTEL_USER_SPEECH_ENDED]: { marker: 'userSpeechEndedAt', keep: 'last' },
  [EVENT_CONVOTEL_TURN_COMMITTED]: { marker: 'committedAt', keep: 'first' },
  [EVENT_CONVOTEL_TRANSCRIPT_FINAL]: { marker: 'transcriptFinalAt', keep: 'last' },
  [EVENT_CONVOTEL_AGENT_AUDIO_STARTED]: { marker: 'agentAudioStartedAt', keep: 'first' },
  [EVENT_CONVOTEL_AGENT_AUDIO_ENDED]: { marker: 'agentAudioEndedAt', keep: 'last' },
};

export interface VoiceFacts {
  readonly markers: VoiceMarkers;
  /** The user barged in on the agent. */
  readonly interruptedByUser: boolean;
  /** The agent talked over the user. */
  readonly interruptedByAgent: boolean;
  /** Stage delays reported in seconds, in µs. */
  readonly delaysUs: Readonly<Partial<Record<MeasuredStage, bigint>>>;
}

/** Facts of a span that is part of a voice turn but measures nothing itself (an STT or TTS step). */
export const NO_VOICE_FACTS: VoiceFacts = Object.freeze({ markers: {}, interruptedByUser: false, interruptedByAgent: false, delaysUs: {} });

/** The span's voice facts; undefined when it says nothing of the kind. */
export function readVoiceFacts(span: Span, flavour: Flavour): VoiceFacts | undefined {
  const markers: Partial<Record<MarkerName, Micros>> = {};
  let byUser = false;
  let byAgent = false;
  let found = false;
  for (const event of span.events) {
    if (event.name === EVENT_CONVOTEL_INTERRUPTION) {
      const by = readString(event.attributes, ATTR_CONVOTEL_INTERRUPTION_BY);
      byUser ||= by === CONVOTEL_INTERRUPTION_BY_VALUE_USER;
      byAgent ||= by === CONVOTEL_INTERRUPTION_BY_VALUE_AGENT;
      found ||= by !== undefined;
      continue;
    }
    const spec = MARKER_EVENTS[event.name];
    if (spec === undefined || !isPlausibleNanos(event.timeUnixNano)) continue;
    const at = nanosToMicros(event.timeUnixNano);
    const current = markers[spec.marker];
    if (current === undefined || (spec.keep === 'first' ? at < current : at > current)) markers[spec.marker] = at;
    found = true;
  }
  // A framework's speaking spans: the speech markers are their bounds.
  const speaking = speakingSpansOf(flavour);
  const side = span.name === speaking.agent ? 'agent' : span.name === speaking.user ? 'user' : undefined;
  if (side !== undefined && isPlausibleNanos(span.startTimeUnixNano) && span.endTimeUnixNano >= span.startTimeUnixNano) {
    const start = nanosToMicros(span.startTimeUnixNano);
    const end = nanosToMicros(span.endTimeUnixNano);
    if (side === 'agent') Object.assign(markers, { agentAudioStartedAt: start, agentAudioEndedAt: end });
    else Object.assign(markers, { userSpeechStartedAt: start, userSpeechEndedAt: end });
    found = true;
  }
  const by = readString(span.attributes, ATTR_CONVOTEL_INTERRUPTION_BY);
  byUser ||= by === CONVOTEL_INTERRUPTION_BY_VALUE_USER;
  byAgent ||= by === CONVOTEL_INTERRUPTION_BY_VALUE_AGENT;
  found ||= byUser || byAgent;
  const delaysUs: Partial<Record<MeasuredStage, bigint>> = {};
  for (const { key, stage, spanNames } of stageDelayKeysOf(flavour)) {
    if (spanNames !== undefined && !spanNames.includes(span.name)) continue;
    const seconds = readNumber(span.attributes, key);
    // Negative or absurd (over an hour) delays are a reporting bug, not a stage.
    if (seconds === undefined || !(seconds >= 0) || seconds > 3600) continue;
    delaysUs[stage] ??= BigInt(Math.round(seconds * 1e6));
    found = true;
  }
  return found ? { markers, interruptedByUser: byUser, interruptedByAgent: byAgent, delaysUs } : undefined;
}

/** Two spans' facts as one turn's: earliest starts, latest ends, either side's interruption, the first delay per stage. Order-free. */
export function mergeVoiceFacts(a: VoiceFacts | undefined, b: VoiceFacts | undefined): VoiceFacts | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const markers: Partial<Record<MarkerName, Micros>> = { ...a.markers };
  for (const spec of Object.values(MARKER_EVENTS)) {
    const x = a.markers[spec.marker];
    const y = b.markers[spec.marker];
    if (y !== undefined && (x === undefined || (spec.keep === 'first' ? y < x : y > x))) markers[spec.marker] = y;
  }
  const delaysUs: Partial<Record<MeasuredStage, bigint>> = { ...a.delaysUs };
  for (const [stage, us] of Object.entries(b.delaysUs) as [MeasuredStage, bigint][]) {
    const x = delaysUs[stage];
    // Two spans reporting one stage (rare): the larger, so the choice is order-free.
    if (x === undefined || us > x) delaysUs[stage] = us;
  }
  return {
    markers,
    interruptedByUser: a.interruptedByUser || b.interruptedByUser,
    interruptedByAgent: a.interruptedByAgent || b.interruptedByAgent,
    delaysUs,
  };
}

/** JSON for `span_edges.facts` (µs as decimal strings: JSON numbers lose them past 2^53). */
export function voiceFactsToJson(facts: VoiceFacts): Record<string, unknown> {
  const text = (record: object) =>
    Object.fromEntries(Object.entries(record as Record<string, bigint | undefined>).flatMap(([k, v]) => (v === undefined ? [] : [[k, v.toString()]])));
  return { markers: text(facts.markers), interruptedByUser: facts.interruptedByUser, interruptedByAgent: facts.interruptedByAgent, delaysUs: text(facts.delaysUs) };
}

/** The facts back from {@link voiceFactsToJson}; undefined for anything else. */
export function voiceFactsFromJson(value: unknown): VoiceFacts | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const big = (record: unknown): Record<string, bigint> => {
    if (typeof record !== 'object' || record === null) return {};
    return Object.fromEntries(Object.entries(record).flatMap(([k, x]) => (typeof x === 'string' && /^-?\d+$/.test(x) ? [[k, BigInt(x)]] : [])));
  };
  return {
    markers: big(v.markers) as VoiceMarkers,
    interruptedByUser: v.interruptedByUser === true,
    interruptedByAgent: v.interruptedByAgent === true,
    delaysUs: big(v.delaysUs) as Partial<Record<MeasuredStage, bigint>>,
  };
}
