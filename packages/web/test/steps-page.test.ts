// The steps page in a real browser against a real `convotel serve`: its table, bars and busiest
// hours are what the API answers for the same window and filters.
import { describe, expect, it } from 'vitest';
import { count, millis, ratio } from './helpers/analysis-format.js';
import { apiAnswer, tableRows, waitForRows } from './helpers/analysis-page.js';
import { sendAnalysisTraffic } from './helpers/analysis-traffic.js';
import { saveScreenshot } from './helpers/browser.js';
import { useServedApp } from './helpers/served-app.js';

interface StepItem {
  step: string;
  count: number;
  failures: number;
  error_rate: number;
  avg_ms: number | null;
  max_ms: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  total_ms: number;
}
interface StepStats {
  items: StepItem[];
  approximate: string[];
}

/** A row as the page shows it: name, count, failures, error rate, p50, p95, p99, mean, max, total. */
const expectedRow = (item: StepItem): string[] => [
  item.step,
  count(item.count),
  count(item.failures),
  ratio(item.error_rate),
  millis(item.p50_ms),
  millis(item.p95_ms),
  millis(item.p99_ms),
  millis(item.avg_ms),
  millis(item.max_ms),
  millis(item.total_ms),
];

const app = useServedApp({ seed: (ingestOrigin) => sendAnalysisTraffic(ingestOrigin), page: { timezoneId: 'UTC' } });

describe('steps page', () => {
  it('shows each step with its count, failures, error rate and percentiles as the API answers them for the window', async () => {
    const api = await apiAnswer<StepStats>(app.webUrl, '/steps/stats?hours=24&limit=200');
    expect(api.items.map((item) => item.step).sort()).toEqual(['classify', 'llm', 'stt', 'tool', 'tts']);
    await app.page.goto(new URL('/steps?hours=24', app.webUrl).href);
    expect(await tableRows(app.page, '[data-testid=step-table]')).toEqual(api.items.map(expectedRow));
    expect(await app.page.locator('[data-testid=approximate-note]').count()).toBe(0);
  });

  it('draws a p50/p95 bar per step, the longest p95 full width', async () => {
    const api = await apiAnswer<StepStats>(app.webUrl, '/steps/stats?hours=24&limit=200');
    const values = await app.page.locator('.bar-percentiles .bar-value').allTextContents();
    expect(values).toEqual(api.items.map((item) => `${millis(item.p50_ms)} · ${millis(item.p95_ms)}`));
    const slowest = api.items.reduce((a, b) => ((a.p95_ms ?? 0) >= (b.p95_ms ?? 0) ? a : b));
    const style = await app.page.locator('.bar-row', { hasText: slowest.step }).locator('.bar.p95').getAttribute('style');
    expect(style).toMatch(/width:\s*100%/);
  });

  it('shows the conversations started per hour of the day as the API counts them', async () => {
    const api = await apiAnswer<{ items: { hour_of_day: number; conversations: number }[] }>(app.webUrl, '/busiest-hours?hours=24&tz=UTC');
    const cells: [number, string][] = [];
    for (const cell of await app.page.locator('.hour-cell').all()) cells.push([Number(await cell.getAttribute('data-hour')), ((await cell.textContent()) ?? '').trim()]);
    const expected = [...api.items].sort((a, b) => a.hour_of_day - b.hour_of_day).map((item) => [item.hour_of_day, item.conversations === 0 ? '' : count(item.conversations)]);
    expect(cells).toEqual(expected);
    expect(api.items.reduce((sum, item) => sum + item.conversations, 0)).toBe(5);
    await saveScreenshot(app.page, 'steps');
  });

  it('filters by agent through the form: the URL carries the filter and the table is the API answer under it', async () => {
    await app.page.goto(new URL('/steps?hours=24', app.webUrl).href);
    await app.page.locator('input[name=agent]').fill('billing');
    await app.page.getByRole('button', { name: 'apply' }).click();
    await app.page.waitForURL(/agent=billing/);
    const api = await apiAnswer<StepStats>(app.webUrl, '/steps/stats?hours=24&limit=200&agent=billing');
    expect(api.items.map((item) => item.step).sort()).toEqual(['classify', 'llm']);
    const rows = await waitForRows(app.page, '[data-testid=step-table]', (shown) => shown.length === api.items.length);
    expect(rows).toEqual(api.items.map(expectedRow));
  });

  it('reads the channel filter from a shared link', async () => {
    const api = await apiAnswer<StepStats>(app.webUrl, '/steps/stats?hours=24&limit=200&channel=voice');
    await app.page.goto(new URL('/steps?hours=24&channel=voice', app.webUrl).href);
    expect(await tableRows(app.page, '[data-testid=step-table]')).toEqual(api.items.map(expectedRow));
    expect(await app.page.locator('input[name=channel]').inputValue()).toBe('voice');
  });

  it('notes the percentiles the API read from rollup histograms on a week', async () => {
    const api = await apiAnswer<StepStats>(app.webUrl, '/steps/stats?hours=168&limit=200');
    expect(api.approximate.length).toBeGreaterThan(0);
    await app.page.goto(new URL('/steps?hours=168', app.webUrl).href);
    const note = app.page.locator('[data-testid=approximate-note]');
    await note.waitFor();
    for (const field of api.approximate) expect(await note.textContent()).toContain(field);
    expect(await tableRows(app.page, '[data-testid=step-table]')).toEqual(api.items.map(expectedRow));
  });

  it('says that no step matches when a filter keeps none', async () => {
    await app.page.goto(new URL('/steps?hours=24&agent=nobody', app.webUrl).href);
    await app.page.getByText('No steps match these filters in this window.').waitFor();
    expect(await app.page.locator('.empty-state').count()).toBe(0);
  });

  it('says what to do when the window holds no steps', async () => {
    await app.page.goto(new URL('/steps?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z', app.webUrl).href);
    await app.page.locator('.empty-state').waitFor();
    expect(await app.page.locator('.empty-state h2').textContent()).toBe('No steps in this window yet');
    expect(await app.page.locator('.empty-state').textContent()).toContain('npx convotel demo');
  });
});
