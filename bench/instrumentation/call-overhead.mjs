// One process per mode (patching is process-global): times sequential chat.completions.create
// calls against the local server. Modes: bare (no OpenTelemetry), convotel (init()), contrib
// (@opentelemetry/instrumentation-openai with the same SDK pipeline).
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const [mode, port, callsArg] = process.argv.slice(2);
const calls = Number(callsArg ?? 3000);
const endpoint = `http://127.0.0.1:${port}`;

let flush = async () => {};
if (mode === 'convotel') {
  const { init } = await import('@convotel/instrumentation');
  const handle = init({ endpoint, serviceName: 'bench', http: false, pg: false, anthropic: false });
  flush = () => handle.shutdown();
} else if (mode === 'contrib') {
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const { BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  const { OpenAIInstrumentation } = await import('@opentelemetry/instrumentation-openai');
  const processor = new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }), { maxQueueSize: 65_536, maxExportBatchSize: 2048 });
  const sdk = new NodeSDK({ serviceName: 'bench', spanProcessors: [processor], instrumentations: [new OpenAIInstrumentation()] });
  sdk.start();
  flush = () => sdk.shutdown();
} else if (mode !== 'bare') {
  throw new Error(`unknown mode ${mode}`);
}

const OpenAI = require('openai');
const client = new OpenAI({ baseURL: `${endpoint}/v1`, apiKey: 'bench', maxRetries: 0 });
const params = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You are a banking voice agent. Answer briefly.' },
    { role: 'user', content: 'What is the balance of my checking account?' },
  ],
  temperature: 0.2,
  max_tokens: 100,
};

for (let i = 0; i < 300; i++) await client.chat.completions.create(params);

const wall = new Float64Array(calls);
const cpuStart = process.cpuUsage();
for (let i = 0; i < calls; i++) {
  const t0 = performance.now();
  await client.chat.completions.create(params);
  wall[i] = (performance.now() - t0) * 1000;
}
const cpu = process.cpuUsage(cpuStart);
wall.sort();
await flush();
process.stdout.write(
  JSON.stringify({
    mode,
    calls,
    medianUs: wall[Math.floor(calls / 2)],
    p99Us: wall[Math.floor(calls * 0.99)],
    cpuUsPerCall: (cpu.user + cpu.system) / calls,
  }) + '\n',
);
