// The live page in a real browser against a real `convotel serve`: a turn the real SDK exports
// shows there within two seconds, a failed one in red with its message; with the feed turned off
// the page says so.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, stopServe, urlIn, type ServeProcess } from '../../cli/test/helpers/serve-process.js';
import { launchBrowser, saveScreenshot } from './helpers/browser.js';
import { startCallSender, type CallSender } from './helpers/call-traffic.js';

const FAILURE = '503 The model is overloaded, try again later';

let server: ServeProcess;
let offServer: ServeProcess;
let browser: Browser;
let page: Page;
let webUrl: URL;
let offWebUrl: URL;
let sender: CallSender;

const webLineOf = (entry: ServeProcess): URL => urlIn(entry.lines.find((line) => line.startsWith('convotel web:')));

beforeAll(async () => {
  [server, offServer] = await Promise.all([startServe(['--otlp-port', '0', '--port', '0'], 3), startServe(['--otlp-port', '0', '--port', '0', '--no-live'], 3)]);
  webUrl = webLineOf(server);
  offWebUrl = webLineOf(offServer);
  sender = startCallSender(urlIn(server.lines[0]).origin);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
}, 60_000);

afterAll(async () => {
  await sender?.shutdown();
  await browser?.close();
  await Promise.all([server, offServer].filter((entry) => entry !== undefined).map((entry) => stopServe(entry)));
});

describe('live page', () => {
  it('shows a turn exported by the SDK within two seconds, and a failed turn in red with its error message', async () => {
    await page.goto(new URL('/live', webUrl).href);
    await page.locator('[data-testid="live-status"][data-state="connected"]').waitFor();
    await page.getByTestId('live-empty').waitFor();

    const call = sender.startCall('live-call-1');
    await call.turn({ perceivedLatencyMs: 420 });
    await sender.flush();
    const exported = Date.now();
    const firstTurn = page.locator('[data-testid="live-turn"][data-conversation="live-call-1"][data-index="0"]');
    await firstTurn.waitFor({ timeout: 5000 });
    const shownAfterMs = Date.now() - exported;
    expect(shownAfterMs).toBeLessThan(2000);
    expect(await firstTurn.textContent()).toContain('420 ms');
    await expect.poll(() => page.locator('[data-testid="live-call"][data-conversation="live-call-1"]').count()).toBe(1);

    await call.turn({ failure: FAILURE });
    await sender.flush();
    const failedTurn = page.locator('[data-testid="live-turn"][data-conversation="live-call-1"][data-index="1"]');
    await failedTurn.waitFor({ timeout: 5000 });
    expect(await failedTurn.getAttribute('class')).toContain('failed');
    expect(await failedTurn.getByTestId('live-turn-error').textContent()).toContain(FAILURE);
    const color = await failedTurn.getByTestId('live-turn-error').evaluate((element) => (globalThis as unknown as { getComputedStyle(of: unknown): { color: string } }).getComputedStyle(element).color);
    expect(color).toBe('rgb(197, 48, 48)');
    const errorEvent = page.locator('[data-testid="live-event"].is-error').first();
    await errorEvent.waitFor({ timeout: 5000 });
    expect(await errorEvent.textContent()).toContain(FAILURE);
    expect(await errorEvent.getAttribute('class')).toContain('is-error');
    // Each turn links to its trace and the call to its conversation.
    expect(await failedTurn.locator('a').first().getAttribute('href')).toMatch(/^\/traces\/[0-9a-f]{32}$/);
    expect(await page.locator('[data-testid="live-call"][data-conversation="live-call-1"] .live-call-id').getAttribute('href')).toBe('/conversations/live-call-1');
    // eslint-disable-next-line no-console
    console.log(`live: a turn showed ${shownAfterMs} ms after its export finished`);

    // A second call alongside, one turn cut off by the caller.
    const second = sender.startCall('live-call-2');
    await second.turn({ perceivedLatencyMs: 380 });
    await second.turn({ perceivedLatencyMs: 510, isInterrupted: true });
    await sender.flush();
    const interrupted = page.locator('[data-testid="live-turn"][data-conversation="live-call-2"][data-index="1"]');
    await interrupted.waitFor({ timeout: 5000 });
    expect(await interrupted.textContent()).toContain('interrupted');
    await saveScreenshot(page, 'live');
    second.end();

    call.end('hangup');
    await sender.flush();
    await page.locator('#live-ended-title').waitFor({ timeout: 5000 });
    expect(await page.locator('[data-testid="live-call"].over[data-conversation="live-call-1"]').count()).toBe(1);
  });

  it('holds the view while paused and shows what was buffered on resume', async () => {
    await page.goto(new URL('/live?conversation=live-call-billing', webUrl).href);
    await page.locator('[data-testid="live-status"][data-state="connected"]').waitFor();
    await page.getByRole('button', { name: 'Pause' }).click();
    const other = sender.startCall('live-call-other', 'support');
    const billing = sender.startCall('live-call-billing', 'billing');
    await other.turn();
    await billing.turn();
    await sender.flush();
    await page.getByRole('button', { name: /^Resume \(\d+ new\)$/ }).waitFor({ timeout: 5000 });
    expect(await page.locator('[data-testid="live-turn"]').count()).toBe(0);
    await page.getByRole('button', { name: /Resume/ }).click();
    await page.locator('[data-testid="live-turn"][data-conversation="live-call-billing"]').waitFor({ timeout: 5000 });
    // The filter went to the API: the other call never came.
    expect(await page.locator('[data-testid="live-call"][data-conversation="live-call-other"]').count()).toBe(0);
    other.end();
    billing.end();
    await sender.flush();
  });

  it('shows a call already in progress when the page opens', async () => {
    const call = sender.startCall('live-call-midway');
    await call.turn();
    await call.turn();
    await sender.flush();
    await page.goto(new URL('/live?conversation=live-call-midway', webUrl).href);
    await page.locator('[data-testid="live-turn"][data-conversation="live-call-midway"][data-index="1"]').waitFor({ timeout: 5000 });
    expect(await page.locator('[data-testid="live-turn"][data-conversation="live-call-midway"]').count()).toBe(2);
    call.end();
    await sender.flush();
  });

  it('says the live feed is off when the server runs with --no-live', async () => {
    // A tab of its own: nothing left over from the connected server's page.
    const offPage = await browser.newPage({ viewport: { width: 1280, height: 700 } });
    try {
      await offPage.goto(new URL('/live', offWebUrl).href);
      await offPage.getByTestId('live-off').waitFor({ timeout: 5000 });
      expect(await offPage.getByTestId('live-off').textContent()).toContain('The live feed is off');
      expect(await offPage.getByTestId('live-status').getAttribute('data-state')).toBe('off');
    } finally {
      await offPage.close();
    }
  });
});
