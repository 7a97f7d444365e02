// GET /api/v1/export/:kind against the planned traffic: every kind in CSV and in NDJSON, the two
// formats agreeing cell by cell, each row checked against the plan; RFC 4180 quoting and formula
// neutralization on text the SDK sent. Shared by the PostgreSQL and PGlite files.
import { EXPORT_TABLES, type ExportKind } from '@convotel/query';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { conversationFacts, type ConversationFact } from '../helpers/expected.js';
import type { StoreKind } from '../helpers/databases.js';
import { API_KEY, useReadSide } from '../helpers/read-side.js';
import type { PlannedConversation } from '../helpers/traffic.js';

type Row = Record<string, unknown>;

/** Text a spreadsheet would run, and every character RFC 4180 quotes. */
export const AWKWARD_INPUT = '=HYPERLINK("http://evil.example","click"), then more';
export const AWKWARD_OUTPUT = '@agent line one\r\nline two\nline "three", with a comma\rand a lone CR';
export const AWKWARD_EVENT = { name: 'crm_note', component: '-crm', severity: 'ERROR', message: '+1 (555) 010-2030, "do not call"' } as const;
export const AWKWARD_NOTE = '@risk, "quoted"';

/** conv-003 carries the awkward texts (its first turn, an event, its metadata). */
export function withAwkwardText(plan: PlannedConversation[]): PlannedConversation[] {
  return plan.map((conversation, i) =>
    i !== 3
      ? conversation
      : {
          ...conversation,
          end: 'hangup',
          metadata: { ...conversation.metadata, note: AWKWARD_NOTE },
          turns: conversation.turns.map((turn, j) =>
            j !== 0
              ? turn
              : {
                  ...turn,
                  // Every step succeeds, so the agent output is recorded.
                  steps: turn.steps.map(({ error: _error, ...step }) => ({ ...step, calls: step.calls.map(({ error: _e, ...call }) => call) })),
                  userInput: AWKWARD_INPUT,
                  agentOutput: AWKWARD_OUTPUT,
                  events: [...turn.events, AWKWARD_EVENT],
                },
          ),
        },
  );
}

