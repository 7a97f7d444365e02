import { context, createContextKey, type Attributes, type Context } from '@opentelemetry/api';
import { ATTR_CONVOTEL_LLM_CALL_TYPE, ATTR_CONVOTEL_LLM_FUNCTION, ATTR_CONVOTEL_TAGS } from '@convotel/semconv';
import type { LlmCallType } from './types.js';

/** How the application labels the LLM calls made inside a block of code. */
export interface LlmLabels {
  callType?: LlmCallType;
  /** The application function making the calls, e.g. `classify_intent`. */
  functionName?: string;
  tags?: string[];
}

const LABELS_KEY = createContextKey('convotel.llm-labels');

/**
 * Runs `fn` with `labels` applied to every LLM call made inside it, including calls through the
 * auto-instrumented openai and anthropic clients. Inner labels win over outer ones.
 */
export function labelLlmCalls<T>(labels: LlmLabels, fn: () => T): T {
  const outer = context.active().getValue(LABELS_KEY) as LlmLabels | undefined;
  return context.with(context.active().setValue(LABELS_KEY, { ...outer, ...labels }), fn);
}

/** The labels in force in `ctx`, as span attributes (empty when none). */
export function toLabelAttributes(ctx: Context, into: Attributes): void {
  const labels = ctx.getValue(LABELS_KEY) as LlmLabels | undefined;
  if (labels === undefined) return;
  if (labels.callType !== undefined) into[ATTR_CONVOTEL_LLM_CALL_TYPE] = labels.callType;
  if (labels.functionName !== undefined) into[ATTR_CONVOTEL_LLM_FUNCTION] = labels.functionName;
  if (labels.tags !== undefined && labels.tags.length > 0) into[ATTR_CONVOTEL_TAGS] = labels.tags;
}
