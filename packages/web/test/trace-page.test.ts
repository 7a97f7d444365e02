// The trace page in a real browser against a real `convotel serve` (no Grafana configured): one
// turn alone with its waterfall, its error in full, its LLM calls, and a link to its conversation.
import type { ConversationDetailAnswer, TraceAnswer } from '@convotel/api';
import { describe, expect, it } from 'vitest';
import { saveScreenshot } from './helpers/browser.js';
import { useServedApp } from './helpers/served-app.js';
import { FAILED_TURN_INDEX, RATE_LIMIT_MESSAGE, sendConversationTraffic } from './helpers/conversation-traffic.js';

async function apiJson<T>(path: string): Promise<T> {
  const response = await fetch(new URL(`/api/v1${path}`, app.webUrl));
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

const app = useServedApp({ seed: (ingestOrigin) => sendConversationTraffic(ingestOrigin, { voiceCalls: [{ id: 'call-traced', isFailing: true }] }) });

describe('trace page', () => {
  it('shows the turn of the trace with its waterfall, as the API answers it, linked to its conversation', async () => {
    const conversation = await apiJson<ConversationDetailAnswer>('/conversations/call-traced');
    const traceId = conversation.turns[0]!.trace_id;
    const api = await apiJson<TraceAnswer>(`/traces/${traceId}`);
    const turn = api.turns[0]!;
    await app.page.goto(new URL(`/traces/${traceId}?hours=24`, app.webUrl).href);
    const card = app.page.getByTestId('turn-card');
    await card.getByTestId('waterfall').waitFor();
    expect(await card.count()).toBe(1);
    expect(await card.getAttribute('data-trace-id')).toBe(traceId);
    const spans = await card.getByTestId('waterfall-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-span-id')));
    expect(spans.sort()).toEqual([...turn.steps.map((s) => s.span_id), ...turn.llm_calls.map((c) => c.span_id), ...turn.sql_queries.map((q) => q.span_id)].sort());
    expect(await card.getByTestId('turn-bottleneck').textContent()).toBe(`${turn.bottleneck!.step} ${(turn.bottleneck!.share! * 100).toFixed(0)}%`);
    expect(await card.getByTestId('turn-event').count()).toBe(turn.events.length);
    expect(await app.page.getByTestId('trace-conversation').getAttribute('href')).toBe('/conversations/call-traced?hours=24');
    // Without CONVOTEL_GRAFANA_URL there is nowhere to link to.
    expect(await card.getByTestId('tempo-link').count()).toBe(0);
    await saveScreenshot(app.page, 'trace');
  });

  it("shows a failed turn's error type and message in full, and its failed LLM call", async () => {
    const conversation = await apiJson<ConversationDetailAnswer>('/conversations/call-traced');
    const traceId = conversation.turns[FAILED_TURN_INDEX]!.trace_id;
    await app.page.goto(new URL(`/traces/${traceId}`, app.webUrl).href);
    const error = app.page.getByTestId('turn-error');
    await error.waitFor();
    expect(await error.locator('strong').first().textContent()).toBe('RateLimitError');
    expect(await error.locator('pre').textContent()).toBe(RATE_LIMIT_MESSAGE);
    expect(await app.page.locator('.wf-row.failed').count()).toBe(2);
    expect(await app.page.locator('table tr.failed').count()).toBe(1);
  });

  it('says so when no trace has that id', async () => {
    await app.page.goto(new URL('/traces/00000000000000000000000000000000', app.webUrl).href);
    await app.page.getByRole('alert').waitFor();
    expect(await app.page.getByRole('alert').textContent()).toContain('no trace');
  });
});
