// A conversation in a real browser against a real `convotel serve` (with CONVOTEL_GRAFANA_URL):
// every turn with its steps, LLM calls and SQL on the waterfall as the API times them, the
// bottleneck and its share, the failed turn's error in full, links to Tempo and Loki; and a call of
// 500 turns renders every card.
import type { ConversationDetailAnswer, TurnAnswer } from '@convotel/api';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { saveScreenshot } from './helpers/browser.js';
import { useServedApp } from './helpers/served-app.js';
import { FAILED_TURN_INDEX, RATE_LIMIT_MESSAGE, SILENT_TURN_INDEX, sendConversationTraffic } from './helpers/conversation-traffic.js';

const GRAFANA_URL = 'http://grafana.test:3000';
const LONG_TURNS = 500;

async function apiConversation(id: string): Promise<ConversationDetailAnswer> {
  const response = await fetch(new URL(`/api/v1/conversations/${id}`, app.webUrl));
  expect(response.status).toBe(200);
  return (await response.json()) as ConversationDetailAnswer;
}

function cardOf(turn: TurnAnswer): Locator {
  return app.page.locator(`[data-testid="turn-card"][data-trace-id="${turn.trace_id}"]`);
}

/** Opens the card's waterfall when it is closed, and returns it. */
async function openWaterfall(card: Locator): Promise<Locator> {
  if ((await card.getByTestId('toggle-waterfall').getAttribute('aria-expanded')) !== 'true') await card.getByTestId('toggle-waterfall').click();
  const waterfall = card.getByTestId('waterfall');
  await waterfall.waitFor();
  return waterfall;
}

const app = useServedApp({ env: { CONVOTEL_GRAFANA_URL: GRAFANA_URL }, seed: (ingestOrigin) => sendConversationTraffic(ingestOrigin, { voiceCalls: [{ id: 'call-failing', isFailing: true }], longCall: { id: 'call-long', turns: LONG_TURNS } }), timeoutMs: 90_000 });

describe('conversation page', () => {
  it('shows every turn with each step, LLM call and SQL query the API lists, at the API durations', async () => {
    const api = await apiConversation('call-failing');
    expect(api.turns).toHaveLength(4);
    await app.page.goto(new URL('/conversations/call-failing?hours=24', app.webUrl).href);
    await app.page.getByTestId('turn-card').first().waitFor();
    expect(await app.page.getByTestId('turn-card').count()).toBe(api.turns.length);
    expect(await app.page.getByTestId('conversation-status').textContent()).toBe(api.conversation.status);
    const kinds = new Set<string>();
    for (const turn of api.turns) {
      const waterfall = await openWaterfall(cardOf(turn));
      const rows = await waterfall.getByTestId('waterfall-row').evaluateAll((elements) =>
        elements.map((row) => ({ span: row.getAttribute('data-span-id'), kind: row.getAttribute('data-kind'), ms: Number(row.getAttribute('data-duration-ms')), shown: row.querySelector('[data-testid="row-duration"]')?.textContent })),
      );
      const expected = [...turn.steps.map((s) => ({ span: s.span_id, ms: s.duration_ms })), ...turn.llm_calls.map((c) => ({ span: c.span_id, ms: c.duration_ms })), ...turn.sql_queries.map((q) => ({ span: q.span_id, ms: q.duration_ms }))];
      expect(rows.map((row) => ({ span: row.span, ms: row.ms })).sort((a, b) => a.span!.localeCompare(b.span!))).toEqual(expected.sort((a, b) => a.span.localeCompare(b.span)));
      for (const row of rows) {
        expect(row.shown).toBe(`${Math.round(row.ms)} ms`);
        kinds.add(row.kind!);
      }
    }
    expect([...kinds].sort()).toEqual(['llm', 'sql', 'stt', 'tool', 'tts']);
  });

  it('marks the bottleneck step of each turn with its share of the turn', async () => {
    const api = await apiConversation('call-failing');
    await app.page.goto(new URL('/conversations/call-failing?hours=24', app.webUrl).href);
    for (const turn of api.turns) {
      const bottleneck = turn.bottleneck!;
      const label = `${bottleneck.step} ${((bottleneck.share ?? 0) * 100).toFixed(0)}%`;
      const card = cardOf(turn);
      const waterfall = await openWaterfall(card);
      expect(await card.getByTestId('turn-bottleneck').textContent()).toBe(label);
      expect(await waterfall.getByTestId('bottleneck').textContent()).toBe(`▲ ${label}`);
      expect(await waterfall.locator('.wf-row.bottleneck').getAttribute('data-span-id')).toBe(bottleneck.span_id);
    }
  });

  it("shows the failed turn's error type and full message, where it came from, and 'not captured' for words not sent", async () => {
    const api = await apiConversation('call-failing');
    const failed = api.turns[FAILED_TURN_INDEX]!;
    expect(failed.error_message).toBe(RATE_LIMIT_MESSAGE);
    await app.page.goto(new URL('/conversations/call-failing?hours=24', app.webUrl).href);
    const error = cardOf(failed).getByTestId('turn-error');
    expect(await error.locator('strong').first().textContent()).toBe('RateLimitError');
    expect(await error.locator('pre').textContent()).toBe(RATE_LIMIT_MESSAGE);
    expect(await error.textContent()).toContain('in llm call chat gpt-4o-mini');
    expect(await cardOf(api.turns[SILENT_TURN_INDEX]!).locator('.not-captured').count()).toBe(2);
    expect(await cardOf(api.turns[0]!).locator('.turn-words.user .turn-text').textContent()).toBe(api.turns[0]!.user_input);
    await saveScreenshot(app.page, 'conversation');
  });

  it('links each turn to its trace app.page, and to Tempo and Loki in Grafana with its trace id', async () => {
    const api = await apiConversation('call-failing');
    await app.page.goto(new URL('/conversations/call-failing?hours=24', app.webUrl).href);
    for (const turn of api.turns) {
      const card = cardOf(turn);
      expect(await card.locator('a.turn-number').getAttribute('href')).toBe(`/traces/${turn.trace_id}?hours=24`);
      for (const [testId, uid] of [['tempo-link', 'tempo'], ['loki-link', 'loki']] as const) {
        const href = new URL((await card.getByTestId(testId).getAttribute('href'))!);
        expect(href.origin + href.pathname).toBe(`${GRAFANA_URL}/explore`);
        const panes = JSON.parse(href.searchParams.get('panes')!) as Record<string, { datasource: string; queries: Array<{ query?: string; expr?: string }> }>;
        const pane = Object.values(panes)[0]!;
        expect(pane.datasource).toBe(uid);
        expect(pane.queries[0]!.query ?? pane.queries[0]!.expr).toContain(turn.trace_id);
      }
    }
  });

  it(`renders a conversation of ${LONG_TURNS} turns: every card, without drawing every waterfall`, async () => {
    const started = Date.now();
    await app.page.goto(new URL('/conversations/call-long?hours=24', app.webUrl).href);
    await app.page.getByTestId('turn-card').nth(LONG_TURNS - 1).waitFor({ state: 'attached' });
    console.log(`${LONG_TURNS} turns: ${Date.now() - started} ms from navigation to the last turn card`);
    expect(await app.page.getByTestId('turn-card').count()).toBe(LONG_TURNS);
    expect(await app.page.getByTestId('waterfall').count()).toBeLessThan(LONG_TURNS);
    const last = app.page.getByTestId('turn-card').nth(LONG_TURNS - 1);
    await openWaterfall(last);
    expect(await last.getByTestId('waterfall-row').count()).toBe(4);
  });
});
