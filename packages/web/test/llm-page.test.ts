// The LLM calls page in a real browser against a real `convotel serve`: the grouped table and the
// call list are what the API answers for the same window, grouping and filters.
import { describe, expect, it } from 'vitest';
import { count, millis, ratio, usd } from './helpers/analysis-format.js';
import { apiAnswer, tableRows, waitForRows } from './helpers/analysis-page.js';
import { sendAnalysisTraffic } from './helpers/analysis-traffic.js';
import { saveScreenshot } from './helpers/browser.js';
import { useServedApp } from './helpers/served-app.js';

interface Group {
  key: string | null;
  calls: number;
  errors: number;
  error_rate: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  avg_latency_ms: number | null;
  p50_latency_ms: number | null;
  p95_latency_ms: number | null;
  avg_ttft_ms: number | null;
}
interface Analysis {
  group_by: string;
  items: Group[];
  approximate: string[];
}
interface Call {
  started_at: string;
  model: string | null;
  provider: string | null;
  call_type: string;
  function_name: string | null;
  status: string;
  error_type: string | null;
  error_message: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  duration_ms: number;
  ttft_ms: number | null;
  conversation_id: string | null;
}
interface Calls {
  items: Call[];
  next_cursor: string | null;
}

const text = (value: string | null): string => (value === null || value === '' ? '—' : value);
const groupRow = (group: Group): string[] => [
  group.key ?? '(none)',
  count(group.calls),
  count(group.errors),
  ratio(group.error_rate),
  count(group.input_tokens),
  count(group.output_tokens),
  usd(group.cost_usd),
  millis(group.avg_latency_ms),
  millis(group.p50_latency_ms),
  millis(group.p95_latency_ms),
  millis(group.avg_ttft_ms),
];
const callRow = (call: Call): string[] => [
  new Date(call.started_at).toLocaleString('en-GB', { timeZone: 'UTC', year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }),
  `${text(call.model)}${text(call.provider)}`,
  `${call.call_type}${text(call.function_name)}`,
  call.status === 'error' ? `${call.error_type ?? 'error'}${text(call.error_message)}` : call.status,
  count(call.input_tokens),
  count(call.output_tokens),
  usd(call.cost_usd),
  millis(call.duration_ms),
  millis(call.ttft_ms),
  text(call.conversation_id),
];

const app = useServedApp({ seed: (ingestOrigin) => sendAnalysisTraffic(ingestOrigin), page: { timezoneId: 'UTC' } });

