// Filters → parameterized SQL conditions, per table. A filter is applied where it means
// something: directly on the table's own column, else through the row's conversation
// (agent, channel on a call) or through the conversation's or turn's LLM calls (model on a
// conversation: "has a call of that model"). The column each filter reads is spelled here only.
import { QueryParameterError } from './errors.js';
import type { SqlParams } from './sql.js';

/** Filters by name, as the API spells them. */
export const FILTER_NAMES = [
  'service',
  'agent',
  'channel',
  'user',
  'session',
  'model',
  'provider',
  'call_type',
  'function',
  'status',
  'tag',
] as const;
export type FilterName = (typeof FILTER_NAMES)[number];

/** Equality filters, plus `attr`: call attributes or conversation metadata `key = value`. */
export type Filters = { readonly [K in FilterName]?: string | undefined } & {
  /** `attr.<key>=<value>`: a call attribute or a conversation metadata entry equal to value (as text). */
  readonly attr?: Readonly<Record<string, string>> | undefined;
};

/** Tables a question can filter. */
export type FilterSubject = 'conversations' | 'turns' | 'llm_calls' | 'steps' | 'sql_queries' | 'events';

/** Builds one condition from the row alias and the value's placeholder. */
type ConditionOf = (alias: string, value: string) => string;

/** LLM calls that count (a call seen by two instrumentation layers counts once). */
const COUNTED_CALL = `billing <> 'duplicate'`;

const column = (name: string): ConditionOf => (a, v) => `${a}.${name} = ${v}`;
/** The row's conversation satisfies `condition` (c2 is the conversation). */
const viaConversation = (condition: ConditionOf): ConditionOf => (a, v) =>
  `${a}.conversation_id IN (SELECT c2.conversation_id FROM conversations c2 WHERE ${condition('c2', v)})`;
/** The row has a counted LLM call (x) satisfying `condition`, joined on `link`. */
const viaCalls = (link: 'conversation_id' | 'trace_id', condition: ConditionOf): ConditionOf => (a, v) =>
  `EXISTS (SELECT 1 FROM llm_calls x WHERE x.${link} = ${a}.${link} AND x.${COUNTED_CALL} AND ${condition('x', v)})`;

// Conditions on one llm_calls row (alias x or l).
const callModel: ConditionOf = (a, v) => `(${a}.response_model = ${v} OR ${a}.request_model = ${v})`;
const callTag: ConditionOf = (a, v) => `${a}.tags @> jsonb_build_array(${v}::text)`;

const CONVERSATION_LEVEL = {
  service: 'service_name',
  agent: 'agent_name',
  channel: 'channel',
  user: 'user_id',
  session: 'session_id',
} as const;
const CALL_LEVEL: Readonly<Record<'model' | 'provider' | 'call_type' | 'function' | 'tag', ConditionOf>> = {
  model: callModel,
  provider: column('provider'),
  call_type: column('call_type'),
  function: column('function_name'),
  tag: callTag,
};

function callLevelVia(link: 'conversation_id' | 'trace_id'): Record<keyof typeof CALL_LEVEL, ConditionOf> {
  return {
    model: viaCalls(link, CALL_LEVEL.model),
    provider: viaCalls(link, CALL_LEVEL.provider),
    call_type: viaCalls(link, CALL_LEVEL.call_type),
    function: viaCalls(link, CALL_LEVEL.function),
    tag: viaCalls(link, CALL_LEVEL.tag),
  };
}

