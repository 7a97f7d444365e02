// The compare page in a real browser against a real `convotel serve`: for two windows (calls sent
// by the real SDK before and after an instant, the later ones slower), it shows the API's figures
// and colors the slowdown as worse.
import type { CompareAnswer } from '@convotel/api';
import { describe, expect, it } from 'vitest';
import { formatCount, formatMillis } from '../app/src/format/units.js';
import { saveScreenshot } from './helpers/browser.js';
import { startCallSender } from './helpers/call-traffic.js';
import { useServedApp } from './helpers/served-app.js';

let windows: Record<'before_from' | 'before_to' | 'after_from' | 'after_to', string>;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `calls` calls of `turns` turns each, the LLM taking `llmMs`. */
async function sendCalls(sender: ReturnType<typeof startCallSender>, prefix: string, calls: number, turns: number, llmMs: number): Promise<void> {
  for (let c = 0; c < calls; c += 1) {
    const call = sender.startCall(`${prefix}-${c + 1}`);
    for (let t = 0; t < turns; t += 1) await call.turn({ llmMs });
    call.end();
  }
  await sender.flush();
}

/** Two calls before an instant and two slower ones after it; `windows` gets the two sides. */
async function sendBeforeAndAfter(ingestOrigin: string): Promise<void> {
  const sender = startCallSender(ingestOrigin);
  const start = new Date(Date.now() - 1000).toISOString();
  await sendCalls(sender, 'before', 2, 3, 20);
  await sleep(20);
  const change = new Date().toISOString();
  await sleep(20);
  await sendCalls(sender, 'after', 2, 2, 200);
  await sender.shutdown();
  windows = { before_from: start, before_to: change, after_from: change, after_to: new Date(Date.now() + 1000).toISOString() };
}

const app = useServedApp({ seed: sendBeforeAndAfter });

describe('compare page', () => {
  it("shows the API's turn and step figures for two windows, the slowdown colored as worse", async () => {
    const search = new URLSearchParams(windows).toString();
    const api = (await (await fetch(new URL(`/api/v1/compare?${search}`, app.webUrl))).json()) as CompareAnswer;
    expect(api.turns.before.count).toBe(6);
    expect(api.turns.after.count).toBe(4);
    await app.page.goto(new URL(`/compare?${search}`, app.webUrl).href);
    await app.page.getByTestId('compare-turns').waitFor();

    const turns = (row: string, cell: string) => app.page.getByTestId(`compare-turns-${row}`).getByTestId(cell).textContent();
    expect(await turns('count', 'before')).toBe(formatCount(api.turns.before.count));
    expect(await turns('count', 'after')).toBe(formatCount(api.turns.after.count));
    for (const figure of ['avg', 'p50', 'p95'] as const) {
      expect(await turns(figure, 'before')).toBe(formatMillis(api.turns.before[`${figure}_ms`]));
      expect(await turns(figure, 'after')).toBe(formatMillis(api.turns.after[`${figure}_ms`]));
    }
    const p95Delta = app.page.getByTestId('compare-turns-p95').getByTestId('delta-p95');
    expect(await p95Delta.textContent()).toContain(`+${formatMillis(api.turns.delta_ms.p95)}`);
    expect(await p95Delta.getAttribute('class')).toContain('worse');

    expect(api.steps.map((row) => row.step)).toEqual(['llm', 'stt', 'tts']);
    for (const step of api.steps) {
      const row = app.page.getByTestId(`compare-step-${step.step}`);
      expect(await row.getByTestId('before-count').textContent()).toBe(formatCount(step.before.count));
      expect(await row.getByTestId('after-count').textContent()).toBe(formatCount(step.after.count));
      expect(await row.getByTestId('before-p95').textContent()).toBe(formatMillis(step.before.p95_ms));
      expect(await row.getByTestId('after-p95').textContent()).toBe(formatMillis(step.after.p95_ms));
    }
    expect(await app.page.getByTestId('compare-step-llm').getByTestId('delta-avg').getAttribute('class')).toContain('worse');
    await saveScreenshot(app.page, 'compare');
  });

  it('puts a change instant from the form into the URL and compares around it', async () => {
    await app.page.goto(new URL('/compare', app.webUrl).href);
    await app.page.getByTestId('compare-turns').waitFor();
    // datetime-local takes the browser's local time; the page sends the instant in UTC.
    const local = await app.page.evaluate((iso) => {
      const date = new Date(iso);
      return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
    }, windows.after_from);
    await app.page.locator('input[name="change_at"]').fill(local);
    await app.page.getByRole('button', { name: 'Compare before / after' }).click();
    await app.page.waitForURL(/after_from=/);
    const sent = new URL(app.page.url()).searchParams.get('after_from')!;
    expect(Math.abs(Date.parse(sent) - Date.parse(windows.after_from))).toBeLessThan(1000);
    await app.page.getByTestId('compare-turns-count').getByTestId('after').waitFor();
    const api = (await (await fetch(new URL(`/api/v1/compare?after_from=${encodeURIComponent(sent)}`, app.webUrl))).json()) as CompareAnswer;
    await expect.poll(() => app.page.getByTestId('compare-turns-count').getByTestId('after').textContent()).toBe(formatCount(api.turns.after.count));
  });
});
