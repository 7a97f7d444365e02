// The table contract against the schema the migrations create: the same tables and views, the
// same columns with the same types and nullability, the same primary keys, and the latency
// bucket bounds the rollups count by in `histogram_bounds`.
import { describe, expect, it } from 'vitest';
import { HISTOGRAM_BOUNDS, LATENCY_BUCKET_BOUNDS_MS, LATENCY_HISTOGRAM } from '../src/tables/histogram-bounds.js';
import { TABLES, VIEWS } from '../src/tables/schema.js';
import type { SqlType, Table } from '../src/tables/table.js';
import { queryRows, STORE_KINDS, useEmptiedStore } from './helpers/db.js';

/** A spec type as information_schema.columns spells it (data_type, or udt_name for arrays). */
const INFORMATION_SCHEMA_TYPE: Readonly<Record<SqlType, string>> = {
  text: 'text',
  integer: 'integer',
  bigint: 'bigint',
  'double precision': 'double precision',
  numeric: 'numeric',
  boolean: 'boolean',
  jsonb: 'jsonb',
  timestamptz: 'timestamp with time zone',
  'integer[]': '_int4',
  'bigint[]': '_int8',
  'double precision[]': '_float8',
};

interface SchemaColumn {
  readonly name: string;
  readonly type: string;
  readonly isNullable: boolean;
}

function specColumns(spec: Table): SchemaColumn[] {
  return Object.values(spec.columns)
    .map((column) => ({ name: column.name, type: INFORMATION_SCHEMA_TYPE[column.type], isNullable: column.isNullable }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

describe.each(STORE_KINDS)('the table contract (%s)', (kind) => {
  const db = useEmptiedStore(kind);

  it('names every table and view of the schema', async () => {
    const rows = await queryRows<{ table_name: string; table_type: string }>(
      db.store,
      // A partition is a table of its own to information_schema: its parent stands for it.
      `SELECT t.table_name, t.table_type FROM information_schema.tables t
         JOIN pg_class c ON c.relname = t.table_name AND c.relnamespace = to_regnamespace(t.table_schema)
        WHERE t.table_schema = current_schema() AND t.table_name <> 'schema_migrations' AND NOT c.relispartition ORDER BY t.table_name`,
    );
    const specs = [...TABLES.map((spec) => ({ table_name: spec.name, table_type: 'BASE TABLE' })), ...VIEWS.map((spec) => ({ table_name: spec.name, table_type: 'VIEW' }))];
    expect(rows).toEqual(specs.sort((a, b) => a.table_name.localeCompare(b.table_name)));
  });

  it.each([...TABLES, ...VIEWS].map((spec) => [spec.name, spec] as const))('has the columns of %s with their types and nullability', async (_, spec) => {
    const rows = await queryRows<{ column_name: string; data_type: string; udt_name: string; is_nullable: string }>(
      db.store,
      `SELECT column_name, data_type, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
      [spec.name],
    );
    const schema = rows
      .map((row) => ({ name: row.column_name, type: row.data_type === 'ARRAY' ? row.udt_name : row.data_type, isNullable: row.is_nullable === 'YES' }))
      .sort((a, b) => a.name.localeCompare(b.name));
    // A view's columns are all nullable to information_schema: only names and types are compared.
    const withoutNulls = (columns: SchemaColumn[]) => columns.map(({ name, type }) => ({ name, type }));
    if (spec.kind === 'view') expect(withoutNulls(schema)).toEqual(withoutNulls(specColumns(spec)));
    else expect(schema).toEqual(specColumns(spec));
  });

  it.each(TABLES.map((spec) => [spec.name, spec] as const))('has the primary key of %s', async (_, spec) => {
    const rows = await queryRows<{ column_name: string }>(
      db.store,
      `SELECT k.column_name FROM information_schema.table_constraints c
         JOIN information_schema.key_column_usage k ON k.constraint_name = c.constraint_name AND k.table_name = c.table_name
       WHERE c.table_schema = current_schema() AND c.table_name = $1 AND c.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position`,
      [spec.name],
    );
    expect(rows.map((row) => row.column_name)).toEqual(spec.key.map((column) => column.name));
  });

  it("has the schema's histogram_bounds row for 'latency' equal to the bounds the rollups count by", async () => {
    const [row] = await queryRows<Record<string, number[]>>(
      db.store,
      `SELECT ${HISTOGRAM_BOUNDS.columns.boundsMs} AS bounds FROM ${HISTOGRAM_BOUNDS} WHERE ${HISTOGRAM_BOUNDS.columns.name} = $1`,
      [LATENCY_HISTOGRAM],
    );
    expect(row?.['bounds']?.map(Number)).toEqual([...LATENCY_BUCKET_BOUNDS_MS]);
  });
});
