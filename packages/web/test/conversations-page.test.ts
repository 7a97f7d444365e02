// The conversations list in a real browser against a real `convotel serve`: its rows are the API's,
// page by page (next and previous), and filters and sort in the URL reach the API.
import type { ConversationsAnswer } from '@convotel/api';
import { describe, expect, it } from 'vitest';
import { saveScreenshot } from './helpers/browser.js';
import { useServedApp } from './helpers/served-app.js';
import { sendConversationTraffic } from './helpers/conversation-traffic.js';

async function apiList(query: string): Promise<ConversationsAnswer> {
  const response = await fetch(new URL(`/api/v1/conversations?${query}`, app.webUrl));
  expect(response.status).toBe(200);
  return (await response.json()) as ConversationsAnswer;
}

/** The ids of the rows shown (polled by the assertions: a new page replaces the old one once it arrives). */
async function shownIds(): Promise<string[]> {
  await app.page.getByTestId('conversation-row').first().waitFor();
  return app.page.getByTestId('conversation-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-conversation-id') ?? ''));
}

const app = useServedApp({ seed: (ingestOrigin) => sendConversationTraffic(ingestOrigin, { voiceCalls: [0, 1, 2, 3, 4].map((n) => ({ id: `list-${n}`, isFailing: n % 3 === 0 })) }) });

describe('conversations page', () => {
  it('lists the conversations the API lists, with their figures, each linking to its conversation in the same window', async () => {
    const api = await apiList('hours=24');
    expect(api.items).toHaveLength(5);
    await app.page.goto(new URL('/conversations?hours=24', app.webUrl).href);
    await expect.poll(shownIds).toEqual(api.items.map((item) => item.conversation_id));
    const first = api.items[0]!;
    const row = app.page.locator(`[data-conversation-id="${first.conversation_id}"]`);
    expect(await row.locator('td').nth(1).textContent()).toBe(first.user_id);
    expect(await row.locator('td').nth(6).textContent()).toBe(String(first.turns));
    expect(await row.locator('a.row-link').getAttribute('href')).toBe(`/conversations/${first.conversation_id}?hours=24`);
    await saveScreenshot(app.page, 'conversations');
  });

  it('pages with the API cursor: next twice, then previous back to the first page', async () => {
    const first = await apiList('hours=24&limit=2');
    const second = await apiList(`hours=24&limit=2&cursor=${first.next_cursor}`);
    const third = await apiList(`hours=24&limit=2&cursor=${second.next_cursor}`);
    expect(third.next_cursor).toBeNull();
    await app.page.goto(new URL('/conversations?hours=24&limit=2', app.webUrl).href);
    await expect.poll(shownIds).toEqual(first.items.map((item) => item.conversation_id));
    expect(await app.page.getByTestId('previous-page').getAttribute('aria-disabled')).toBe('true');
    await app.page.getByTestId('next-page').click();
    await app.page.waitForURL(/cursor=/);
    await expect.poll(shownIds).toEqual(second.items.map((item) => item.conversation_id));
    await app.page.getByTestId('next-page').click();
    await app.page.waitForURL((url) => url.searchParams.get('cursor') === second.next_cursor);
    await expect.poll(shownIds).toEqual(third.items.map((item) => item.conversation_id));
    expect(await app.page.getByTestId('next-page').isDisabled()).toBe(true);
    await app.page.getByTestId('previous-page').click();
    await app.page.waitForURL((url) => url.searchParams.get('cursor') === first.next_cursor);
    await expect.poll(shownIds).toEqual(second.items.map((item) => item.conversation_id));
    await app.page.getByTestId('previous-page').click();
    await app.page.waitForURL((url) => !url.searchParams.has('cursor'));
    await expect.poll(shownIds).toEqual(first.items.map((item) => item.conversation_id));
  });

  it('filters by the status in the URL, and the Failed preset sets it', async () => {
    const failed = await apiList('hours=24&status=error');
    expect(failed.items.map((item) => item.conversation_id).sort()).toEqual(['list-0', 'list-3']);
    await app.page.goto(new URL('/conversations?hours=24', app.webUrl).href);
    await shownIds();
    await app.page.locator('.presets').getByText('Failed').click();
    await app.page.waitForURL((url) => url.searchParams.get('status') === 'error');
    await expect.poll(shownIds).toEqual(failed.items.map((item) => item.conversation_id));
    await app.page.goto(new URL('/conversations?hours=24&status=completed', app.webUrl).href);
    const completed = await apiList('hours=24&status=completed');
    await expect.poll(shownIds).toEqual(completed.items.map((item) => item.conversation_id));
  });

  it('sorts on the server: slowest first, as the API orders them', async () => {
    const slowest = await apiList('hours=24&sort=slowest');
    await app.page.goto(new URL('/conversations?hours=24', app.webUrl).href);
    await shownIds();
    await app.page.locator('th a.sort', { hasText: 'Duration' }).click();
    await app.page.waitForURL((url) => url.searchParams.get('sort') === 'slowest');
    await expect.poll(shownIds).toEqual(slowest.items.map((item) => item.conversation_id));
  });

  it('searches the captured words with q, and says so when nothing matches', async () => {
    await app.page.goto(new URL('/conversations?hours=24', app.webUrl).href);
    await shownIds();
    await app.page.getByLabel('Search captured words').fill('no such words anywhere');
    await app.page.getByLabel('Search captured words').press('Enter');
    await app.page.waitForURL((url) => url.searchParams.get('q') === 'no such words anywhere');
    await app.page.getByText('No conversation matches these filters').waitFor();
  });
});
