// The costs page in a real browser against a real `convotel serve`: its totals, table and
// per-day chart are what the API answers for the same window and grouping.
import { describe, expect, it } from 'vitest';
import { count, ratio, usd } from './helpers/analysis-format.js';
import { apiAnswer, tableRows, waitForRows } from './helpers/analysis-page.js';
import { sendAnalysisTraffic } from './helpers/analysis-traffic.js';
import { saveScreenshot } from './helpers/browser.js';
import { useServedApp } from './helpers/served-app.js';

interface CostFigures {
  cost_usd: number;
  llm_cost_usd: number;
  stt_cost_usd: number;
  tts_cost_usd: number;
  other_cost_usd: number;
  calls: number;
  conversations: number;
  input_tokens: number;
  output_tokens: number;
}
interface CostItem extends CostFigures {
  key: string | null;
  series?: (CostFigures & { t: string })[];
}
interface Costs {
  by: string;
  items: CostItem[];
  next_cursor: string | null;
  approximate: string[];
}

const sum = (items: readonly CostItem[], field: keyof CostFigures): number => items.reduce((total, item) => total + item[field], 0);
const costRow = (item: CostItem, totalUsd: number): string[] => [
  item.key ?? '(none)',
  usd(item.cost_usd),
  ratio(item.cost_usd / totalUsd),
  '',
  usd(item.llm_cost_usd),
  usd(item.stt_cost_usd),
  usd(item.tts_cost_usd),
  count(item.calls),
  count(item.conversations),
  count(item.input_tokens),
  count(item.output_tokens),
];

async function expectTotals(api: Costs): Promise<void> {
  expect(await app.page.getByTestId('cost-total').textContent()).toBe(usd(sum(api.items, 'cost_usd')));
  expect(await app.page.getByTestId('cost-llm').textContent()).toBe(usd(sum(api.items, 'llm_cost_usd')));
  expect(await app.page.getByTestId('cost-stt').textContent()).toBe(usd(sum(api.items, 'stt_cost_usd')));
  expect(await app.page.getByTestId('cost-tts').textContent()).toBe(usd(sum(api.items, 'tts_cost_usd')));
  expect(await app.page.getByTestId('cost-calls').textContent()).toBe(count(sum(api.items, 'calls')));
  expect(await app.page.getByTestId('tokens-in').textContent()).toBe(count(sum(api.items, 'input_tokens')));
  expect(await app.page.getByTestId('tokens-out').textContent()).toBe(count(sum(api.items, 'output_tokens')));
}

const app = useServedApp({ seed: (ingestOrigin) => sendAnalysisTraffic(ingestOrigin), page: { timezoneId: 'UTC' } });

