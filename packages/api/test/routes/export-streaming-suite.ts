// A large export streams: the client gets its first bytes while the server has not read the
// query to its end, the server goes no faster than the client reads, and a client that goes
// away stops the query. Thousands of turns with 8 KB texts (tens of MB, far more than the
// socket buffers hold) through the real SDK and ingest.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { StoreKind } from '../helpers/databases.js';
import { postTurn } from '../helpers/otlp-turn.js';
import { API_KEY, useReadSide } from '../helpers/read-side.js';
import type { PlannedConversation } from '../helpers/traffic.js';

const CONVERSATIONS = 800;
const TEXT_BYTES = 8192;
/** Rows per FETCH or page: a batch is ~1 MB here, against ~30 MB in all. */
const BATCH_ROWS = 64;

/** TEXT_BYTES of words (the SDK's e-mail redaction takes time quadratic in the length of one run of letters). */
const longText = (word: string): string => `${word} `.repeat(Math.ceil(TEXT_BYTES / (word.length + 1))).slice(0, TEXT_BYTES);

/** Long user input and agent output on every turn. */
function withLongTexts(plan: PlannedConversation[]): PlannedConversation[] {
  return plan.map((conversation) => ({
    ...conversation,
    turns: conversation.turns.map((turn, j) => ({
      ...turn,
      userInput: `${conversation.conversationId}/${j} ${longText('question')}`,
      agentOutput: `${conversation.conversationId}/${j} ${longText('answer')}`,
    })),
  }));
}

/** Resolves when `predicate` holds, polling. */
async function until(predicate: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function describeExportStreaming(kind: StoreKind): void {
  describe(`a large export (${kind})`, () => {
    const side = useReadSide(kind, {
      seed: 5,
      conversations: CONVERSATIONS,
      adjustPlan: withLongTexts,
      sdk: { maxContentLength: 2 * TEXT_BYTES, maxExportBatchSize: 1000 },
      api: { batchRows: BATCH_ROWS },
    });
    const turnCount = (): number => side.plan.reduce((sum, conversation) => sum + conversation.turns.length, 0);
    // A failed turn ends before its agent output is recorded.
    const failedTurns = (): number =>
      side.plan.reduce((sum, conversation) => sum + conversation.turns.filter((turn) => turn.steps.some((step) => step.error !== undefined)).length, 0);

    function startExport(signal?: AbortSignal): Promise<Response> {
      const url = new URL('/api/v1/export/turns', `http://127.0.0.1:${side.api.port}`);
      for (const [key, value] of Object.entries({ ...side.everything, format: 'ndjson' })) url.searchParams.set(key, value);
      return fetch(url, { headers: { authorization: `Bearer ${API_KEY}` }, ...(signal === undefined ? {} : { signal }) });
    }

    /** The rest of the body, as lines. */
    async function readLines(reader: ReadableStreamDefaultReader<Uint8Array>, first: Uint8Array): Promise<string[]> {
      const decoder = new TextDecoder();
      let text = decoder.decode(first, { stream: true });
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      return (text + decoder.decode()).split('\n').filter((line) => line !== '');
    }

    /** The last statement of each session of the test database with the export's cursor open (PostgreSQL). */
    async function openExportStatements(): Promise<string[]> {
      const client = new pg.Client({ connectionString: side.testStore.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ query: string }>(
          `SELECT query FROM pg_stat_activity
            WHERE datname = current_database() AND state LIKE 'idle in transaction%' AND query LIKE 'FETCH % FROM convotel_export'`,
        );
        return rows.map((row) => row.query);
      } finally {
        await client.end();
      }
    }
    const openExports = async (): Promise<number> => (await openExportStatements()).length;

    it('sends the first rows before the query is read to its end, and the rest as the client reads', async () => {
      expect(turnCount()).toBeGreaterThan(1500);
      const response = await startExport();
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const first = await reader.read();
      expect(first.done).toBe(false);
      // The client reads no more for now.
      let late: { traceId: string } | undefined;
      if (kind === 'postgres') {
        // The export waits with its cursor open: the server has not read the query to its end.
        await until(async () => (await openExports()) === 1, 'the export waits on the client');
        await new Promise((resolve) => setTimeout(resolve, 500));
        const [statement] = await openExportStatements();
        // …and asks the database for a batch at a time, not for everything.
        expect(Number(/^FETCH (\d+) FROM/.exec(statement ?? '')?.[1])).toBeLessThanOrEqual(BATCH_ROWS);
      } else {
        // PGlite reads page by page, each page its own transaction: the ingest writes meanwhile,
        // and a turn committed now, after every other in time, is still to come.
        late = await postTurn(side.ingest.port, { conversationId: 'conv-late', startMs: Date.parse(side.everything.to) - 60_000 });
      }
      const lines = await readLines(reader, first.value!);
      const rows = lines.map((line) => JSON.parse(line) as { trace_id: string; user_input: string | null; agent_output: string | null });
      const planned = turnCount();
      expect(rows).toHaveLength(late === undefined ? planned : planned + 1);
      if (late !== undefined) expect(rows.at(-1)!.trace_id).toBe(late.traceId);
      expect(rows.filter((row) => (row.user_input ?? '').length > TEXT_BYTES && (row.agent_output ?? '').length > TEXT_BYTES).length).toBe(planned - failedTurns());
      if (kind === 'postgres') expect(await openExports()).toBe(0);
    });

    it('stops the query when the client goes away, and serves the next export', async () => {
      const controller = new AbortController();
      const response = await startExport(controller.signal);
      const reader = response.body!.getReader();
      expect((await reader.read()).done).toBe(false);
      if (kind === 'postgres') await until(async () => (await openExports()) === 1, 'the export waits on the client');
      controller.abort();
      if (kind === 'postgres') await until(async () => (await openExports()) === 0, 'the cursor is closed');
      const again = await startExport();
      const lines = await readLines(again.body!.getReader(), new Uint8Array());
      expect(lines.length).toBeGreaterThanOrEqual(turnCount());
    });
  });
}
