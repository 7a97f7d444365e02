// Every row of every table of a database, found from the catalog rather than a list of names (a
// table added, or a table turned into partitions, is compared without changing the test), and
// the rows two databases do not share.
import pg from 'pg';

/** Columns whose value is the time of the write, not a function of the data: left out of the comparison. */
export const WRITE_TIME_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  schema_migrations: ['applied_at'],
};

/** Table name → its rows as JSON text (write-time columns removed), sorted. */
export type TableRows = Record<string, string[]>;

/**
 * Reads every ordinary or partitioned table of the `public` schema (a partitioned table's rows
 * once, through its parent; the partitions themselves are not listed).
 */
export async function readAllRows(databaseUrl: string): Promise<TableRows> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT c.relname AS name
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        ORDER BY c.relname`,
    );
    const result: TableRows = {};
    for (const { name } of tables) {
      const excluded = WRITE_TIME_COLUMNS[name] ?? [];
      const { rows } = await client.query<{ row: string }>(
        `SELECT (to_jsonb(t) - $1::text[])::text AS row FROM ${pg.escapeIdentifier(name)} t`,
        [excluded],
      );
      // Sorted as JS strings, so the order does not depend on the database's collation.
      result[name] = rows.map((row) => row.row).sort();
    }
    return result;
  } finally {
    await client.end();
  }
}

/** How one table differs between two databases: row counts, and examples of the rows not shared. */
export interface TableDifference {
  readonly left: number;
  readonly right: number;
  /** A few rows only the left has, and a few only the right has (with repeats counted). */
  readonly onlyLeft: readonly string[];
  readonly onlyRight: readonly string[];
}

/** Tables whose rows differ (as multisets), with examples; {} when the databases hold the same rows. */
export function diffRows(left: TableRows, right: TableRows, examples = 3): Record<string, TableDifference> {
  const differences: Record<string, TableDifference> = {};
  for (const name of [...new Set([...Object.keys(left), ...Object.keys(right)])].sort()) {
    const a = left[name] ?? [];
    const b = right[name] ?? [];
    const counts = new Map<string, number>();
    for (const row of a) counts.set(row, (counts.get(row) ?? 0) + 1);
    for (const row of b) counts.set(row, (counts.get(row) ?? 0) - 1);
    const onlyLeft: string[] = [];
    const onlyRight: string[] = [];
    for (const [row, count] of counts) {
      for (let i = 0; i < Math.abs(count); i += 1) (count > 0 ? onlyLeft : onlyRight).push(row);
    }
    if (onlyLeft.length > 0 || onlyRight.length > 0 || !(name in left) || !(name in right)) {
      differences[name] = { left: a.length, right: b.length, onlyLeft: onlyLeft.slice(0, examples), onlyRight: onlyRight.slice(0, examples) };
    }
  }
  return differences;
}
