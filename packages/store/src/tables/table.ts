// The table contract's building blocks: a column is its SQL name, type and nullability, a table
// its name, columns and key. Each table is specified once (tables/*.ts, kept in step with
// migrations/ by test/tables.test.ts); select lists, row readers (read-row.ts) and the write
// side's bulk columns are derived from the specs, so a column's name is spelled in one place.

/** Postgres types of convotel's columns. */
export type SqlType =
  | 'text'
  | 'integer'
  | 'bigint'
  | 'double precision'
  | 'numeric'
  | 'boolean'
  | 'jsonb'
  | 'timestamptz'
  | 'integer[]'
  | 'bigint[]'
  | 'double precision[]';

/** A column of a table or view. Interpolated into a template string it is its name, so SQL reads as SQL. */
export interface Column<T extends SqlType = SqlType> {
  /** Its name in SQL. */
  readonly name: string;
  readonly type: T;
  /** False for `NOT NULL` columns (view columns are nullable). */
  readonly isNullable: boolean;
  toString(): string;
}

/** Columns by the name code uses for them (camelCase). */
export type Columns = Readonly<Record<string, Column>>;

/** A table or view: its name, columns and primary key. Interpolated into a template string it is its name. */
export interface Table<C extends Columns = Columns> {
  readonly name: string;
  readonly kind: 'table' | 'view';
  readonly columns: C;
  /** Primary key columns in order (the conflict key of idempotent inserts); empty for a view. */
  readonly key: readonly Column[];
  /**
   * The time column of a table partitioned by range of it (docs/scaling-partitioning.md); it
   * ends the key, and the key's other columns identify a row on their own.
   */
  readonly partitionedBy: Column | undefined;
  toString(): string;
}

/** A column of `name` and `type`, nullable unless `'not null'`. */
export function column<T extends SqlType>(name: string, type: T, nullability: 'null' | 'not null' = 'null'): Column<T> {
  return Object.freeze({ name, type, isNullable: nullability === 'null', toString: () => name });
}

/** A table with primary key `key` (keys of `columns`), partitioned by range of `partitionedBy` (the key's last column) if given. */
export function table<C extends Columns>(name: string, columns: C, key: readonly (keyof C & string)[], partitionedBy?: keyof C & string): Table<C> {
  if (partitionedBy !== undefined && key.at(-1) !== partitionedBy) throw new Error(`${name}: the partition column must end the key`);
  return Object.freeze({
    name,
    kind: 'table',
    columns: Object.freeze(columns),
    key: key.map((k) => columns[k] as Column),
    partitionedBy: partitionedBy === undefined ? undefined : (columns[partitionedBy] as Column),
    toString: () => name,
  });
}

/** The columns that identify a row of `table`: its key without the partition column. */
export function identityOf(table: Table): readonly Column[] {
  return table.partitionedBy === undefined ? table.key : table.key.filter((column) => column !== table.partitionedBy);
}

/** A view (read side only): its columns, usually those of the table it shows. */
export function view<C extends Columns>(name: string, columns: C): Table<C> {
  return Object.freeze({ name, kind: 'view', columns: Object.freeze(columns), key: [], partitionedBy: undefined, toString: () => name });
}

/** The same column, nullable: what a view shows of a table's column. */
export function asNullable<T extends SqlType>(source: Column<T>): Column<T> {
  return column(source.name, source.type);
}
