// Voice turn markers: span events on the turn span at the moment they happened, and the
// perceived latency derived from two of them when the turn ends. Nothing here throws to the caller.
import { diag, type HrTime, type Span, type TimeInput } from '@opentelemetry/api';
import { hrTimeDuration, hrTimeToMilliseconds, isTimeInputHrTime, millisToHrTime, timeInputToHrTime } from '@opentelemetry/core';
import {
  ATTR_CONVOTEL_INTERRUPTION_BY,
  ATTR_CONVOTEL_TURN_INTERRUPTED,
  ATTR_CONVOTEL_TURN_PERCEIVED_LATENCY_MS,
  CONVOTEL_INTERRUPTION_BY_VALUE_AGENT,
  CONVOTEL_INTERRUPTION_BY_VALUE_USER,
  EVENT_CONVOTEL_AGENT_AUDIO_STARTED,
  EVENT_CONVOTEL_INTERRUPTION,
  EVENT_CONVOTEL_USER_SPEECH_ENDED,
} from '@convotel/semconv';
import type { TurnInterruption } from '../types.js';

/** What a turn remembers of its markers until it ends. */
export interface TurnMarkers {
  userSpeechEndedAt?: HrTime;
  agentAudioStartedAt?: HrTime;
  /** The caller set the perceived latency itself: never replace it. */
  hasExplicitPerceivedLatency: boolean;
}

export function createTurnMarkers(): TurnMarkers {
  return { hasExplicitPerceivedLatency: false };
}

// The SDK's span exposes its recorded events (ReadableSpan); read back the time it chose for "now".
interface WithEvents {
  readonly events?: readonly { readonly name: string; readonly time: HrTime }[];
}

/**
 * Adds the marker event `name` to the turn span at `at` (Date, epoch ms, or HrTime), or now, and
 * returns the time recorded. An explicit time is passed as HrTime so the event carries exactly it.
 */
function addMarker(span: Span, name: string, at: TimeInput | undefined, attributes?: Record<string, string>): HrTime {
  if (at !== undefined) {
    const time = toHrTime(at);
    span.addEvent(name, attributes, time);
    return time;
  }
  // "Now" on the span's own clock (start time + monotonic elapsed), as for its end time.
  span.addEvent(name, attributes);
  const events = (span as WithEvents).events;
  const last = Array.isArray(events) ? events[events.length - 1] : undefined;
  return last !== undefined && last.name === name ? last.time : millisToHrTime(Date.now());
}

function toHrTime(at: TimeInput): HrTime {
  const time = isTimeInputHrTime(at) ? at : timeInputToHrTime(at);
  if (!Number.isFinite(time[0]) || !Number.isFinite(time[1])) throw new TypeError(`not a time: ${String(at)}`);
  return time;
}

/** Records a marker event; remembers the two that bound perceived latency. */
export function recordMarker(span: Span, markers: TurnMarkers, name: string, at: TimeInput | undefined): void {
  try {
    const time = addMarker(span, name, at);
    if (name === EVENT_CONVOTEL_USER_SPEECH_ENDED) markers.userSpeechEndedAt = time;
    if (name === EVENT_CONVOTEL_AGENT_AUDIO_STARTED) markers.agentAudioStartedAt = time;
  } catch (err) {
    diag.error(`convotel: turn marker ${name} not recorded`, err);
  }
}

/**
 * Records an interruption: the event, its side on the turn span, and `convotel.turn.interrupted`
 * when the user barged in. What the agent had said before the cut goes to `setAgentOutput`.
 */
export function recordInterruption(span: Span, interruption: TurnInterruption, setAgentOutput: (text: string) => void): void {
  try {
    const by = interruption?.by;
    if (by !== CONVOTEL_INTERRUPTION_BY_VALUE_USER && by !== CONVOTEL_INTERRUPTION_BY_VALUE_AGENT) {
      diag.error(`convotel: interruption not recorded: "by" must be "user" or "agent", got ${String(by)}`);
      return;
    }
    addMarker(span, EVENT_CONVOTEL_INTERRUPTION, interruption.at, { [ATTR_CONVOTEL_INTERRUPTION_BY]: by });
    span.setAttribute(ATTR_CONVOTEL_INTERRUPTION_BY, by);
    if (by === CONVOTEL_INTERRUPTION_BY_VALUE_USER) span.setAttribute(ATTR_CONVOTEL_TURN_INTERRUPTED, true);
    if (interruption.spokenText !== undefined) setAgentOutput(interruption.spokenText);
  } catch (err) {
    diag.error('convotel: interruption not recorded', err);
  }
}

/**
 * Sets `convotel.turn.perceived_latency_ms` from end of user speech to first agent audio, when
 * both were marked, the caller set no value, and the audio did not start before the speech ended.
 * Called just before the turn span ends.
 */
export function setDerivedPerceivedLatency(span: Span, markers: TurnMarkers): void {
  try {
    const { userSpeechEndedAt: from, agentAudioStartedAt: to } = markers;
    if (markers.hasExplicitPerceivedLatency || from === undefined || to === undefined) return;
    // hrTimeDuration assumes to >= from; a negative gap is an agent talking over the user, not latency.
    if (to[0] < from[0] || (to[0] === from[0] && to[1] < from[1])) return;
    span.setAttribute(ATTR_CONVOTEL_TURN_PERCEIVED_LATENCY_MS, hrTimeToMilliseconds(hrTimeDuration(from, to)));
  } catch (err) {
    diag.error('convotel: perceived latency not derived', err);
  }
}
