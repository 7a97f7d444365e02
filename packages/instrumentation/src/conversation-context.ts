import { createContextKey, type Context, type SpanContext } from '@opentelemetry/api';

/** What every span inside a conversation inherits, carried in the OTel context. */
export interface ConversationState {
  readonly conversationId: string;
  readonly userId: string | undefined;
  readonly sessionId: string | undefined;
  /** Target of the span link each turn carries. */
  readonly spanContext: SpanContext | undefined;
  /** Next turn index when the caller gives none. */
  nextTurnIndex: number;
}

const CONVERSATION_KEY = createContextKey('convotel.conversation');

export function getConversationState(ctx: Context): ConversationState | undefined {
  return ctx.getValue(CONVERSATION_KEY) as ConversationState | undefined;
}

export function withConversationState(ctx: Context, state: ConversationState): Context {
  return ctx.setValue(CONVERSATION_KEY, state);
}
