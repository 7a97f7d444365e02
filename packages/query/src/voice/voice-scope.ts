// Which turns and conversations a voice question covers: those started in the window, of the
// agent, model, provider and service asked for. `model` and `provider` here are the LLM on the
// turn's critical path (v2v_model, v2v_provider), not "has a call of": a voice turn's latency
// belongs to the model that answered first.
import type { SqlParams } from '../sql.js';
import type { TimeWindow } from '../window.js';
import { CONVERSATION, TURN } from './voice-columns.js';

/** The filters of the voice questions. */
export interface VoiceFilters {
  /** The conversation's agent name. */
  readonly agent?: string | undefined;
  /** The LLM on the critical path (`v2v_model`). */
  readonly model?: string | undefined;
  /** Its provider (`v2v_provider`). */
  readonly provider?: string | undefined;
  /** service.name of the sending service. */
  readonly service?: string | undefined;
}

/** `FROM` of turn questions: turns `t` with their conversation `c` (agent name). */
export const TURNS_WITH_CONVERSATION = `turns t LEFT JOIN conversations c ON c.${CONVERSATION.conversationId} = t.${TURN.conversationId}`;

function windowConditions(time: string, window: TimeWindow, params: SqlParams): string[] {
  return [`${time} >= ${params.add(window.from.toISOString(), 'timestamptz')}`, `${time} < ${params.add(window.to.toISOString(), 'timestamptz')}`];
}

/** Conditions on turns `t` (joined to `c`, see {@link TURNS_WITH_CONVERSATION}) started in the window. */
export function voiceTurnConditions(window: TimeWindow, filters: VoiceFilters, params: SqlParams): string[] {
  const conditions = windowConditions(`t.${TURN.startedAt}`, window, params);
  if (filters.agent !== undefined) conditions.push(`c.${CONVERSATION.agentName} = ${params.add(filters.agent, 'text')}`);
  if (filters.model !== undefined) conditions.push(`t.${TURN.v2vModel} = ${params.add(filters.model, 'text')}`);
  if (filters.provider !== undefined) conditions.push(`t.${TURN.v2vProvider} = ${params.add(filters.provider, 'text')}`);
  if (filters.service !== undefined) conditions.push(`t.${TURN.serviceName} = ${params.add(filters.service, 'text')}`);
  return conditions;
}

/** Conditions on conversations `c` started in the window (their start, else first seen), of the agent. */
export function voiceConversationConditions(window: TimeWindow, filters: Pick<VoiceFilters, 'agent'>, params: SqlParams): string[] {
  const conditions = windowConditions(`coalesce(c.${CONVERSATION.startedAt}, c.${CONVERSATION.firstSeenAt})`, window, params);
  if (filters.agent !== undefined) conditions.push(`c.${CONVERSATION.agentName} = ${params.add(filters.agent, 'text')}`);
  return conditions;
}