const FILTER_SQL: Readonly<Record<FilterSubject, Partial<Record<FilterName, ConditionOf>>>> = {
  conversations: {
    service: column(CONVERSATION_LEVEL.service),
    agent: column(CONVERSATION_LEVEL.agent),
    channel: column(CONVERSATION_LEVEL.channel),
    user: column(CONVERSATION_LEVEL.user),
    session: column(CONVERSATION_LEVEL.session),
    status: column('status'),
    ...callLevelVia('conversation_id'),
  },
  turns: {
    service: column('service_name'),
    agent: viaConversation(column(CONVERSATION_LEVEL.agent)),
    channel: viaConversation(column(CONVERSATION_LEVEL.channel)),
    user: column('user_id'),
    session: column('session_id'),
    status: column('status'),
    ...callLevelVia('trace_id'),
  },
  llm_calls: {
    service: column('service_name'),
    agent: viaConversation(column(CONVERSATION_LEVEL.agent)),
    channel: viaConversation(column(CONVERSATION_LEVEL.channel)),
    user: column('user_id'),
    session: column('session_id'),
    status: column('status'),
    ...CALL_LEVEL,
  },
  steps: {
    service: column('service_name'),
    agent: viaConversation(column(CONVERSATION_LEVEL.agent)),
    channel: viaConversation(column(CONVERSATION_LEVEL.channel)),
    user: viaConversation(column(CONVERSATION_LEVEL.user)),
    session: viaConversation(column(CONVERSATION_LEVEL.session)),
    status: column('status'),
    model: column('model'),
    provider: column('provider'),
  },
  sql_queries: {
    service: column('service_name'),
    agent: viaConversation(column(CONVERSATION_LEVEL.agent)),
    channel: viaConversation(column(CONVERSATION_LEVEL.channel)),
    user: viaConversation(column(CONVERSATION_LEVEL.user)),
    session: viaConversation(column(CONVERSATION_LEVEL.session)),
    status: column('status'),
  },
  events: {
    service: column('service_name'),
    agent: viaConversation(column(CONVERSATION_LEVEL.agent)),
    channel: viaConversation(column(CONVERSATION_LEVEL.channel)),
    user: viaConversation(column(CONVERSATION_LEVEL.user)),
    session: viaConversation(column(CONVERSATION_LEVEL.session)),
  },
};

/** The filters that mean something on `subject` (the API accepts only these). */
export function filtersOf(subject: FilterSubject): readonly FilterName[] {
  return FILTER_NAMES.filter((name) => FILTER_SQL[subject][name] !== undefined);
}

/** Whether `attr.<key>` filters apply to `subject`. */
export function hasAttrFilter(subject: FilterSubject): boolean {
  return subject !== 'events';
}

/**
 * Whether every filter in `filters` applies to `subject`. A question over several tables leaves
 * out a table some filter does not apply to: no SQL span has a model, so `model=` keeps none.
 */
export function appliesTo(subject: FilterSubject, filters: Filters): boolean {
  const names = filtersOf(subject);
  const isAttrSet = Object.keys(filters.attr ?? {}).length > 0;
  return FILTER_NAMES.every((name) => filters[name] === undefined || names.includes(name)) && (!isAttrSet || hasAttrFilter(subject));
}

/** `key = value` on conversation metadata (c2) or on a counted call's attributes (x). */
function attrCondition(subject: FilterSubject, alias: string, key: string, value: string): string {
  const metadata = `${alias}.conversation_id IN (SELECT c2.conversation_id FROM conversations c2 WHERE c2.metadata ->> ${key} = ${value})`;
  const ownMetadata = `${alias}.metadata ->> ${key} = ${value}`;
  switch (subject) {
    case 'conversations':
      return `(${ownMetadata} OR ${viaCalls('conversation_id', (a) => `${a}.attributes ->> ${key} = ${value}`)(alias, value)})`;
    case 'turns':
      return `(${metadata} OR ${viaCalls('trace_id', (a) => `${a}.attributes ->> ${key} = ${value}`)(alias, value)})`;
    case 'llm_calls':
    case 'steps':
      return `(${metadata} OR ${alias}.attributes ->> ${key} = ${value})`;
    case 'sql_queries':
      // SQL spans keep no attributes: only the conversation's metadata can match.
      return metadata;
    case 'events':
      throw new QueryParameterError('attr', 'attr filters do not apply to events');
  }
}

/**
 * The conditions `filters` put on rows of `subject` aliased `alias`; values go into `params`.
 * Throws {@link QueryParameterError} for a filter that does not apply to the subject.
 */
export function filterConditions(subject: FilterSubject, alias: string, filters: Filters, params: SqlParams): string[] {
  const conditions: string[] = [];
  for (const name of FILTER_NAMES) {
    const value = filters[name];
    if (value === undefined) continue;
    const condition = FILTER_SQL[subject][name];
    if (condition === undefined) throw new QueryParameterError(name, `the ${name} filter does not apply to ${subject}`);
    conditions.push(condition(alias, params.add(value, 'text')));
  }
  for (const [key, value] of Object.entries(filters.attr ?? {})) {
    conditions.push(attrCondition(subject, alias, params.add(key, 'text'), params.add(value, 'text')));
  }
  return conditions;
}
