// The first five minutes in the browser: a fresh `convotel serve` on the embedded store, the
// demo's calls (`convotel demo`, the real openai client against its mock), then every page as a
// newcomer opens it. The figures are the API's; the screenshots of this run are the README's.
import { describe, expect, it, vi } from 'vitest';
import { runCli, type CliRun } from '../../cli/test/helpers/run-cli.js';
import { saveScreenshot } from './helpers/browser.js';
import { useServedApp } from './helpers/served-app.js';

const CALLS = 6;

interface ConversationItem {
  readonly conversation_id: string;
  readonly status: string;
  readonly errors: number;
  readonly turns: number;
}

let demo: CliRun;

async function api<T>(path: string): Promise<T> {
  const response = await fetch(new URL(`/api/v1${path}`, app.webUrl));
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

const conversations = (): Promise<{ items: ConversationItem[] }> => api('/conversations?hours=1&limit=100');

/** `convotel demo` as a newcomer runs it, then waits until every call's conversation is stored whole. */
async function runDemo(ingestOrigin: string): Promise<void> {
  demo = await runCli(['demo', '--calls', String(CALLS), '--concurrency', String(CALLS), '--seed', '1', '--otlp-endpoint', ingestOrigin], {}, 90_000);
  expect(demo.code, demo.stderr).toBe(0);
  // A conversation's span ends last (at hang-up): once every call is completed, all turns are in.
  await vi.waitFor(
    async () => {
      const { items } = await conversations();
      expect(items.filter((item) => item.status === 'completed')).toHaveLength(CALLS);
    },
    { timeout: 20_000, interval: 500 },
  );
}

const app = useServedApp({ seed: runDemo, page: { viewport: { width: 1366, height: 900 } }, timeoutMs: 150_000 });

describe("a newcomer's first five minutes in the web app", () => {
  it("opens on the overview, whose figures are the API's for the demo's calls", async () => {
    const overview = await api<{ conversations: number; turns: number; failed_turns: number; error_rate: number; cost_usd: { total: number } }>('/overview?hours=24');
    expect(overview.conversations).toBe(CALLS);
    expect(overview.failed_turns).toBeGreaterThan(0);
    await app.page.goto(new URL('/', app.webUrl).href);
    await app.page.getByTestId('turns').waitFor();
    expect(await app.page.getByTestId('conversations').textContent()).toBe(String(CALLS));
    expect(await app.page.getByTestId('turns').textContent()).toBe(overview.turns.toLocaleString('en-US'));
    expect(await app.page.getByTestId('error-rate').textContent()).toBe(`${(overview.error_rate * 100).toFixed(1)}%`);
    await app.page.locator('.chart canvas').first().waitFor();
    await saveScreenshot(app.page, 'demo-overview');
  });

  it('lists the calls, and the rate-limited one shows every turn with its steps, the bottleneck and the error in full', async () => {
    const { items } = await conversations();
    const failed = items.find((item) => item.errors > 0);
    expect(failed, 'the demo rate-limits one call in six').toBeDefined();
    await app.page.goto(new URL('/conversations?hours=24', app.webUrl).href);
    await app.page.getByRole('link', { name: failed!.conversation_id }).or(app.page.locator(`a[href^="/conversations/${failed!.conversation_id}"]`)).first().waitFor();
    await saveScreenshot(app.page, 'demo-conversations');

    const detail = await api<{ turns: Array<{ trace_id: string; status: string; error_type: string | null; user_input: string | null; steps: Array<{ name: string }> }> }>(`/conversations/${failed!.conversation_id}`);
    await app.page.goto(new URL(`/conversations/${failed!.conversation_id}?hours=24`, app.webUrl).href);
    await app.page.getByTestId('turn-card').first().waitFor();
    expect(await app.page.getByTestId('turn-card').count()).toBe(detail.turns.length);
    for (const turn of detail.turns) {
      const card = app.page.locator(`[data-testid="turn-card"][data-trace-id="${turn.trace_id}"]`);
      expect(await card.getByTestId('turn-bottleneck').textContent()).toMatch(/^(stt|llm|tts|tool) \d+%$/);
    }
    const failedTurn = detail.turns.find((turn) => turn.status === 'error')!;
    expect(failedTurn.error_type).toBe('RateLimitError');
    const error = app.page.locator(`[data-testid="turn-card"][data-trace-id="${failedTurn.trace_id}"]`).getByTestId('turn-error');
    expect(await error.textContent()).toContain('RateLimitError');
    expect(await error.textContent()).toContain('429 Rate limit reached');
    // The order question's turn runs the tool and its SQL lookup: its waterfall draws every kind.
    await saveScreenshot(app.page, 'demo-conversation');
    let toolTurn: (typeof detail.turns)[number] | undefined;
    let toolConversation = '';
    for (const item of items) {
      const turns = (await api<typeof detail>(`/conversations/${item.conversation_id}`)).turns;
      toolTurn = turns.find((turn) => turn.steps.some((step) => step.name === 'tool'));
      toolConversation = item.conversation_id;
      if (toolTurn !== undefined) break;
    }
    expect(toolTurn, 'the demo asks about an order').toBeDefined();
    await app.page.goto(new URL(`/conversations/${toolConversation}?hours=24`, app.webUrl).href);
    const toolCard = app.page.locator(`[data-testid="turn-card"][data-trace-id="${toolTurn!.trace_id}"]`);
    const toggle = toolCard.getByTestId('toggle-waterfall');
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    // The demo captures its scripted words: the thread shows what the caller said.
    expect(toolTurn!.user_input).toEqual(expect.any(String));
    expect(await toolCard.locator('.turn-words.user .turn-text').textContent()).toBe(toolTurn!.user_input);
    const kinds = await toolCard.getByTestId('waterfall-row').evaluateAll((rows) => [...new Set(rows.map((row) => row.getAttribute('data-kind')))]);
    expect(kinds).toEqual(expect.arrayContaining(['stt', 'llm', 'tts', 'tool', 'sql']));
    await saveScreenshot(app.page, 'demo-conversation-tool');

    await app.page.goto(new URL(`/traces/${failedTurn.trace_id}?hours=24`, app.webUrl).href);
    await app.page.getByTestId('turn-error').waitFor();
    await saveScreenshot(app.page, 'demo-trace');
  });

  it('shows a call of the demo on /live as its turns are committed', async () => {
    await app.page.goto(new URL('/live', app.webUrl).href);
    await app.page.getByText('connected', { exact: false }).first().waitFor();
    const before = new Set((await conversations()).items.map((item) => item.conversation_id));
    const more = await runCli(['demo', '--calls', '1', '--seed', '2', '--otlp-endpoint', app.ingestOrigin], {}, 60_000);
    expect(more.code, more.stderr).toBe(0);
    const added = (await conversations()).items.map((item) => item.conversation_id).find((id) => !before.has(id));
    expect(added).toBeDefined();
    await app.page.locator(`a[href^="/conversations/${added!}"]`).first().waitFor({ timeout: 5000 });
    await saveScreenshot(app.page, 'demo-live');
  });

  it('draws the analysis pages from the demo', async () => {
    for (const name of ['steps', 'llm', 'costs', 'errors', 'compare']) {
      await app.page.goto(new URL(`/${name}?hours=24`, app.webUrl).href);
      await app.page.locator('main h1').waitFor();
      await app.page.waitForLoadState('networkidle');
      expect(await app.page.locator('.notice.error').count(), name).toBe(0);
      await saveScreenshot(app.page, `demo-${name}`);
    }
  });
});
