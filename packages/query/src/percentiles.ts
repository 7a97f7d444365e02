// Exact percentiles over raw rows: PostgreSQL's percentile_cont (linear interpolation between
// the closest ranks), per group. Exact and fine for short windows; a rollup source (fine
// log-linear histograms) replaces a caller's percentile function for long ones.
import type { SqlClient } from './db.js';
import { SqlParams, whereClause } from './sql.js';
import { toNumberOrNull } from './values.js';

/** Where the samples of a grouped percentile are. */
export interface GroupedSamples {
  /** FROM clause: table, alias and joins (constants of the caller, never input). */
  readonly from: string;
  /** Text expression of the group key (never NULL: coalesce it). */
  readonly key: string;
  /** The sampled value (NULL samples are skipped). */
  readonly value: string;
  /** Conditions on the rows; their values go into `params`. */
  conditions(params: SqlParams): string[];
}

/** SQL of `percentile_cont` of `value` at each of `fractions`, as one float8[] (NULL samples skipped). */
export function percentileContSql(params: SqlParams, fractions: readonly number[], value: string): string {
  return `percentile_cont(${params.add([...fractions], 'float8[]')}) WITHIN GROUP (ORDER BY ${value})`;
}

/** The values of a float8[] read by {@link percentileContSql}, one per fraction (nulls without samples). */
export function toPercentileValues(value: unknown, count: number): (number | null)[] {
  return Array.from({ length: count }, (_, i) => (Array.isArray(value) ? toNumberOrNull(value[i]) : null));
}

/**
 * `percentile_cont` of `samples.value` at each of `fractions`, for each of `keys` (one
 * statement). A key without samples maps to nulls; keys not asked for are not read.
 */
export async function exactPercentilesByKey(
  sql: SqlClient,
  samples: GroupedSamples,
  keys: readonly string[],
  fractions: readonly number[],
): Promise<Map<string, (number | null)[]>> {
  const result = new Map<string, (number | null)[]>(keys.map((key) => [key, fractions.map(() => null)]));
  if (keys.length === 0) return result;
  const params = new SqlParams();
  const conditions = [...samples.conditions(params), `${samples.key} = ANY(${params.add([...keys], 'text[]')})`];
  const { rows } = await sql.query(
    `SELECT ${samples.key} AS key, ${percentileContSql(params, fractions, samples.value)} AS percentiles
       FROM ${samples.from} ${whereClause(conditions)}
      GROUP BY 1 LIMIT ${params.add(keys.length, 'integer')}`,
    params.values,
  );
  for (const row of rows) result.set(String(row['key']), toPercentileValues(row['percentiles'], fractions.length));
  return result;
}
