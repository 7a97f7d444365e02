import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_GEN_AI_CONVERSATION_ID, ATTR_SESSION_ID, ATTR_USER_ID } from '@convotel/semconv';
import { getConversationState } from './conversation-context.js';

/**
 * Stamps `gen_ai.conversation.id`, `user.id` and `session.id` on every span started inside a
 * conversation — ours, the openai/anthropic ones, and foreign ones such as pg or http — so
 * each span can be grouped without its ancestors. `init()` installs it; add it yourself when
 * you build your own tracer provider.
 */
export class ConversationSpanProcessor implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    const state = getConversationState(parentContext);
    if (state === undefined) return;
    span.setAttribute(ATTR_GEN_AI_CONVERSATION_ID, state.conversationId);
    if (state.userId !== undefined) span.setAttribute(ATTR_USER_ID, state.userId);
    if (state.sessionId !== undefined) span.setAttribute(ATTR_SESSION_ID, state.sessionId);
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
