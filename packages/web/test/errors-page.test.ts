// The errors page in a real browser against a real `convotel serve`: its rates by step and by model
// and its error patterns are the API's.
import type { ErrorsAnswer } from '@convotel/api';
import { describe, expect, it } from 'vitest';
import { saveScreenshot } from './helpers/browser.js';
import { useServedApp } from './helpers/served-app.js';
import { FAILURE_MESSAGE, sendSampleTraffic } from './helpers/sample-traffic.js';

const app = useServedApp({ seed: (ingestOrigin) => sendSampleTraffic(ingestOrigin) });

const percent = (ratio: number): string => `${(ratio * 100).toFixed(1)}%`;

describe('errors page', () => {
  it("shows the API's error rates by step and by model and its error patterns with examples", async () => {
    const api = (await (await fetch(new URL('/api/v1/errors?hours=24&examples=8', app.webUrl))).json()) as ErrorsAnswer;
    expect(api.patterns.length).toBeGreaterThan(0);
    await app.page.goto(new URL('/errors?hours=24', app.webUrl).href);
    await app.page.getByTestId('errors-total').waitFor();
    expect(await app.page.getByTestId('errors-total').textContent()).toBe(api.total.toLocaleString('en-US'));

    for (const row of api.by_step) {
      const cells = app.page.locator('tr', { has: app.page.getByTestId(`step-${row.step}`) });
      expect(await cells.getByTestId('error-rate').textContent()).toBe(percent(row.error_rate));
      expect(await cells.locator('td').nth(2).textContent()).toBe(row.failures.toLocaleString('en-US'));
    }
    const llm = api.by_step.find((row) => row.step === 'llm');
    expect(llm?.failures).toBe(1);
    for (const row of api.by_model) {
      const cells = app.page.locator('tr', { has: app.page.getByRole('link', { name: row.model ?? '', exact: true }) });
      expect(await cells.getByTestId('error-rate').textContent()).toBe(percent(row.error_rate));
    }

    for (const pattern of api.patterns) {
      const card = app.page.getByTestId(`pattern-${pattern.pattern}`);
      expect(await card.getByTestId('pattern-count').textContent()).toBe(pattern.count.toLocaleString('en-US'));
      expect(await card.getByTestId('pattern-example').count()).toBe(pattern.examples.length);
    }
    const rateLimit = app.page.getByTestId('pattern-rate_limit');
    expect(await rateLimit.textContent()).toContain(FAILURE_MESSAGE);
    const example = api.patterns.find((pattern) => pattern.pattern === 'rate_limit')!.examples[0]!;
    expect(await rateLimit.getByRole('link', { name: example.conversation_id! }).getAttribute('href')).toBe(`/conversations/${example.conversation_id}`);
    expect(await rateLimit.locator(`a[href="/traces/${example.trace_id}"]`).count()).toBe(1);
    await app.page.locator('.chart canvas').first().waitFor();
    await saveScreenshot(app.page, 'errors');
  });

  it('passes its filters to the API and keeps them in the URL', async () => {
    await app.page.goto(new URL('/errors?hours=24', app.webUrl).href);
    await app.page.getByTestId('errors-total').waitFor();
    await app.page.locator('input[name="service"]').fill('no-such-service');
    await app.page.getByRole('button', { name: 'Apply' }).click();
    await app.page.waitForURL(/service=no-such-service/);
    await app.page.getByTestId('errors-none-match').waitFor();
    expect(await app.page.locator('input[name="service"]').inputValue()).toBe('no-such-service');
  });
});
