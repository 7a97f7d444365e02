// The steps page in a real browser against a real `convotel serve`: its table, bars and busiest
// hours are what the API answers for the same window and filters.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, stopServe, urlIn, type ServeProcess } from '../../cli/test/helpers/serve-process.js';
import { count, millis, ratio } from './helpers/analysis-format.js';
import { apiAnswer, tableRows, waitForRows } from './helpers/analysis-page.js';
import { sendAnalysisTraffic } from './helpers/analysis-traffic.js';
import { launchBrowser, saveScreenshot } from './helpers/browser.js';

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

let server: ServeProcess;
let browser: Browser;
let page: Page;
let webUrl: URL;

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

beforeAll(async () => {
  server = await startServe(['--otlp-port', '0', '--port', '0'], 3);
  const ingestUrl = urlIn(server.lines[0]!);
  webUrl = urlIn(server.lines.find((line) => line.startsWith('convotel web:'))!);
  await sendAnalysisTraffic(ingestUrl.origin);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, timezoneId: 'UTC' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server !== undefined) await stopServe(server);
});

describe('steps page', () => {
  it('shows each step with its count, failures, error rate and percentiles as the API answers them for the window', async () => {
    const api = await apiAnswer<StepStats>(webUrl, '/steps/stats?hours=24&limit=200');
    expect(api.items.map((item) => item.step).sort()).toEqual(['classify', 'llm', 'stt', 'tool', 'tts']);
    await page.goto(new URL('/steps?hours=24', webUrl).href);
    expect(await tableRows(page, '[data-testid=step-table]')).toEqual(api.items.map(expectedRow));
    expect(await page.locator('[data-testid=approximate-note]').count()).toBe(0);
  });

  it('draws a p50/p95 bar per step, the longest p95 full width', async () => {
    const api = await apiAnswer<StepStats>(webUrl, '/steps/stats?hours=24&limit=200');
    const values = await page.locator('.bar-percentiles .bar-value').allTextContents();
    expect(values).toEqual(api.items.map((item) => `${millis(item.p50_ms)} · ${millis(item.p95_ms)}`));
    const slowest = api.items.reduce((a, b) => ((a.p95_ms ?? 0) >= (b.p95_ms ?? 0) ? a : b));
    const style = await page.locator('.bar-row', { hasText: slowest.step }).locator('.bar.p95').getAttribute('style');
    expect(style).toMatch(/width:\s*100%/);
  });

  it('shows the conversations started per hour of the day as the API counts them', async () => {
    const api = await apiAnswer<{ items: { hour_of_day: number; conversations: number }[] }>(webUrl, '/busiest-hours?hours=24&tz=UTC');
    const cells: [number, string][] = [];
    for (const cell of await page.locator('.hour-cell').all()) cells.push([Number(await cell.getAttribute('data-hour')), ((await cell.textContent()) ?? '').trim()]);
    const expected = [...api.items].sort((a, b) => a.hour_of_day - b.hour_of_day).map((item) => [item.hour_of_day, item.conversations === 0 ? '' : count(item.conversations)]);
    expect(cells).toEqual(expected);
    expect(api.items.reduce((sum, item) => sum + item.conversations, 0)).toBe(5);
    await saveScreenshot(page, 'steps');
  });

  it('filters by agent through the form: the URL carries the filter and the table is the API answer under it', async () => {
    await page.goto(new URL('/steps?hours=24', webUrl).href);
    await page.locator('input[name=agent]').fill('billing');
    await page.getByRole('button', { name: 'apply' }).click();
    await page.waitForURL(/agent=billing/);
    const api = await apiAnswer<StepStats>(webUrl, '/steps/stats?hours=24&limit=200&agent=billing');
    expect(api.items.map((item) => item.step).sort()).toEqual(['classify', 'llm']);
    const rows = await waitForRows(page, '[data-testid=step-table]', (shown) => shown.length === api.items.length);
    expect(rows).toEqual(api.items.map(expectedRow));
  });

  it('reads the channel filter from a shared link', async () => {
    const api = await apiAnswer<StepStats>(webUrl, '/steps/stats?hours=24&limit=200&channel=voice');
    await page.goto(new URL('/steps?hours=24&channel=voice', webUrl).href);
    expect(await tableRows(page, '[data-testid=step-table]')).toEqual(api.items.map(expectedRow));
    expect(await page.locator('input[name=channel]').inputValue()).toBe('voice');
  });

  it('notes the percentiles the API read from rollup histograms on a week', async () => {
    const api = await apiAnswer<StepStats>(webUrl, '/steps/stats?hours=168&limit=200');
    expect(api.approximate.length).toBeGreaterThan(0);
    await page.goto(new URL('/steps?hours=168', webUrl).href);
    const note = page.locator('[data-testid=approximate-note]');
    await note.waitFor();
    for (const field of api.approximate) expect(await note.textContent()).toContain(field);
    expect(await tableRows(page, '[data-testid=step-table]')).toEqual(api.items.map(expectedRow));
  });

  it('says that no step matches when a filter keeps none', async () => {
    await page.goto(new URL('/steps?hours=24&agent=nobody', webUrl).href);
    await page.getByText('No steps match these filters in this window.').waitFor();
    expect(await page.locator('.empty-state').count()).toBe(0);
  });

  it('says what to do when the window holds no steps', async () => {
    await page.goto(new URL('/steps?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z', webUrl).href);
    await page.locator('.empty-state').waitFor();
    expect(await page.locator('.empty-state h2').textContent()).toBe('No steps in this window yet');
    expect(await page.locator('.empty-state').textContent()).toContain('npx convotel demo');
  });
});
