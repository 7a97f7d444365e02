// Which rows of a table a question covers: those in the time window that pass the filters.
// The time column of each table, and what counts as a row (turns are the traces of a
// conversation; a call seen by two instrumentation layers is one call), are spelled here.
import { filterConditions, type FilterSubject, type Filters } from './filters.js';
import type { SqlParams } from './sql.js';
import type { TimeWindow } from './window.js';

/** The time a row is placed at in a window. */
export const TIME_COLUMN: Readonly<Record<FilterSubject, string>> = {
  conversations: 'coalesce(%.started_at, %.first_seen_at)',
  turns: '%.started_at',
  llm_calls: '%.started_at',
  steps: '%.started_at',
  sql_queries: '%.started_at',
  events: '%.time',
};

/** Rows of the table that are rows of the subject at all. */
const MEMBERSHIP: Readonly<Record<FilterSubject, string | undefined>> = {
  conversations: undefined,
  turns: '%.conversation_id IS NOT NULL',
  llm_calls: `%.billing <> 'duplicate'`,
  steps: undefined,
  sql_queries: undefined,
  events: undefined,
};

/** The table each subject reads. */
export const SUBJECT_TABLE: Readonly<Record<FilterSubject, string>> = {
  conversations: 'conversations',
  // The view of every turn: a trace that is its turn, or a turn span inside a call-long trace.
  turns: 'turns',
  llm_calls: 'llm_calls',
  steps: 'steps',
  sql_queries: 'db_queries',
  events: 'events',
};

/** `TIME_COLUMN` of the subject for rows aliased `alias`. */
export function timeOf(subject: FilterSubject, alias: string): string {
  return TIME_COLUMN[subject].replaceAll('%', alias);
}

/** What a window question is asked about. */
export interface Scope {
  readonly window: TimeWindow;
  readonly filters: Filters;
}

/** Membership, window and filter conditions on `subject` rows aliased `alias`. */
export function scopeConditions(subject: FilterSubject, alias: string, scope: Scope, params: SqlParams): string[] {
  const membership = MEMBERSHIP[subject];
  const time = timeOf(subject, alias);
  return [
    ...(membership === undefined ? [] : [membership.replaceAll('%', alias)]),
    `${time} >= ${params.add(scope.window.from.toISOString(), 'timestamptz')}`,
    `${time} < ${params.add(scope.window.to.toISOString(), 'timestamptz')}`,
    ...filterConditions(subject, alias, scope.filters, params),
  ];
}