/** What a CSV cell must be for an NDJSON value of a column of `type`. */
function expectedCell(value: unknown, type: string): string {
  if (value === null) return '';
  if (type === 'json') return JSON.stringify(value);
  const text = String(value);
  return type === 'text' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function describeExport(kind: StoreKind): void {
  describe(`GET /api/v1/export/:kind (${kind})`, () => {
    // Small batches: every kind spans many FETCHes or pages, and rows of equal time meet at their edges.
    const side = useReadSide(kind, { adjustPlan: withAwkwardText, api: { batchRows: 7 } });
    const facts = (): ConversationFact[] => side.plan.map(conversationFacts);

    async function download(exportKind: string, query: Record<string, string | number> = {}) {
      const url = new URL(`/api/v1/export/${exportKind}`, `http://127.0.0.1:${side.api.port}`);
      for (const [key, value] of Object.entries(query)) url.searchParams.set(key, String(value));
      const response = await fetch(url, { headers: { authorization: `Bearer ${API_KEY}` } });
      return { status: response.status, headers: response.headers, text: await response.text() };
    }

    /** The kind in both formats over the whole traffic; checks that they agree and returns the NDJSON rows. */
    async function exportBoth(exportKind: ExportKind, query: Record<string, string | number> = {}): Promise<{ rows: Row[]; csv: string }> {
      const csv = await download(exportKind, { ...side.everything, ...query, format: 'csv' });
      const ndjson = await download(exportKind, { ...side.everything, ...query, format: 'ndjson' });
      expect(csv.status, csv.text).toBe(200);
      expect(ndjson.status, ndjson.text).toBe(200);
      const rows = ndjson.text === '' ? [] : ndjson.text.replace(/\n$/, '').split('\n').map((line) => JSON.parse(line) as Row);
      const columns = EXPORT_TABLES[exportKind].columns;
      const records = parse(csv.text, { relax_column_count: false }) as string[][];
      expect(records[0]).toEqual(columns.map((column) => column.name));
      expect(records.length - 1).toBe(rows.length);
      for (const [i, row] of rows.entries()) {
        expect(Object.keys(row)).toEqual(columns.map((column) => column.name));
        const record = records[i + 1]!;
        columns.forEach((column, j) => {
          if (column.type === 'json' && row[column.name] !== null) expect(JSON.parse(record[j]!)).toEqual(row[column.name]);
          else expect(record[j], `${exportKind} row ${i} ${column.name}`).toBe(expectedCell(row[column.name], column.type));
        });
      }
      return { rows, csv: csv.text };
    }

    it('exports every conversation with its figures, oldest first', async () => {
      const { rows } = await exportBoth('conversations');
      const expected = facts().sort((a, b) => a.startedMs - b.startedMs);
      expect(rows.map((row) => row['conversation_id'])).toEqual(expected.map((fact) => fact.conversation.conversationId));
      for (const [i, row] of rows.entries()) {
        const fact = expected[i]!;
        expect(row).toMatchObject({
          user_id: fact.conversation.userId,
          status: fact.status,
          turns: fact.turns.length,
          llm_calls: fact.calls.length,
          errors: fact.errors,
          duration_ms: fact.durationMs,
        });
        expect(Date.parse(row['started_at'] as string)).toBe(fact.startedMs);
        expect(row['cost_usd']).toBeCloseTo(fact.costUsd, 9);
        if (fact.status !== 'active') expect(row['metadata']).toEqual(fact.conversation.metadata);
      }
    });

    it('exports every turn with its timing, status, texts and cost', async () => {
      const { rows } = await exportBoth('turns');
      const expected = facts()
        .flatMap((fact) => fact.turns)
        .sort((a, b) => a.startMs - b.startMs);
      expect(rows).toHaveLength(expected.length);
      for (const [i, row] of rows.entries()) {
        const turn = expected[i]!;
        expect(row).toMatchObject({
          conversation_id: turn.conversation.conversationId,
          turn_index: turn.index,
          duration_ms: turn.durationMs,
          status: turn.isFailed ? 'error' : 'ok',
          user_input: turn.turn.userInput,
          // Recorded only when the user interrupted.
          interrupted: turn.turn.interrupted ? true : null,
          perceived_latency_ms: turn.turn.perceivedLatencyMs ?? null,
        });
        expect(row['turn_id']).toBe(row['trace_id']);
        if (!turn.isFailed) expect(row['agent_output']).toBe(turn.turn.agentOutput);
        expect(Date.parse(row['started_at'] as string)).toBe(turn.startMs);
        expect(row['cost_usd']).toBeCloseTo(turn.costUsd, 9);
      }
    });

    it('exports every step of every turn', async () => {
      const { rows } = await exportBoth('steps');
      const expected = facts().flatMap((fact) =>
        fact.turns.flatMap((turn) => {
          let startMs = turn.startMs;
          return turn.turn.steps.map((step) => {
            const entry = { conversation_id: fact.conversation.conversationId, name: step.name, duration_ms: step.durationMs, status: step.error === undefined ? 'ok' : 'error', startMs };
            startMs += step.durationMs;
            return entry;
          });
        }),
      );
      expected.sort((a, b) => a.startMs - b.startMs);
      expect(rows.map(({ conversation_id, name, duration_ms, status }) => ({ conversation_id, name, duration_ms, status }))).toEqual(
        expected.map(({ startMs: _startMs, ...step }) => step),
      );
      expect(rows.map((row) => Date.parse(row['started_at'] as string))).toEqual(expected.map((step) => step.startMs));
    });

    it('exports every LLM call with its model, tokens, cost and labels', async () => {
      const { rows } = await exportBoth('llm-calls');
      const expected = facts()
        .flatMap((fact) => fact.calls)
        .sort((a, b) => a.startMs - b.startMs);
      expect(rows).toHaveLength(expected.length);
      for (const [i, row] of rows.entries()) {
        const { call, turn, startMs } = expected[i]!;
        expect(row).toMatchObject({
          conversation_id: turn.conversation.conversationId,
          provider: call.provider,
          request_model: call.model,
          response_model: call.error === undefined ? `${call.model}-2026` : null,
          call_type: call.callType,
          function_name: call.functionName,
          tags: call.tags,
          duration_ms: call.durationMs,
          status: call.error === undefined ? 'ok' : 'error',
        });
        expect(Date.parse(row['started_at'] as string)).toBe(startMs);
        if (call.error === undefined) {
          expect(row).toMatchObject({ input_tokens: call.inputTokens, output_tokens: call.outputTokens });
          expect(row['cost_usd']).toBeCloseTo(call.costUsd, 12);
        }
        expect(row['attributes']).toMatchObject(call.attributes);
      }
    });

    it('exports every event with its name, component, severity and message', async () => {
      const { rows } = await exportBoth('events');
      const expected = facts().flatMap((fact) => fact.turns.flatMap((turn) => turn.turn.events.map((event) => ({ ...event, conversationId: fact.conversation.conversationId, atMs: turn.startMs }))));
      expected.sort((a, b) => a.atMs - b.atMs);
      // In time order; events of one time come in event-id order, which the plan does not fix,
      // so their contents are compared as sets per time.
      expect(rows.map((row) => Date.parse(row['time'] as string))).toEqual(expected.map((event) => event.atMs));
      const byTimeThenText = (list: unknown[][]): string[] => list.map((entry) => JSON.stringify(entry)).sort();
      expect(byTimeThenText(rows.map((row) => [Date.parse(row['time'] as string), row['conversation_id'], row['name'], row['component'], row['severity_text'], row['message']]))).toEqual(
        byTimeThenText(expected.map((event) => [event.atMs, event.conversationId, event.name, event.component, event.severity, event.message])),
      );
    });

    it('quotes commas, quotes and line breaks per RFC 4180 and neutralizes cells a spreadsheet would run', async () => {
      const { rows, csv } = await exportBoth('turns', { user: side.plan[3]!.userId });
      // NDJSON keeps the text as sent.
      expect(rows.find((row) => row['conversation_id'] === 'conv-003' && row['turn_index'] === 0)).toMatchObject({ user_input: AWKWARD_INPUT, agent_output: AWKWARD_OUTPUT });
      // CSV: apostrophe before the formula, every quote doubled, the field quoted; CRLF between records.
      expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click""), then more"`);
      expect(csv).toContain(`"'@agent line one\r\nline two\nline ""three"", with a comma\rand a lone CR"`);
      expect(csv.endsWith('\r\n')).toBe(true);
      const events = await exportBoth('events', { session: side.plan[3]!.sessionId });
      expect(events.csv).toContain(`,'-crm,"'+1 (555) 010-2030, ""do not call""",`);
      expect(events.rows.some((row) => row['message'] === AWKWARD_EVENT.message)).toBe(true);
      // JSON cells are quoted as a whole.
      const conversations = await exportBoth('conversations', { user: side.plan[3]!.userId });
      expect(conversations.rows.find((row) => row['conversation_id'] === 'conv-003')!['metadata']).toMatchObject({ note: AWKWARD_NOTE });
      expect(conversations.csv).toMatch(/"\{[^\r\n]*""note"": ""@risk, \\""quoted\\""""[^\r\n]*\}"/);
    });

    it('names the download and its media type', async () => {
      const csv = await download('llm-calls', { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' });
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
      expect(csv.headers.get('content-disposition')).toBe('attachment; filename="convotel-llm-calls-20260101T000000Z-20260102T000000Z.csv"');
      const ndjson = await download('events', { from: '2026-01-01', to: '2026-01-02', format: 'ndjson' });
      expect(ndjson.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
      expect(ndjson.headers.get('content-disposition')).toBe('attachment; filename="convotel-events-20260101T000000Z-20260102T000000Z.ndjson"');
    });

    it('answers a header row alone (CSV) and nothing (NDJSON) for an empty window', async () => {
      const csv = await download('turns', { from: '2001-01-01', to: '2001-01-02' });
      expect(csv).toMatchObject({ status: 200, text: `${EXPORT_TABLES.turns.columns.map((column) => column.name).join(',')}\r\n` });
      expect(await download('turns', { from: '2001-01-01', to: '2001-01-02', format: 'ndjson' })).toMatchObject({ status: 200, text: '' });
    });

    it('applies the filters of the kind, and answers 400 for one it does not take', async () => {
      const { rows } = await exportBoth('llm-calls', { model: 'gpt-4o-2026', 'attr.company_id': 'acme' });
      const expected = facts().flatMap((fact) => fact.calls.filter(({ call }) => call.model === 'gpt-4o' && call.error === undefined && call.attributes['company_id'] === 'acme'));
      expect(rows).toHaveLength(expected.length);
      expect(expected.length).toBeGreaterThan(0);
      const events = await download('events', { model: 'gpt-4o' });
      expect(events.status).toBe(400);
      expect(JSON.parse(events.text)).toMatchObject({ error: { code: 'invalid_parameter', parameter: 'model' } });
      const unknownKind = await download('spans');
      expect(JSON.parse(unknownKind.text)).toMatchObject({ error: { code: 'invalid_parameter', parameter: 'kind' } });
      const badFormat = await download('turns', { format: 'xlsx' });
      expect(JSON.parse(badFormat.text)).toMatchObject({ error: { code: 'invalid_parameter', parameter: 'format' } });
    });
  });
}
