// The ceiling: the very rows the ingest committed, loaded again with plain COPY FROM STDIN
// into empty copies of the same tables (same columns, keys and indexes), one stream.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';

/** Tables the ingest writes. */
const TABLES = ['conversations', 'traces', 'llm_calls', 'steps', 'db_queries', 'events', 'llm_hourly', 'step_hourly'];

/**
 * Reads every row of the ingest's tables (COPY TO, text format), creates `bench_copy.<table>`
 * LIKE each one INCLUDING ALL, and times loading the rows there with COPY FROM STDIN, `runCount`
 * times over (fresh tables each time); `seconds` is the median load.
 */
export async function runCopyBaseline(databaseUrl, runCount = 3) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
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
    // Several loads, the median kept: one load takes a few seconds, and a checkpoint or an
    // autovacuum of the tables the ingest just filled can slow any single one.
    const runs = [];
    for (let run = 0; run < runCount; run += 1) {
      await client.query('DROP SCHEMA IF EXISTS bench_copy CASCADE; CREATE SCHEMA bench_copy');
      for (const { table } of dumps) await client.query(`CREATE TABLE bench_copy.${table} (LIKE public.${table} INCLUDING ALL)`);
      await client.query('CHECKPOINT');
      const startedAt = performance.now();
      for (const { table, chunks } of dumps) {
        await pipeline(Readable.from(chunks), client.query(copyStreams.from(`COPY bench_copy.${table} FROM STDIN`)));
      }
      runs.push((performance.now() - startedAt) / 1000);
    }
    await client.query('DROP SCHEMA bench_copy CASCADE');
    const seconds = [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)];
    return {
      seconds,
      runs,
      rows: dumps.reduce((sum, dump) => sum + dump.rows, 0),
      bytes: dumps.reduce((sum, dump) => sum + dump.bytes, 0),
      tables: Object.fromEntries(dumps.map((dump) => [dump.table, dump.rows])),
    };
  } finally {
    await client.end();
  }
}

function countNewlines(chunk) {
  let count = 0;
  for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) count += 1;
  return count;
}
