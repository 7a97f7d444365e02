import { context, diag, INVALID_SPAN_CONTEXT, trace, type Attributes, type Context, type Link, type Span } from '@opentelemetry/api';
import {
  ATTR_CONVOTEL_SPAN_KIND,
  ATTR_CONVOTEL_TURN_AGENT_OUTPUT,
  ATTR_CONVOTEL_TURN_CLASSIFICATION,
  ATTR_CONVOTEL_TURN_INDEX,
  ATTR_CONVOTEL_TURN_INTENT,
  ATTR_CONVOTEL_TURN_INTERRUPTED,
  ATTR_CONVOTEL_TURN_PERCEIVED_LATENCY_MS,
  ATTR_CONVOTEL_TURN_USER_INPUT,
  CONVOTEL_SPAN_KIND_VALUE_TURN,
  EVENT_CONVOTEL_AGENT_AUDIO_ENDED,
  EVENT_CONVOTEL_AGENT_AUDIO_STARTED,
  EVENT_CONVOTEL_TRANSCRIPT_FINAL,
  EVENT_CONVOTEL_TURN_COMMITTED,
  EVENT_CONVOTEL_USER_SPEECH_ENDED,
  EVENT_CONVOTEL_USER_SPEECH_STARTED,
  SPAN_NAME_TURN,
} from '@convotel/semconv';
import { toCapturedContent } from '../content/capture.js';
import { getConversationState } from '../conversation-context.js';
import { getTracer } from '../tracer.js';
import type { TurnHandle, TurnOptions } from '../types.js';
import { runInSpan } from './run-in-span.js';
import { createTurnMarkers, recordInterruption, recordMarker, setDerivedPerceivedLatency, type TurnMarkers } from './turn-markers.js';

function setCaptured(span: Span, key: string, text: string): void {
  const captured = toCapturedContent(text);
  if (captured !== undefined) span.setAttribute(key, captured);
}

function toTurnHandle(span: Span, index: number, markers: TurnMarkers = createTurnMarkers()): TurnHandle {
  const setAgentOutput = (text: string) => setCaptured(span, ATTR_CONVOTEL_TURN_AGENT_OUTPUT, text);
  return {
    span,
    index,
    setIntent: (intent) => span.setAttribute(ATTR_CONVOTEL_TURN_INTENT, intent),
    setClassification: (value) => span.setAttribute(ATTR_CONVOTEL_TURN_CLASSIFICATION, value),
    setInterrupted: (interrupted = true) => span.setAttribute(ATTR_CONVOTEL_TURN_INTERRUPTED, interrupted),
    setPerceivedLatencyMs: (ms) => {
      markers.hasExplicitPerceivedLatency = true;
      span.setAttribute(ATTR_CONVOTEL_TURN_PERCEIVED_LATENCY_MS, ms);
    },
    setUserInput: (text) => setCaptured(span, ATTR_CONVOTEL_TURN_USER_INPUT, text),
    setAgentOutput,
    setAttributes: (attributes) => span.setAttributes(attributes),
    userSpeechStarted: (at) => recordMarker(span, markers, EVENT_CONVOTEL_USER_SPEECH_STARTED, at),
    userSpeechEnded: (at) => recordMarker(span, markers, EVENT_CONVOTEL_USER_SPEECH_ENDED, at),
    turnCommitted: (at) => recordMarker(span, markers, EVENT_CONVOTEL_TURN_COMMITTED, at),
    transcriptFinal: (at) => recordMarker(span, markers, EVENT_CONVOTEL_TRANSCRIPT_FINAL, at),
    agentAudioStarted: (at) => recordMarker(span, markers, EVENT_CONVOTEL_AGENT_AUDIO_STARTED, at),
    agentAudioEnded: (at) => recordMarker(span, markers, EVENT_CONVOTEL_AGENT_AUDIO_ENDED, at),
    interrupted: (interruption) => recordInterruption(span, interruption, setAgentOutput),
  };
}

/** Starts the turn span and runs `fn` in it; shared by `turn()` and `ConversationHandle.turn()`. */
export function startTurn<T>(options: TurnOptions, fn: (turn: TurnHandle) => T): T {
  let span: Span;
  let handle: TurnHandle;
  let ctx: Context;
  const markers = createTurnMarkers();
  try {
    const parent = context.active();
    const state = getConversationState(parent);
    const index = options.index ?? state?.nextTurnIndex ?? 0;
    if (state !== undefined) state.nextTurnIndex = Math.max(state.nextTurnIndex, index + 1);
    // Each turn is the root of its own trace, linked to the conversation: a long call is not
    // one long trace that exports only at hang-up (DESIGN.md §2).
    const links: Link[] | undefined = state?.spanContext ? [{ context: state.spanContext }] : undefined;
    span = getTracer().startSpan(SPAN_NAME_TURN, { root: true, links }, parent);
    const attributes: Attributes = {
      [ATTR_CONVOTEL_SPAN_KIND]: CONVOTEL_SPAN_KIND_VALUE_TURN,
      [ATTR_CONVOTEL_TURN_INDEX]: index,
    };
    if (options.intent !== undefined) attributes[ATTR_CONVOTEL_TURN_INTENT] = options.intent;
    if (options.classification !== undefined) attributes[ATTR_CONVOTEL_TURN_CLASSIFICATION] = options.classification;
    span.setAttributes(attributes);
    handle = toTurnHandle(span, index, markers);
    if (options.userInput !== undefined) handle.setUserInput(options.userInput);
    ctx = trace.setSpan(parent, span);
  } catch (err) {
    diag.error('convotel: turn span not started', err);
    return fn(toTurnHandle(trace.wrapSpanContext(INVALID_SPAN_CONTEXT), options.index ?? 0));
  }
  return runInSpan(span, ctx, () => fn(handle), (ended) => {
    setDerivedPerceivedLatency(ended, markers);
    ended.end();
  });
}

/** Runs `fn` as one turn (user input → agent response) of the active conversation. */
export function turn<T>(options: TurnOptions, fn: (turn: TurnHandle) => T): T {
  return startTurn(options, fn);
}
