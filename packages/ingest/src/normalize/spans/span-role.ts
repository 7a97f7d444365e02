// What a span is to the store: a conversation, a turn root, a billable LLM call, a step-like
// span, an SQL query, or nothing we keep. Billability is decided from the span alone, so the
// decision never depends on which other spans arrived first; the one exception, a client
// library's own span repeating an instrumentation's, is settled per request (duplicate-calls.ts). Pure.
import {
  ATTR_CONVOTEL_SPAN_KIND,
  CONVOTEL_SPAN_KIND_VALUE_CONVERSATION,
  CONVOTEL_SPAN_KIND_VALUE_LLM,
  CONVOTEL_SPAN_KIND_VALUE_STEP,
  CONVOTEL_SPAN_KIND_VALUE_TOOL,
  CONVOTEL_SPAN_KIND_VALUE_TURN,
} from '@convotel/semconv';
import type { AttributeMap } from '../../otlp/types.js';
import { readString } from '../read/attributes.js';
import type { Operation } from '../concepts/operation-kind.js';
import { DB_KEYS } from '../read/keys.js';
import { flavourSpec, type Flavour } from '../flavours/registry.js';

/** What a span is to the store (see the module comment). */
export type SpanRole =
  | 'conversation'
  | 'turn'
  /** A provider call: usage and cost counted here. */
  | 'llm'
  /** A speech-to-text or text-to-speech call: a step that carries its own cost. */
  | 'speech'
  /** Our `step {name}` spans; Mastra's model steps (provider round trips counted on their generation). */
  | 'step'
  | 'tool'
  /** Agent or root wrappers (`invoke_agent`, `ai.generateText`, OpenInference AGENT) that repeat child usage. */
  | 'agent'
  | 'workflow'
  | 'retrieval'
  | 'db'
  | 'other';

/** The role of a span, from our `convotel.span.kind`, voice-framework span names, its operation and SQL keys. */
export function classifySpan(name: string, attributes: AttributeMap, operation: Operation | undefined, flavour: Flavour): SpanRole {
  switch (readString(attributes, ATTR_CONVOTEL_SPAN_KIND)) {
    case CONVOTEL_SPAN_KIND_VALUE_CONVERSATION:
      return 'conversation';
    case CONVOTEL_SPAN_KIND_VALUE_TURN:
      return 'turn';
    case CONVOTEL_SPAN_KIND_VALUE_STEP:
      return 'step';
    case CONVOTEL_SPAN_KIND_VALUE_LLM:
      return 'llm';
    case CONVOTEL_SPAN_KIND_VALUE_TOOL:
      return 'tool';
  }
  const spec = flavourSpec(flavour);
  const ownRole = spec?.roleOf?.(name, attributes);
  if (ownRole !== undefined) return ownRole;
  switch (operation) {
    case 'chat':
    case 'text_completion':
    case 'embeddings':
      return spec?.isWrapperCall?.(name, attributes) === true ? 'agent' : 'llm';
    case 'stt':
    case 'tts':
      return 'speech';
    case 'execute_tool':
      return 'tool';
    case 'invoke_agent':
    case 'step':
      return 'agent';
    case 'workflow':
      return 'workflow';
    case 'retrieval':
      return 'retrieval';
    default:
      return isDbQuery(attributes) ? 'db' : 'other';
  }
}

/** An SQL client span with a statement (pool connects and the like are not queries). */
function isDbQuery(attributes: AttributeMap): boolean {
  const hasSystem = DB_KEYS.system.some((key) => attributes[key] !== undefined);
  return hasSystem && DB_KEYS.statement.some((key) => attributes[key] !== undefined);
}

/** Roles that make their trace a GenAI trace (one that belongs to a conversation). */
export function isGenAiRole(role: SpanRole): boolean {
  return role !== 'db' && role !== 'other';
}
