// The rollups GET /costs reads over days (migration 0009): spend by UTC hour and day for each
// key of each of its dimensions, and each conversation's first and last row under each key, from
// which a window's distinct conversations of a key are counted.
import { column, table } from './table.js';

/** The dimensions of the cost rollups: GET /costs' `by`. */
export const COST_DIMENSIONS = ['user', 'session', 'agent', 'model', 'provider', 'call_type', 'function'] as const;
export type CostDimension = (typeof COST_DIMENSIONS)[number];

const COST_KEY = {
  /** One of {@link COST_DIMENSIONS}. */
  dimension: column('dimension', 'text', 'not null'),
  /** The user id, model, …; `''` where the rows carry none. */
  key: column('key', 'text', 'not null'),
} as const;

/** What a cost rollup row measures (turns for user, session and agent; counted LLM calls and priced steps otherwise). */
const COST_MEASURES = {
  /** Turns, calls and steps summed (a row emptied by a move is dropped). */
  rows: column('rows', 'bigint', 'not null'),
  costUsd: column('cost_usd', 'numeric', 'not null'),
  llmCostUsd: column('llm_cost_usd', 'numeric', 'not null'),
  sttCostUsd: column('stt_cost_usd', 'numeric', 'not null'),
  ttsCostUsd: column('tts_cost_usd', 'numeric', 'not null'),
  otherCostUsd: column('other_cost_usd', 'numeric', 'not null'),
  /** LLM calls. */
  calls: column('calls', 'bigint', 'not null'),
  inputTokens: column('input_tokens', 'bigint', 'not null'),
  outputTokens: column('output_tokens', 'bigint', 'not null'),
  /** conversation_keys rows of the key whose first_at falls in the hour (day): a window's conversations are those begun before its end less those ended before its start. */
  conversationsStarted: column('conversations_started', 'bigint', 'not null'),
  /** conversation_keys rows of the key whose last_at falls in the hour (day). */
  conversationsEnded: column('conversations_ended', 'bigint', 'not null'),
} as const;

/** `cost_hourly`: spend by UTC hour, dimension and key. */
export const COST_HOURLY = table('cost_hourly', { hour: column('hour', 'timestamptz', 'not null'), ...COST_KEY, ...COST_MEASURES }, ['hour', 'dimension', 'key']);

/** `cost_daily`: `cost_hourly` by UTC day. */
export const COST_DAILY = table('cost_daily', { day: column('day', 'timestamptz', 'not null'), ...COST_KEY, ...COST_MEASURES }, ['day', 'dimension', 'key']);

/** `conversation_keys`: per conversation, dimension and key, the first and last time a cost row of that key was seen, and how many there are. */
export const CONVERSATION_KEYS = table(
  'conversation_keys',
  {
    conversationId: column('conversation_id', 'text', 'not null'),
    ...COST_KEY,
    /** Cost rows of the key in the conversation: a row leaving it is a decrement, and the row is dropped at 0. */
    rows: column('rows', 'bigint', 'not null'),
    firstAt: column('first_at', 'timestamptz', 'not null'),
    lastAt: column('last_at', 'timestamptz', 'not null'),
  },
  ['conversationId', 'dimension', 'key'],
);
