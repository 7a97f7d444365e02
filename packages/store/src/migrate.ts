// Numbered SQL migrations (`migrations/0001_init.sql`, …) applied in order, each recorded in
// `schema_migrations` with a checksum. Safe to run from several processes at once: the whole
// run holds a transaction-scoped advisory lock, and DDL is transactional in Postgres.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { SqlClient, Store } from './store.js';

/** The package's `migrations/` folder (next to `src/` and `dist/`). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

// Any constant works; it only has to be the same for every convotel process.
const MIGRATION_LOCK_KEY = 4_242_000_001;
const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** One migration file. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

/** What `migrate` did. */
export interface MigrateResult {
  /** Versions applied by this run, in order. */
  readonly applied: readonly number[];
  /** The schema version afterwards. */
  readonly version: number;
}

/** A migration file was changed after it was applied, or the folder is malformed. */
export class MigrationError extends Error {
  readonly code = 'CONVOTEL_MIGRATION_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** Reads `NNNN_name.sql` files, sorted by version. */
export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (match === null) throw new MigrationError(`migration file name ${file} is not NNNN_name.sql`);
    const sql = await readFile(`${dir}/${file}`, 'utf8');
    const version = Number(match[1]);
    if (migrations.some((migration) => migration.version === version)) throw new MigrationError(`two migrations have version ${version}`);
    migrations.push({ version, name: match[2] as string, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return migrations;
}

/**
 * Applies pending migrations in one transaction under an advisory lock, without time limits: a
 * migration that backfills from raw rows takes as long as the database is large (and a process
 * waiting for the lock waits as long).
 */
export async function migrate(store: Store, migrations?: readonly Migration[]): Promise<MigrateResult> {
  const all = migrations ?? (await readMigrations());
  return store.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         checksum text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const done = await appliedMigrations(tx);
    const applied: number[] = [];
    for (const migration of all) {
      const checksum = done.get(migration.version);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new MigrationError(`migration ${migration.version}_${migration.name} changed after it was applied`);
        }
        continue;
      }
      try {
        await tx.exec(migration.sql);
      } catch (error) {
        throw new MigrationError(`migration ${migration.version}_${migration.name} failed: ${(error as Error).message}`, { cause: error });
      }
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
      applied.push(migration.version);
    }
    const version = Math.max(0, ...all.map((migration) => migration.version), ...done.keys());
    return { applied, version };
  }, { isUnbounded: true });
}

/** Whether every known migration is applied (for readiness checks). */
export async function isSchemaCurrent(client: SqlClient, migrations?: readonly Migration[]): Promise<boolean> {
  const all = migrations ?? (await readMigrations());
  const { rows } = await client.query<{ exists: boolean }>(`SELECT to_regclass('schema_migrations') IS NOT NULL AS exists`);
  if (rows[0]?.exists !== true) return false;
  const done = await appliedMigrations(client);
  return all.every((migration) => done.has(migration.version));
}

async function appliedMigrations(client: SqlClient): Promise<Map<number, string>> {
  const { rows } = await client.query<{ version: number; checksum: string }>('SELECT version, checksum FROM schema_migrations');
  return new Map(rows.map((row) => [Number(row.version), row.checksum]));
}
