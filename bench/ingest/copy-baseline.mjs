// The ceiling: the very rows the ingest committed, loaded again with plain COPY FROM STDIN
// into empty copies of the same tables (same columns, keys and indexes), one stream.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { readCpuSeconds } from './proc.mjs';

/** Tables the ingest writes. */
const TABLES = ['conversations', 'traces', 'llm_calls', 'steps', 'db_queries', 'events', 'llm_hourly', 'step_hourly'];

/**
 * Reads every row of the ingest's tables (COPY TO, text format), creates `bench_copy.<table>`
 * LIKE each one INCLUDING ALL, and times one load of the rows there with COPY FROM STDIN.
 * Returns the load's seconds, the CPU seconds of this process (the loader) and of its
 * PostgreSQL backend during the load, and the rows loaded per table.
 */
export async function runCopyBaseline(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'convotel-bench-copy' });
  await client.connect();
  try {
    const dumps = await dumpTables(client);
    const backendPid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    await client.query('DROP SCHEMA IF EXISTS bench_copy CASCADE; CREATE SCHEMA bench_copy');
    for (const { table } of dumps) await client.query(`CREATE TABLE bench_copy.${table} (LIKE public.${table} INCLUDING ALL)`);
    // As before each ingest run: the dirty pages of earlier work are written out first.
    await client.query('CHECKPOINT');
    const backend0 = readCpuSeconds(backendPid);
    const loader0 = process.cpuUsage();
    const startedAt = performance.now();
    for (const { table, chunks } of dumps) {
      await pipeline(Readable.from(chunks), client.query(copyStreams.from(`COPY bench_copy.${table} FROM STDIN`)));
    }
    const seconds = (performance.now() - startedAt) / 1000;
    const loader = process.cpuUsage(loader0);
    const backendCpuSeconds = readCpuSeconds(backendPid) - backend0;
    await client.query('DROP SCHEMA bench_copy CASCADE');
    return {
      seconds,
      loaderCpuSeconds: (loader.user + loader.system) / 1e6,
      backendCpuSeconds,
      rows: dumps.reduce((sum, dump) => sum + dump.rows, 0),
      bytes: dumps.reduce((sum, dump) => sum + dump.bytes, 0),
      tables: Object.fromEntries(dumps.map((dump) => [dump.table, dump.rows])),
    };
  } finally {
    await client.end();
  }
}

/** Every row of the ingest's tables as COPY text chunks, per non-empty table. */
async function dumpTables(client) {
  const dumps = [];
  for (const table of TABLES) {
    const chunks = [];
    await pipeline(
      client.query(copyStreams.to(`COPY (SELECT * FROM public.${table}) TO STDOUT`)),
      new Writable({
        write(chunk, _encoding, done) {
          chunks.push(chunk);
          done();
        },
      }),
    );
    const rows = chunks.reduce((count, chunk) => count + countNewlines(chunk), 0);
    if (rows > 0) dumps.push({ table, chunks, rows, bytes: chunks.reduce((sum, chunk) => sum + chunk.length, 0) });
  }
  return dumps;
}

function countNewlines(chunk) {
  let count = 0;
  for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) count += 1;
  return count;
}
