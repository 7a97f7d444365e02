import { context, diag } from '@opentelemetry/api';
import { SeverityNumber, type AnyValueMap } from '@opentelemetry/api-logs';
import {
  ATTR_CONVOTEL_EVENT_COMPONENT,
  ATTR_EVENT_NAME,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_SESSION_ID,
  ATTR_USER_ID,
} from '@convotel/semconv';
import { getConversationState } from '../conversation-context.js';
import { getLogger } from '../tracer.js';
import type { EventAttributes, EventOptions } from '../types.js';

const SEVERITY: Record<NonNullable<EventOptions['severity']>, SeverityNumber> = {
  TRACE: SeverityNumber.TRACE,
  DEBUG: SeverityNumber.DEBUG,
  INFO: SeverityNumber.INFO,
  WARN: SeverityNumber.WARN,
  ERROR: SeverityNumber.ERROR,
  FATAL: SeverityNumber.FATAL,
};

/**
 * Records a system event (`balance_lookup`, `transfer_requested`…) as an OTel log record with the
 * active trace context and conversation ids, so it lands beside the turn that caused it.
 */
export function recordEvent(name: string, attributes: EventAttributes = {}, options: EventOptions = {}): void {
  try {
    const ctx = context.active();
    const record: AnyValueMap = {};
    for (const [key, value] of Object.entries(attributes)) if (value !== undefined) record[key] = value;
    record[ATTR_EVENT_NAME] = name;
    if (options.component !== undefined) record[ATTR_CONVOTEL_EVENT_COMPONENT] = options.component;
    const state = getConversationState(ctx);
    if (state !== undefined) {
      record[ATTR_GEN_AI_CONVERSATION_ID] = state.conversationId;
      if (state.userId !== undefined) record[ATTR_USER_ID] = state.userId;
      if (state.sessionId !== undefined) record[ATTR_SESSION_ID] = state.sessionId;
    }
    const severity = options.severity ?? 'INFO';
    getLogger().emit({
      eventName: name,
      severityNumber: SEVERITY[severity] ?? SeverityNumber.INFO,
      severityText: severity,
      body: options.message ?? name,
      attributes: record,
      context: ctx,
    });
  } catch (err) {
    diag.error('convotel: event not recorded', err);
  }
}
