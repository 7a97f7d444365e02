// Runs an app of test/e2e as a user runs it — `node --import @convotel/instrumentation/register`,
// the SDK's default OTLP/protobuf export, flush at exit — against a real ingest on a fresh
// PostgreSQL database, once for the test file; `rows` queries what it stored.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, expect } from 'vitest';
import { serveIngest, type RunningIngest } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from './db.js';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('../../', import.meta.url));

/** Runs `app` (a file URL) with the service name before the file's tests; the app prints `app done` when it finished. */
export function useInstrumentedApp(app: URL, serviceName: string): { rows<T = Record<string, unknown>>(sql: string): Promise<T[]> } {
  let database: TestDatabase;
  let ingest: RunningIngest;
  let client: pg.Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    ingest = await serveIngest({ env: { DATABASE_URL: database.url, CONVOTEL_OTLP_PORT: '0', CONVOTEL_OTLP_HOST: '127.0.0.1' } });
    const { stdout } = await run(process.execPath, ['--import', '@convotel/instrumentation/register', fileURLToPath(app)], {
      cwd: packageDir,
      env: { PATH: process.env.PATH, OTEL_SERVICE_NAME: serviceName, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${ingest.port}` },
      timeout: 30_000,
    });
    expect(stdout).toContain('app done');
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await ingest?.close();
    await database?.drop();
  });
  return { rows: async <T>(sql: string) => (await client.query(sql)).rows as T[] };
}
