// The rates of GET /errors (steps by name, LLM calls by model: totals and failures) and their
// raw source; error-rollup-sources.ts reads the same from rollups over long windows.
import { LLM_CALLS } from '@convotel/store';
import type { SqlClient } from '../db.js';
import { scopeConditions, type Scope } from '../scope.js';
import { SqlParams, whereClause } from '../sql.js';
import { ratio, toNumber } from '../values.js';
import { keyOrNull } from './group-keys.js';

export interface StepErrorRate {
  readonly step: string;
  readonly total: number;
  readonly failures: number;
  readonly error_rate: number;
}

export interface ModelErrorRate {
  /**
   * The answering model, else the requested one (a failed call has no answering model), as
   * everywhere else (overview top_models, rollups); null when the calls name none.
   */
  readonly model: string | null;
  readonly total: number;
  readonly failures: number;
  readonly error_rate: number;
}

/** A rate list, cut at the row bound. */
export interface RateList<T> {
  readonly items: T[];
  readonly isCut: boolean;
}

/** Where the rates of /errors come from (raw rows by default). */
export interface ErrorAnalysisSources {
  /** Steps by name, most failures first, at most `bound`. */
  readonly stepRates: (sql: SqlClient, scope: Scope, bound: number) => Promise<RateList<StepErrorRate>>;
  /** LLM calls by model, most failures first, at most `bound`. */
  readonly modelRates: (sql: SqlClient, scope: Scope, bound: number) => Promise<RateList<ModelErrorRate>>;
}

const L = LLM_CALLS.columns;

/** The model key of an `llm_calls` row aliased `l`, as llm_hourly keys it: the answering model, else the requested one. */
export const CALL_MODEL_KEY = `coalesce(l.${L.responseModel}, l.${L.requestModel}, '')`;

/** Rows `{key, total, failures}` (most failures first) as rates, cut at `bound`. */
export function toRates<T>(rows: readonly Record<string, unknown>[], bound: number, toItem: (key: unknown, total: number, failures: number) => T): RateList<T> {
  const items = rows.slice(0, bound).map((row) => {
    const total = toNumber(row['total']);
    const failures = toNumber(row['failures']);
    return toItem(row['key'], total, failures);
  });
  return { items, isCut: rows.length > bound };
}

export const toStepRate = (key: unknown, total: number, failures: number): StepErrorRate => ({ step: String(key), total, failures, error_rate: ratio(failures, total) });
export const toModelRate = (key: unknown, total: number, failures: number): ModelErrorRate => ({ model: keyOrNull(key), total, failures, error_rate: ratio(failures, total) });

const rawStepRates: ErrorAnalysisSources['stepRates'] = async (sql, scope, bound) => {
  const params = new SqlParams();
  const { rows } = await sql.query(
    `SELECT s.name AS key, count(*) AS total, count(*) FILTER (WHERE s.status = 'error') AS failures
       FROM steps s ${whereClause(scopeConditions('steps', 's', scope, params))}
      GROUP BY s.name ORDER BY failures DESC, total DESC, s.name COLLATE "C" LIMIT ${params.add(bound + 1, 'integer')}`,
    params.values,
  );
  return toRates(rows, bound, toStepRate);
};

const rawModelRates: ErrorAnalysisSources['modelRates'] = async (sql, scope, bound) => {
  const params = new SqlParams();
  const { rows } = await sql.query(
    `SELECT ${CALL_MODEL_KEY} AS key, count(*) AS total, count(*) FILTER (WHERE l.status = 'error') AS failures
       FROM llm_calls l ${whereClause(scopeConditions('llm_calls', 'l', scope, params))}
      GROUP BY 1 ORDER BY failures DESC, total DESC, ${CALL_MODEL_KEY} COLLATE "C" LIMIT ${params.add(bound + 1, 'integer')}`,
    params.values,
  );
  return toRates(rows, bound, toModelRate);
};

/** Error rates from raw rows (exact). */
export const RAW_ERROR_ANALYSIS_SOURCES: ErrorAnalysisSources = { stepRates: rawStepRates, modelRates: rawModelRates };