describe('costs page', () => {
  it('totals the spend of the window, split LLM/STT/TTS, with calls and tokens, as the API answers by model', async () => {
    const api = await apiAnswer<Costs>(app.webUrl, '/costs?hours=24&by=model&interval=day&tz=UTC&limit=100');
    expect(api.next_cursor).toBeNull();
    expect(sum(api.items, 'stt_cost_usd')).toBeGreaterThan(0);
    expect(sum(api.items, 'tts_cost_usd')).toBeGreaterThan(0);
    await app.page.goto(new URL('/costs?hours=24', app.webUrl).href);
    await app.page.getByTestId('cost-total').waitFor();
    await expectTotals(api);
  });

  it("lists each group's spend and share of the total as the API answers them", async () => {
    const api = await apiAnswer<Costs>(app.webUrl, '/costs?hours=24&by=model&interval=day&tz=UTC&limit=100');
    const total = sum(api.items, 'cost_usd');
    expect(await tableRows(app.page, '[data-testid=cost-table]')).toEqual(api.items.map((item) => costRow(item, total)));
  });

  it('draws the spend per day as stacked bars on canvases, a bar per day whose layers are the API series summed over the groups', async () => {
    const api = await apiAnswer<Costs>(app.webUrl, '/costs?hours=24&by=model&interval=day&tz=UTC&limit=100');
    const days = api.items[0]!.series!.map((point) => new Date(point.t).toLocaleDateString('en-GB', { day: '2-digit', month: 'short', timeZone: 'UTC' }));
    await app.page.locator('[data-testid=stack-chart] canvas').first().waitFor();
    expect(await app.page.locator('[data-testid=stack-chart] canvas').count()).toBe(3);
    const canvas = app.page.locator('[data-testid=stack-chart] canvas').first();
    expect(Number(await canvas.getAttribute('width'))).toBeGreaterThan(200);
    expect(Number(await canvas.getAttribute('height'))).toBeGreaterThan(100);
    // Hovering the last bar shows its day and each kind's spend that day, summed over the groups.
    const chart = app.page.locator('[data-testid=stack-chart]').first();
    const over = await chart.locator('.u-over').boundingBox();
    expect(over).not.toBeNull();
    const last = days.length - 1;
    await app.page.mouse.move(over!.x + ((last + 0.5) / days.length) * over!.width, over!.y + over!.height / 2);
    const legend: Record<string, string> = {};
    for (const row of await chart.locator('.u-legend .u-series').all()) {
      legend[((await row.locator('.u-label').textContent()) ?? '').trim()] = ((await row.locator('.u-value').textContent()) ?? '').trim();
    }
    const dayTotal = (field: keyof CostFigures): string => usd(api.items.reduce((total, item) => total + item.series![last]![field], 0));
    expect(legend).toEqual({ Day: days[last], TTS: dayTotal('tts_cost_usd'), STT: dayTotal('stt_cost_usd'), LLM: dayTotal('llm_cost_usd') });
    await saveScreenshot(app.page, 'costs');
  });

  it('changes the grouping from the selector: the URL carries by, the table and totals are the API answer for it', async () => {
    await app.page.locator('[aria-label="Group by"] [data-group-by=user]').click();
    await app.page.waitForURL(/by=user/);
    const api = await apiAnswer<Costs>(app.webUrl, '/costs?hours=24&by=user&interval=day&tz=UTC&limit=100');
    expect(api.items.map((item) => item.key).sort()).toEqual(['user-1', 'user-2', 'user-3', 'user-4']);
    const total = sum(api.items, 'cost_usd');
    const rows = await waitForRows(app.page, '[data-testid=cost-table]', (shown) => shown[0]?.[0]?.startsWith('user-') === true);
    expect(rows).toEqual(api.items.map((item) => costRow(item, total)));
    await expectTotals(api);
  });

  it('reads the agent filter and the grouping from a shared link', async () => {
    const api = await apiAnswer<Costs>(app.webUrl, '/costs?hours=24&by=provider&agent=billing&interval=day&tz=UTC&limit=100');
    expect(api.items.map((item) => item.key).sort()).toEqual(['anthropic', 'openai']);
    await app.page.goto(new URL('/costs?hours=24&by=provider&agent=billing', app.webUrl).href);
    const total = sum(api.items, 'cost_usd');
    expect(await tableRows(app.page, '[data-testid=cost-table]')).toEqual(api.items.map((item) => costRow(item, total)));
    await expectTotals(api);
  });

  it('shows more groups on demand, the API next pages appended, until the totals are the whole answer', async () => {
    const all = await apiAnswer<Costs>(app.webUrl, '/costs?hours=24&by=model&interval=day&tz=UTC&limit=100');
    expect(all.items).toHaveLength(5);
    await app.page.goto(new URL('/costs?hours=24&by=model&group_limit=2', app.webUrl).href);
    expect(await tableRows(app.page, '[data-testid=cost-table]')).toHaveLength(2);
    expect(await app.page.getByTestId('cost-total').textContent()).toBe(usd(sum(all.items.slice(0, 2), 'cost_usd')));
    const more = app.page.getByRole('button', { name: 'Show more groups' });
    await more.click();
    await waitForRows(app.page, '[data-testid=cost-table]', (shown) => shown.length === 4);
    await more.click();
    const total = sum(all.items, 'cost_usd');
    const rows = await waitForRows(app.page, '[data-testid=cost-table]', (shown) => shown.length === 5);
    expect(rows).toEqual(all.items.map((item) => costRow(item, total)));
    expect(await more.count()).toBe(0);
    await expectTotals(all);
  });

  it('says what to do when the window holds no spend', async () => {
    await app.page.goto(new URL('/costs?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z', app.webUrl).href);
    await app.page.locator('.empty-state').waitFor();
    expect(await app.page.locator('.empty-state h2').textContent()).toBe('No spend in this window yet');
    expect(await app.page.locator('.empty-state').textContent()).toContain('npx convotel demo');
  });
});
