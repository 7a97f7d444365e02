// The overview in a real browser against a real `convotel serve`: its figures are the API's.
import { describe, expect, it } from 'vitest';
import { saveScreenshot } from './helpers/browser.js';
import { useServedApp } from './helpers/served-app.js';
import { sendSampleTraffic } from './helpers/sample-traffic.js';

const app = useServedApp({ seed: (ingestOrigin) => sendSampleTraffic(ingestOrigin) });

describe('overview page', () => {
  it('shows the API overview figures of the window: conversations, turns, error rate', async () => {
    const api = (await (await fetch(new URL('/api/v1/overview?hours=24', app.webUrl))).json()) as { conversations: number; turns: number; error_rate: number; failed_turns: number };
    expect(api.turns).toBeGreaterThan(0);
    await app.page.goto(new URL('/?hours=24', app.webUrl).href);
    await app.page.getByTestId('turns').waitFor();
    expect(await app.page.getByTestId('conversations').textContent()).toBe(api.conversations.toLocaleString('en-US'));
    expect(await app.page.getByTestId('turns').textContent()).toBe(api.turns.toLocaleString('en-US'));
    expect(await app.page.getByTestId('error-rate').textContent()).toBe(`${(api.error_rate * 100).toFixed(1)}%`);
    await app.page.locator('.chart canvas').first().waitFor();
    await saveScreenshot(app.page, 'overview');
  });
});
