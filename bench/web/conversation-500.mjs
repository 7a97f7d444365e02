// Web benchmark: a conversation of 500 turns (stt → llm with an LLM call → tts, content captured)
// sent by the real SDK to a `convotel serve` on a temporary embedded store, then opened in
// headless Chromium a few times. Prints, per run and as medians: the API answer's time and size,
// the time from navigation to the last turn card in the DOM, the longest main-thread task and the
// total blocking time (long tasks beyond 50 ms) up to then, DOM nodes, JS heap, the time from a
// click to the frame showing a closed turn's waterfall, and the mean frame time scrolling the page
// a screen per frame.
//
// Usage: node bench/web/conversation-500.mjs [--turns 500 --runs 5]
// Needs a built workspace (`npm run build`) and Chromium (CONVOTEL_CHROMIUM, default
// /usr/bin/chromium).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { init, llmCall, startConversation, step } from '@convotel/instrumentation';
import { chromium } from 'playwright-core';

const { values: args } = parseArgs({ options: { turns: { type: 'string', default: '500' }, runs: { type: 'string', default: '5' } } });
const TURNS = Number(args.turns);
const RUNS = Number(args.runs);
const BIN = fileURLToPath(new URL('../../packages/cli/bin/convotel.js', import.meta.url));
const CHROMIUM = process.env.CONVOTEL_CHROMIUM ?? '/usr/bin/chromium';
const CONVERSATION_ID = 'bench-500';

/** `convotel serve` on ephemeral ports; resolves with its ingest and web URLs once printed. */
async function serve() {
  const dataDir = await mkdtemp(join(tmpdir(), 'convotel-bench-web-'));
  const child = spawn(process.execPath, [BIN, 'serve', '--otlp-port', '0', '--port', '0'], {
    env: { PATH: process.env.PATH ?? '', CONVOTEL_DATA_DIR: dataDir, CONVOTEL_LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = await new Promise((resolve, reject) => {
    const seen = [];
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      seen.push(...parts);
      if (seen.length >= 3) resolve(seen);
    });
    child.once('exit', (code) => reject(new Error(`convotel serve exited with ${code}`)));
  });
  const urlIn = (line) => new URL(/http:\/\/\S+?(?=[\s,)]|$)/.exec(line)[0]);
  return {
    ingest: urlIn(lines[0]),
    web: urlIn(lines.find((line) => line.startsWith('convotel web:'))),
    stop: async () => {
      await new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      });
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function sendLongCall(ingestOrigin) {
  const sdk = init({ serviceName: 'voice-agent', endpoint: ingestOrigin, captureContent: true, http: false, pg: false, openai: false, anthropic: false });
  const call = startConversation({ conversationId: CONVERSATION_ID, userId: 'caller-bench', agentName: 'support', channel: 'voice' });
  for (let t = 0; t < TURNS; t += 1) {
    await call.turn({}, async (turn) => {
      turn.setUserInput(`question ${t + 1}: where is my order?`);
      await step('stt', { provider: 'deepgram', model: 'nova-3', audioSeconds: 1 }, () => undefined);
      await step('llm', {}, () =>
        llmCall({ provider: 'openai', model: 'gpt-4o-mini', functionName: 'answer' }, (handle) => {
          handle.setResponse({ responseModel: 'gpt-4o-mini', usage: { inputTokens: 100, outputTokens: 20 } });
        }),
      );
      await step('tts', { provider: 'elevenlabs', model: 'eleven_flash_v2_5', characters: 40 }, () => undefined);
      turn.setAgentOutput(`answer ${t + 1}: it ships tomorrow.`);
    });
  }
  call.end('hangup');
  await sdk.shutdown();
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const server = await serve();
try {
  const sendStarted = performance.now();
  await sendLongCall(server.ingest.origin);
  console.log(`sent ${TURNS} turns in ${Math.round(performance.now() - sendStarted)} ms`);
  const apiUrl = new URL(`/api/v1/conversations/${CONVERSATION_ID}`, server.web);
  const apiStarted = performance.now();
  const body = await (await fetch(apiUrl)).text();
  console.log(`API answer: ${Math.round(performance.now() - apiStarted)} ms, ${(body.length / 1024).toFixed(0)} KB, ${JSON.parse(body).turns.length} turns`);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const results = [];
  try {
    for (let run = 0; run < RUNS; run += 1) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      // Long tasks from the first byte on, read back once the last card is in the DOM.
      await page.addInitScript(() => {
        window.__longTasks = [];
        new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((entry) => entry.duration))).observe({ type: 'longtask', buffered: true });
      });
      const started = performance.now();
      await page.goto(new URL(`/conversations/${CONVERSATION_ID}?hours=24`, server.web).href);
      await page.getByTestId('turn-card').nth(TURNS - 1).waitFor({ state: 'attached', timeout: 60_000 });
      const toLastCardMs = performance.now() - started;
      const metrics = await page.evaluate(() => ({
        longTasks: window.__longTasks,
        nodes: document.getElementsByTagName('*').length,
        heapMb: (performance.memory?.usedJSHeapSize ?? 0) / 1048576,
        waterfalls: document.querySelectorAll('[data-testid="waterfall"]').length,
      }));
      // In the page: from the click to the next frame with the waterfall in the DOM.
      const openWaterfallMs = await page.evaluate(async () => {
        const cards = document.querySelectorAll('[data-testid="turn-card"]');
        const last = cards[cards.length - 1];
        const t0 = performance.now();
        last.querySelector('[data-testid="toggle-waterfall"]').click();
        while (last.querySelector('[data-testid="waterfall"]') === null) await new Promise((resolve) => requestAnimationFrame(resolve));
        return performance.now() - t0;
      });
      // A screen's height per frame down the whole page: the mean time between frames.
      const { scrollMs, frames } = await page.evaluate(async () => {
        const t0 = performance.now();
        let count = 0;
        for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight) {
          window.scrollTo(0, y);
          await new Promise((resolve) => requestAnimationFrame(resolve));
          count += 1;
        }
        return { scrollMs: performance.now() - t0, frames: count };
      });
      const frameMs = scrollMs / frames;
      const longest = Math.max(0, ...metrics.longTasks);
      const blocking = metrics.longTasks.reduce((sum, ms) => sum + Math.max(0, ms - 50), 0);
      const result = { toLastCardMs, longest, blocking, nodes: metrics.nodes, heapMb: metrics.heapMb, waterfalls: metrics.waterfalls, openWaterfallMs, frameMs };
      results.push(result);
      console.log(
        `run ${run + 1}: last card ${result.toLastCardMs.toFixed(0)} ms · longest task ${longest.toFixed(0)} ms · blocking ${blocking.toFixed(0)} ms · ` +
          `${result.nodes} nodes · heap ${result.heapMb.toFixed(1)} MB · ${result.waterfalls} waterfalls drawn · open one ${openWaterfallMs.toFixed(0)} ms · scrolling ${frames} screens ${frameMs.toFixed(1)} ms/frame`,
      );
      await page.close();
    }
  } finally {
    await browser.close();
  }
  const pick = (name) => median(results.map((result) => result[name]));
  console.log(
    `median of ${RUNS}: last card ${pick('toLastCardMs').toFixed(0)} ms, longest task ${pick('longest').toFixed(0)} ms, blocking ${pick('blocking').toFixed(0)} ms, ` +
      `open a waterfall ${pick('openWaterfallMs').toFixed(0)} ms, scrolling ${pick('frameMs').toFixed(1)} ms/frame`,
  );
} finally {
  await server.stop();
}
