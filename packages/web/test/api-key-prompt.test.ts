// With API keys configured, the page asks for a key once, keeps it for the tab, and a wrong key
// is asked for again: a real browser against a real `convotel serve`.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, stopServe, urlIn, type ServeProcess } from '../../cli/test/helpers/serve-process.js';
import { launchBrowser, saveScreenshot } from './helpers/browser.js';

const KEY = 'web-test-key-1';

let server: ServeProcess;
let browser: Browser;
let webUrl: URL;

beforeAll(async () => {
  server = await startServe(['--otlp-port', '0', '--port', '0'], 3, { CONVOTEL_API_KEYS: KEY });
  webUrl = urlIn(server.lines.find((line) => line.startsWith('convotel web:'))!);
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server !== undefined) await stopServe(server);
});

describe('API key prompt', () => {
  it('asks for a key when the API answers 401, asks again after a wrong one, and shows the page with the right one', async () => {
    const page = await browser.newPage();
    const overviewCalls: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/v1/overview')) overviewCalls.push(request.headers()['authorization'] ?? '');
    });
    await page.goto(new URL('/', webUrl).href);
    const dialog = page.getByRole('dialog', { name: 'This convotel needs an API key' });
    await dialog.waitFor();
    await saveScreenshot(page, 'api-key-prompt');
    await page.getByLabel('API key', { exact: true }).fill('not-the-key');
    await page.getByRole('button', { name: 'Use this key' }).click();
    // Refused: the prompt comes back (the wrong key was tried once and forgotten).
    await expect.poll(() => overviewCalls.includes('Bearer not-the-key')).toBe(true);
    await dialog.waitFor();
    await page.getByLabel('API key', { exact: true }).fill(KEY);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await page.getByTestId('conversations').or(page.getByText('No conversations in this window yet')).first().waitFor();
    expect(await dialog.count()).toBe(0);
    expect(overviewCalls.at(-1)).toBe(`Bearer ${KEY}`);
    await page.close();
  });

  it('keeps the key for the tab: a reload asks nothing, a new tab asks again', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(new URL('/', webUrl).href);
    await page.getByLabel('API key', { exact: true }).fill(KEY);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await page.getByText('No conversations in this window yet').waitFor();
    await page.reload();
    await page.getByText('No conversations in this window yet').waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
    const other = await context.newPage();
    await other.goto(new URL('/', webUrl).href);
    await other.getByRole('dialog', { name: 'This convotel needs an API key' }).waitFor();
    await context.close();
  });
});