describe('LLM calls page', () => {
  it('groups the calls by model as the API does: calls, failures, tokens, cost, latency percentiles and TTFT', async () => {
    const api = await apiAnswer<Analysis>(app.webUrl, '/llm-calls/analysis?hours=24&group_by=model&limit=100');
    expect(api.items.map((group) => group.key).sort()).toEqual(['claude-3-5-haiku', 'gpt-4o', 'gpt-4o-mini']);
    await app.page.goto(new URL('/llm?hours=24', app.webUrl).href);
    expect(await tableRows(app.page, '[data-testid=llm-groups]')).toEqual(api.items.map(groupRow));
  });

  it('lists the calls of the window, newest first, as the API pages them', async () => {
    const api = await apiAnswer<Calls>(app.webUrl, '/llm-calls?hours=24&sort=recent&limit=50');
    expect(api.items).toHaveLength(17);
    const rows = await waitForRows(app.page, '[data-testid=llm-calls]', (shown) => shown.length === api.items.length);
    expect(rows).toEqual(api.items.map(callRow));
    expect(rows.filter((row) => row[3]!.startsWith('RateLimitError'))).toHaveLength(1);
    await saveScreenshot(app.page, 'llm');
  });

  it('changes the grouping from the selector: the URL carries group_by and the table is the API answer for it', async () => {
    await app.page.goto(new URL('/llm?hours=24', app.webUrl).href);
    await app.page.locator('[data-testid=llm-groups] table').waitFor();
    await app.page.locator('[aria-label="Group by"] [data-group-by=user]').click();
    await app.page.waitForURL(/group_by=user/);
    const api = await apiAnswer<Analysis>(app.webUrl, '/llm-calls/analysis?hours=24&group_by=user&limit=100');
    expect(api.items.map((group) => group.key).sort()).toEqual(['user-1', 'user-2', 'user-3', 'user-4']);
    const rows = await waitForRows(app.page, '[data-testid=llm-groups]', (shown) => shown[0]?.[0]?.startsWith('user-') === true);
    expect(rows).toEqual(api.items.map(groupRow));
    expect(await app.page.locator('[data-testid=llm-groups] th').first().textContent()).toContain('User');
  });

  it('honors the model of an overview link in both tables', async () => {
    const groups = await apiAnswer<Analysis>(app.webUrl, '/llm-calls/analysis?hours=24&group_by=model&model=gpt-4o&limit=100');
    const calls = await apiAnswer<Calls>(app.webUrl, '/llm-calls?hours=24&sort=recent&limit=50&model=gpt-4o');
    expect(calls.items).toHaveLength(4);
    await app.page.goto(new URL('/llm?hours=24&model=gpt-4o', app.webUrl).href);
    expect(await tableRows(app.page, '[data-testid=llm-groups]')).toEqual(groups.items.map(groupRow));
    expect(await waitForRows(app.page, '[data-testid=llm-calls]', (shown) => shown.length === 4)).toEqual(calls.items.map(callRow));
    expect(await app.page.locator('input[name=model]').inputValue()).toBe('gpt-4o');
  });

  it('filters the calls by status from the form', async () => {
    await app.page.goto(new URL('/llm?hours=24', app.webUrl).href);
    await app.page.locator('[data-testid=llm-calls] table').waitFor();
    await app.page.locator('select[name=status]').selectOption('error');
    await app.page.getByRole('button', { name: 'apply' }).click();
    await app.page.waitForURL(/status=error/);
    const calls = await apiAnswer<Calls>(app.webUrl, '/llm-calls?hours=24&sort=recent&limit=50&status=error');
    expect(calls.items).toHaveLength(1);
    expect(await waitForRows(app.page, '[data-testid=llm-calls]', (shown) => shown.length === 1)).toEqual(calls.items.map(callRow));
  });

  it('pages through the calls with the API cursor: the next page is the API next page', async () => {
    const first = await apiAnswer<Calls>(app.webUrl, '/llm-calls?hours=24&sort=slowest&limit=10');
    expect(first.next_cursor).not.toBeNull();
    const second = await apiAnswer<Calls>(app.webUrl, `/llm-calls?hours=24&sort=slowest&limit=10&cursor=${encodeURIComponent(first.next_cursor!)}`);
    expect(second.items).toHaveLength(7);
    await app.page.goto(new URL('/llm?hours=24&sort=slowest&limit=10', app.webUrl).href);
    expect(await waitForRows(app.page, '[data-testid=llm-calls]', (shown) => shown.length === 10)).toEqual(first.items.map(callRow));
    await app.page.getByRole('link', { name: 'Next page »' }).click();
    await app.page.waitForURL(/cursor=/);
    expect(await waitForRows(app.page, '[data-testid=llm-calls]', (shown) => shown.length === 7)).toEqual(second.items.map(callRow));
    expect(await app.page.getByRole('link', { name: 'Next page »' }).count()).toBe(0);
    await app.page.getByRole('link', { name: '« First page' }).click();
    expect(await waitForRows(app.page, '[data-testid=llm-calls]', (shown) => shown.length === 10)).toEqual(first.items.map(callRow));
  });

  it('notes the latency percentiles the API read from rollups on a week, as a muted note', async () => {
    const api = await apiAnswer<Analysis>(app.webUrl, '/llm-calls/analysis?hours=168&group_by=model&limit=100');
    expect(api.approximate).toEqual(['p50_latency_ms', 'p95_latency_ms']);
    await app.page.goto(new URL('/llm?hours=168', app.webUrl).href);
    const note = app.page.locator('[data-testid=approximate-note]');
    await note.waitFor();
    expect(await note.textContent()).toContain('p50_latency_ms, p95_latency_ms');
    expect(await tableRows(app.page, '[data-testid=llm-groups]')).toEqual(api.items.map(groupRow));
  });

  it('shows more groups on demand, the API next page appended', async () => {
    const all = await apiAnswer<Analysis>(app.webUrl, '/llm-calls/analysis?hours=24&group_by=model&limit=100');
    await app.page.goto(new URL('/llm?hours=24&group_limit=2', app.webUrl).href);
    expect(await tableRows(app.page, '[data-testid=llm-groups]')).toEqual(all.items.slice(0, 2).map(groupRow));
    await app.page.getByRole('button', { name: 'Show more groups' }).click();
    expect(await waitForRows(app.page, '[data-testid=llm-groups]', (shown) => shown.length === 3)).toEqual(all.items.map(groupRow));
    expect(await app.page.getByRole('button', { name: 'Show more groups' }).count()).toBe(0);
  });

  it('says what to do when the window holds no LLM calls', async () => {
    await app.page.goto(new URL('/llm?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z', app.webUrl).href);
    await app.page.locator('.empty-state').waitFor();
    expect(await app.page.locator('.empty-state h2').textContent()).toBe('No LLM calls in this window yet');
    expect(await app.page.locator('.empty-state').textContent()).toContain('npx convotel demo');
  });
});
