// What the analysis routes group by, spelled once per table: the key of an LLM call, of a turn
// and of a step that carries a cost. Keys are text and never NULL ('' is "unknown", shown as
// null), so they can be compared, paged on and passed back as an array.
import type { SqlParams } from '../sql.js';

export const GROUP_BYS = ['model', 'provider', 'call_type', 'function', 'user', 'session', 'agent'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** A group key: its expression, and the join (if any) that brings its column in. */
export interface GroupKey {
  readonly expression: string;
  readonly join: string;
  /** The plain column whose value (NULL as '') the key is, where it is one: a condition on it can use the column's index (user_id, session_id). */
  readonly column?: string;
}

/** The unknown key ('' in SQL), shown as null. */
export const UNKNOWN_KEY = '';

/** A key as the API shows it. */
export function keyOrNull(key: unknown): string | null {
  const text = key === null || key === undefined ? UNKNOWN_KEY : String(key);
  return text === UNKNOWN_KEY ? null : text;
}

/**
 * `keys` as a condition on the key's own column, which its index answers (a page of users reads
 * their calls, not the window's), besides the condition on its expression; none when the unknown
 * key is among them (its rows hold NULL).
 */
export function indexedKeyConditions(key: GroupKey, keys: readonly string[], params: SqlParams): string[] {
  if (key.column === undefined || keys.length === 0 || keys.includes(UNKNOWN_KEY)) return [];
  return [`${key.column} = ANY(${params.add([...keys], 'text[]')})`];
}

const known = (expression: string): string => `coalesce(${expression}, '')`;
/** The row's conversation, for the agent name (which only the conversation span carries). */
const conversationJoin = (alias: string): string => `LEFT JOIN conversations gc ON gc.conversation_id = ${alias}.conversation_id`;

/**
 * The key of an `llm_calls` row aliased `l`. The model is the one that answered, else the one
 * requested: the key of the LLM rollups (llm_hourly, llm_daily) and of the overview's top
 * models, so a model name means the same calls in every answer. A failed call has no response
 * model and falls under the model it asked for.
 */
export function callGroupKey(groupBy: GroupBy): GroupKey {
  switch (groupBy) {
    case 'model':
      return { expression: known('coalesce(l.response_model, l.request_model)'), join: '' };
    case 'provider':
      return { expression: known('l.provider'), join: '' };
    case 'call_type':
      return { expression: known('l.call_type'), join: '' };
    case 'function':
      return { expression: known('l.function_name'), join: '', column: 'l.function_name' };
    case 'user':
      return { expression: known('l.user_id'), join: '', column: 'l.user_id' };
    case 'session':
      return { expression: known('l.session_id'), join: '', column: 'l.session_id' };
    case 'agent':
      return { expression: known('gc.agent_name'), join: conversationJoin('l') };
  }
}

/** The key of a turn (`traces` aliased `t`) for the keys a turn has; undefined for call-level keys. */
export function turnGroupKey(groupBy: GroupBy): GroupKey | undefined {
  switch (groupBy) {
    case 'user':
      return { expression: known('t.user_id'), join: '' };
    case 'session':
      return { expression: known('t.session_id'), join: '' };
    case 'agent':
      return { expression: known('gc.agent_name'), join: conversationJoin('t') };
    default:
      return undefined;
  }
}

/** The key of a step (aliased `s`, STT, TTS and other priced steps) for provider and model; undefined otherwise. */
export function stepGroupKey(groupBy: GroupBy): GroupKey | undefined {
  switch (groupBy) {
    case 'provider':
      return { expression: known('s.provider'), join: '' };
    case 'model':
      return { expression: known('s.model'), join: '' };
    default:
      return undefined;
  }
}
