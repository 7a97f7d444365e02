// A real browser for the web app's tests: Debian's Chromium driven by playwright-core, headless,
// with its background traffic off (this machine's network is closed). Screenshots of each page
// go to test-results/screenshots/ of this package.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** CONVOTEL_CHROMIUM overrides where Chromium is. */
export const CHROMIUM_PATH = process.env['CONVOTEL_CHROMIUM'] ?? '/usr/bin/chromium';

export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png`, fullPage: true });
}
