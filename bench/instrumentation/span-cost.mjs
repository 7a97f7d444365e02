// Caller-path cost of the SDK's spans and memory after a million of them, with the real
// pipeline (init(): batch processor + OTLP/protobuf export to the local server).
// Run with --expose-gc so the memory figures are after a full collection.
import { performance } from 'node:perf_hooks';
import { conversation, init, llmCall, step, turn } from '@convotel/instrumentation';

const port = process.argv[2];
const handle = init({ endpoint: `http://127.0.0.1:${port}`, serviceName: 'bench', http: false, pg: false, openai: false, anthropic: false });

const usage = { inputTokens: 820, outputTokens: 64, cacheReadInputTokens: 512 };
const answer = () => null;

/** One voice turn: STT, LLM (two calls: classify then answer), a tool, TTS: 7 spans. */
function oneTurn() {
  turn({ intent: 'balance' }, (t) => {
    step('stt', { provider: 'deepgram', model: 'nova-3', audioSeconds: 3.2, confidence: 0.94 }, () => {});
    step('llm', {}, () => {
      llmCall({ provider: 'openai', model: 'gpt-4o-mini', callType: 'classification' }, (c) => {
        c.setResponse({ usage, responseModel: 'gpt-4o-mini-2024-07-18', finishReasons: ['stop'] });
        return answer();
      });
      llmCall({ provider: 'openai', model: 'gpt-4o', callType: 'chat' }, (c) => {
        c.setResponse({ usage, responseModel: 'gpt-4o-2024-08-06', finishReasons: ['stop'] });
        return answer();
      });
    });
    step('tool', { attributes: { 'gen_ai.tool.name': 'lookup_balance' } }, () => {});
    step('tts', { provider: 'elevenlabs', model: 'eleven_flash_v2_5', characters: 84, voice: 'rachel' }, () => {});
    t.setPerceivedLatencyMs(640);
  });
}

const SPANS_PER_TURN = 7;
const yieldToExporter = () => new Promise((resolve) => setImmediate(resolve));

async function timeTurns(count) {
  const samples = new Float64Array(count);
  await conversation({ conversationId: 'bench', userId: 'u', channel: 'voice' }, async () => {
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      oneTurn();
      samples[i] = (performance.now() - t0) * 1000;
      if (i % 50 === 49) await yieldToExporter();
    }
  });
  samples.sort();
  return samples;
}

await timeTurns(5_000); // warm-up
const cpuStart = process.cpuUsage();
const samples = await timeTurns(50_000);
await handle.forceFlush();
const cpu = process.cpuUsage(cpuStart);
// All CPU of the process per turn: caller path, deferred span ends, batching and OTLP export.
const cpuPerTurnUs = (cpu.user + cpu.system) / 50_000;
const perTurnMedianUs = samples[Math.floor(samples.length / 2)];
const perTurnP99Us = samples[Math.floor(samples.length * 0.99)];

globalThis.gc?.();
const before = process.memoryUsage();
const turnsForMillion = Math.ceil(1_000_000 / SPANS_PER_TURN);
const t0 = performance.now();
await timeTurns(turnsForMillion);
const elapsedS = (performance.now() - t0) / 1000;
await handle.forceFlush();
globalThis.gc?.();
const after = process.memoryUsage();
await handle.shutdown();

const mb = (n) => Math.round((n / 1024 / 1024) * 10) / 10;
process.stdout.write(
  JSON.stringify({
    spansPerTurn: SPANS_PER_TURN,
    perTurnMedianUs,
    perTurnP99Us,
    perSpanMedianUs: perTurnMedianUs / SPANS_PER_TURN,
    cpuPerTurnUs,
    millionSpans: { spans: turnsForMillion * SPANS_PER_TURN, seconds: elapsedS, heapBeforeMb: mb(before.heapUsed), heapAfterMb: mb(after.heapUsed), rssAfterMb: mb(after.rss) },
  }) + '\n',
);
