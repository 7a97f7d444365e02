// Every query runs under a statement timeout and a row bound: a query stuck behind a lock is
// answered 503 once the timeout passes, and no list or nested list grows past the bound.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SILENT_LOGGER, startApi, type RunningApi } from '../src/index.js';
import { conversationDetailResponse } from '../src/routes/conversation-detail.js';
import { useReadSide } from './helpers/read-side.js';

describe('statement timeout and row bound', () => {
  const side = useReadSide('postgres', { conversations: 12 });
  let api: RunningApi;
  const MAX_ROWS = 5;

  beforeAll(async () => {
    api = await startApi({ store: side.testStore.store, port: 0, statementTimeoutMillis: 300, maxRows: MAX_ROWS, logger: SILENT_LOGGER });
  });
  afterAll(async () => {
    await api?.close();
  });

  const get = async (path: string, query: Record<string, string | number> = {}) => {
    const url = new URL(path, `http://127.0.0.1:${api.port}`);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, String(value));
    const response = await fetch(url);
    return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
  };

  it('answers 503 when a query outlasts the statement timeout', async () => {
    const locker = new pg.Client({ connectionString: side.testStore.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE conversations IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const { status, headers, body } = await get('/api/v1/conversations', side.everything);
      expect(status).toBe(503);
      expect(headers.get('retry-after')).toBe('5');
      expect(body).toMatchObject({ error: { code: 'unavailable', message: expect.stringContaining('statement timeout') } });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    expect((await get('/api/v1/conversations', side.everything)).status).toBe(200);
  });

  it('cuts lists at the row bound, whatever the limit', async () => {
    const { status, body } = await get('/api/v1/conversations', { ...side.everything, limit: 1000 });
    expect(status).toBe(200);
    const page = body as { items: unknown[]; next_cursor: string | null };
    expect(page.items).toHaveLength(MAX_ROWS);
    expect(page.next_cursor).not.toBeNull();
  });

  it('cuts nested lists at the row bound and says so', async () => {
    const planned = side.plan.find((c) => c.turns.reduce((n, t) => n + t.steps.length, 0) > MAX_ROWS)!;
    const { status, body } = await get(`/api/v1/conversations/${planned.conversationId}`);
    expect(status).toBe(200);
    const detail = conversationDetailResponse.parse(body);
    expect(detail.truncated).toBe(true);
    expect(detail.turns.reduce((n, t) => n + t.steps.length, 0)).toBe(MAX_ROWS);
  });

  it('runs queries read-only', async () => {
    // A write through the read path is refused by the database itself.
    const { createReadDb } = await import('@convotel/query');
    const db = createReadDb(side.testStore.store);
    await expect(db.read((sql) => sql.query(`DELETE FROM conversations`))).rejects.toThrow(/read-only/);
    expect((await get('/api/v1/conversations', side.everything)).status).toBe(200);
  });
});
