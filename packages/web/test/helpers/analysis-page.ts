// Reading the analysis pages' tables in the browser, and asking the API the same questions.
import type { Page } from 'playwright-core';

/** The text of every body cell of the first table inside `container`, a row each (trimmed). */
export async function tableRows(page: Page, container: string): Promise<string[][]> {
  const table = page.locator(`${container} table`);
  await table.waitFor();
  const rows: string[][] = [];
  for (const row of await table.locator('tbody tr').all()) rows.push((await row.locator('td').allTextContents()).map((cell) => cell.trim()));
  return rows;
}

/** Waits until the table's rows satisfy `isWanted` (the page refetches after a URL change). */
export async function waitForRows(page: Page, container: string, isWanted: (rows: string[][]) => boolean, timeoutMs = 10_000): Promise<string[][]> {
  const deadline = Date.now() + timeoutMs;
  let rows: string[][] = [];
  while (Date.now() < deadline) {
    rows = await tableRows(page, container);
    if (isWanted(rows)) return rows;
    await page.waitForTimeout(100);
  }
  return rows;
}

/** GET `path` of the API at `origin` as JSON. */
export async function apiAnswer<T>(origin: URL, path: string): Promise<T> {
  const response = await fetch(new URL(`/api/v1${path}`, origin));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
