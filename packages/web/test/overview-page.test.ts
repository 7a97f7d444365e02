// The overview in a real browser against a real `convotel serve`: its figures are the API's.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, stopServe, urlIn, type ServeProcess } from '../../cli/test/helpers/serve-process.js';
import { launchBrowser, saveScreenshot } from './helpers/browser.js';
import { sendSampleTraffic } from './helpers/sample-traffic.js';

let server: ServeProcess;
let browser: Browser;
let page: Page;
let webUrl: URL;

beforeAll(async () => {
  server = await startServe(['--otlp-port', '0', '--port', '0'], 3);
  const ingestUrl = urlIn(server.lines[0]!);
  webUrl = urlIn(server.lines.find((line) => line.startsWith('convotel web:'))!);
  await sendSampleTraffic(ingestUrl.origin);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server !== undefined) await stopServe(server);
});

describe('overview page', () => {
  it('shows the API overview figures of the window: conversations, turns, error rate', async () => {
    const api = (await (await fetch(new URL('/api/v1/overview?hours=24', webUrl))).json()) as { conversations: number; turns: number; error_rate: number; failed_turns: number };
    expect(api.turns).toBeGreaterThan(0);
    await page.goto(new URL('/?hours=24', webUrl).href);
    await page.getByTestId('turns').waitFor();
    expect(await page.getByTestId('conversations').textContent()).toBe(api.conversations.toLocaleString('en-US'));
    expect(await page.getByTestId('turns').textContent()).toBe(api.turns.toLocaleString('en-US'));
    expect(await page.getByTestId('error-rate').textContent()).toBe(`${(api.error_rate * 100).toFixed(1)}%`);
    await page.locator('.chart canvas').first().waitFor();
    await saveScreenshot(page, 'overview');
  });
});
