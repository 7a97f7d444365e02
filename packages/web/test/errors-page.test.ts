// The errors page in a real browser against a real `convotel serve`: its rates by step and by model
// and its error patterns are the API's.
import type { ErrorsAnswer } from '@convotel/api';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, stopServe, urlIn, type ServeProcess } from '../../cli/test/helpers/serve-process.js';
import { launchBrowser, saveScreenshot } from './helpers/browser.js';
import { FAILURE_MESSAGE, sendSampleTraffic } from './helpers/sample-traffic.js';

let server: ServeProcess;
let browser: Browser;
let page: Page;
let webUrl: URL;

beforeAll(async () => {
  server = await startServe(['--otlp-port', '0', '--port', '0'], 3);
  webUrl = urlIn(server.lines.find((line) => line.startsWith('convotel web:')));
  await sendSampleTraffic(urlIn(server.lines[0]).origin);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server !== undefined) await stopServe(server);
});

const percent = (ratio: number): string => `${(ratio * 100).toFixed(1)}%`;

describe('errors page', () => {
  it("shows the API's error rates by step and by model and its error patterns with examples", async () => {
    const api = (await (await fetch(new URL('/api/v1/errors?hours=24&examples=8', webUrl))).json()) as ErrorsAnswer;
    expect(api.patterns.length).toBeGreaterThan(0);
    await page.goto(new URL('/errors?hours=24', webUrl).href);
    await page.getByTestId('errors-total').waitFor();
    expect(await page.getByTestId('errors-total').textContent()).toBe(api.total.toLocaleString('en-US'));

    for (const row of api.by_step) {
      const cells = page.locator('tr', { has: page.getByTestId(`step-${row.step}`) });
      expect(await cells.getByTestId('error-rate').textContent()).toBe(percent(row.error_rate));
      expect(await cells.locator('td').nth(2).textContent()).toBe(row.failures.toLocaleString('en-US'));
    }
    const llm = api.by_step.find((row) => row.step === 'llm');
    expect(llm?.failures).toBe(1);
    for (const row of api.by_model) {
      const cells = page.locator('tr', { has: page.getByRole('link', { name: row.model ?? '', exact: true }) });
      expect(await cells.getByTestId('error-rate').textContent()).toBe(percent(row.error_rate));
    }

    for (const pattern of api.patterns) {
      const card = page.getByTestId(`pattern-${pattern.pattern}`);
      expect(await card.getByTestId('pattern-count').textContent()).toBe(pattern.count.toLocaleString('en-US'));
      expect(await card.getByTestId('pattern-example').count()).toBe(pattern.examples.length);
    }
    const rateLimit = page.getByTestId('pattern-rate_limit');
    expect(await rateLimit.textContent()).toContain(FAILURE_MESSAGE);
    const example = api.patterns.find((pattern) => pattern.pattern === 'rate_limit')!.examples[0]!;
    expect(await rateLimit.getByRole('link', { name: example.conversation_id! }).getAttribute('href')).toBe(`/conversations/${example.conversation_id}`);
    expect(await rateLimit.locator(`a[href="/traces/${example.trace_id}"]`).count()).toBe(1);
    await page.locator('.chart canvas').first().waitFor();
    await saveScreenshot(page, 'errors');
  });

  it('passes its filters to the API and keeps them in the URL', async () => {
    await page.goto(new URL('/errors?hours=24', webUrl).href);
    await page.getByTestId('errors-total').waitFor();
    await page.locator('input[name="service"]').fill('no-such-service');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/service=no-such-service/);
    await page.getByTestId('errors-none-match').waitFor();
    expect(await page.locator('input[name="service"]').inputValue()).toBe('no-such-service');
  });
});
