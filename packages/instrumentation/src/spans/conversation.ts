import { randomUUID } from 'node:crypto';
import { context, diag, INVALID_SPAN_CONTEXT, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import {
  ATTR_CONVOTEL_CHANNEL,
  ATTR_CONVOTEL_CONVERSATION_END_REASON,
  ATTR_CONVOTEL_METADATA_PREFIX,
  ATTR_CONVOTEL_SPAN_KIND,
  ATTR_CONVOTEL_TELEPHONY_DIRECTION,
  ATTR_CONVOTEL_TELEPHONY_MINUTES,
  ATTR_CONVOTEL_TELEPHONY_PROVIDER,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_SESSION_ID,
  ATTR_USER_ID,
  CONVOTEL_SPAN_KIND_VALUE_CONVERSATION,
  SPAN_NAME_CONVERSATION,
} from '@convotel/semconv';
import { withConversationState, type ConversationState } from '../conversation-context.js';
import { getTracer } from '../tracer.js';
import type { ConversationHandle, ConversationOptions, Metadata, TelephonyOptions } from '../types.js';
import { runInSpan } from './run-in-span.js';
import { startTurn } from './turn.js';

function toMetadataAttributes(metadata: Metadata | undefined, into: Attributes): void {
  if (metadata === undefined) return;
  for (const [key, value] of Object.entries(metadata)) {
    if (value !== undefined) into[ATTR_CONVOTEL_METADATA_PREFIX + key] = value;
  }
}

/** The phone leg as `convotel.telephony.*`; a value of the wrong type is left out, not thrown. */
function toTelephonyAttributes(telephony: TelephonyOptions | undefined, into: Attributes): void {
  if (telephony === undefined) return;
  if (typeof telephony.provider === 'string' && telephony.provider !== '') into[ATTR_CONVOTEL_TELEPHONY_PROVIDER] = telephony.provider;
  if (telephony.direction === 'inbound' || telephony.direction === 'outbound') {
    into[ATTR_CONVOTEL_TELEPHONY_DIRECTION] = telephony.direction;
  }
  const minutes = telephony.minutes;
  if (typeof minutes === 'number' && Number.isFinite(minutes) && minutes >= 0) into[ATTR_CONVOTEL_TELEPHONY_MINUTES] = minutes;
}

/**
 * Starts a conversation and returns its handle; for calls and chats whose turns arrive from
 * event handlers. The conversation span is a trace of its own; each turn links to it.
 */
export function startConversation(options: ConversationOptions = {}): ConversationHandle {
  const conversationId = options.conversationId ?? randomUUID();
  const span = (() => {
    try {
      // A root span: the conversation may outlive any request that started it.
      const started = getTracer().startSpan(SPAN_NAME_CONVERSATION, { root: true });
      const attributes: Attributes = { [ATTR_CONVOTEL_SPAN_KIND]: CONVOTEL_SPAN_KIND_VALUE_CONVERSATION };
      if (options.agentName !== undefined) attributes[ATTR_GEN_AI_AGENT_NAME] = options.agentName;
      if (options.channel !== undefined) attributes[ATTR_CONVOTEL_CHANNEL] = options.channel;
      toMetadataAttributes(options.metadata, attributes);
      toTelephonyAttributes(options.telephony, attributes);
      started.setAttributes(attributes);
      return started;
    } catch (err) {
      diag.error('convotel: conversation span not started', err);
      return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    }
  })();
  const state: ConversationState = {
    conversationId,
    userId: options.userId,
    sessionId: options.sessionId,
    spanContext: span.isRecording() ? span.spanContext() : undefined,
    nextTurnIndex: 0,
  };
  // The conversation span itself must carry the ids too: the processor saw no state when it started.
  if (span.isRecording()) stampIds(span, state);
  const ctx = withConversationState(trace.setSpan(context.active(), span), state);
  let hasEnded = false;

  return {
    conversationId,
    span,
    run: (fn) => context.with(ctx, fn),
    turn: (turnOptions, fn) => context.with(ctx, () => startTurn(turnOptions, fn)),
    end: (status = 'ok') => {
      if (hasEnded) return;
      hasEnded = true;
      try {
        if (status === 'error') span.setStatus({ code: SpanStatusCode.ERROR });
        else if (status !== 'ok') span.setAttribute(ATTR_CONVOTEL_CONVERSATION_END_REASON, status);
        span.end();
      } catch (err) {
        diag.error('convotel: conversation span not ended', err);
      }
    },
  };
}

function stampIds(span: Span, state: ConversationState): void {
  const attributes: Attributes = { [ATTR_GEN_AI_CONVERSATION_ID]: state.conversationId };
  if (state.userId !== undefined) attributes[ATTR_USER_ID] = state.userId;
  if (state.sessionId !== undefined) attributes[ATTR_SESSION_ID] = state.sessionId;
  span.setAttributes(attributes);
}

/**
 * Runs `fn` as one conversation: turns, steps and LLM calls inside it carry its ids. The span
 * ends when `fn` settles; an error marks it failed and is rethrown unchanged.
 */
export function conversation<T>(options: ConversationOptions, fn: (conversation: ConversationHandle) => T): T {
  const handle = startConversation(options);
  return runInSpan(handle.span, context.active(), () => handle.run(() => fn(handle)), (_span, outcome) => {
    // runInSpan has recorded the error already.
    handle.end(outcome.failed ? 'error' : 'ok');
  });
}
