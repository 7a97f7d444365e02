// Runs the demo calls: `node --import @convotel/instrumentation/register dist/main.js --calls 10`.
// The register hook starts the SDK from the environment (OTEL_EXPORTER_OTLP_ENDPOINT,
// OTEL_SERVICE_NAME) and flushes the spans when the process runs out of work, so this file only
// lets the event loop empty: no process.exit().
// Prints one line per finished call, `call <done>/<total> <conversation id> <outcome>`, which
// `convotel demo` turns into its progress bar.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import OpenAI from 'openai';
import { runCall, type AgentDeps } from './agent.js';
import { startMockOpenAIServer, type MockOpenAIServer } from './mock-openai-server.js';
import { openOrdersDb } from './orders-db.js';
import { planCalls, type CallPlan } from './plan.js';

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0 || (number === 0 && name !== 'seed')) throw new Error(`--${name}: expected a whole number, got ${value}`);
  return number;
}

const { values } = parseArgs({
  options: { calls: { type: 'string' }, concurrency: { type: 'string' }, seed: { type: 'string' } },
});
const calls = positiveInteger('calls', values.calls, 10);
const concurrency = positiveInteger('concurrency', values.concurrency, 4);
const seed = positiveInteger('seed', values.seed, 1);

// OPENAI_BASE_URL is what the openai client reads itself; without it the mock runs in here.
let mock: MockOpenAIServer | undefined;
if (process.env['OPENAI_BASE_URL'] === undefined) mock = await startMockOpenAIServer();
const openai = new OpenAI({
  baseURL: mock?.baseUrl ?? process.env['OPENAI_BASE_URL'],
  apiKey: process.env['OPENAI_API_KEY'] ?? 'demo-key',
  // One retry, as the client would do in production; a rate-limited turn still fails after it.
  maxRetries: 1,
});
const deps: AgentDeps = { openai, orders: await openOrdersDb() };

// Distinct ids on every run, so running the demo twice never merges two calls.
const runId = randomBytes(3).toString('hex');
const plans = planCalls(calls, seed);
console.log(`demo: ${calls} calls, concurrency ${concurrency}, seed ${seed}, run ${runId}`);

let done = 0;
async function worker(queue: CallPlan[]): Promise<void> {
  for (let plan = queue.shift(); plan !== undefined; plan = queue.shift()) {
    const result = await runCall(plan, `demo-${runId}-${String(plan.index + 1).padStart(3, '0')}`, deps);
    done += 1;
    const notes = [result.outcome, plan.kind === 'slow' ? 'slow' : undefined, result.interruptedTurns > 0 ? `${result.interruptedTurns} interrupted` : undefined];
    console.log(`call ${done}/${calls} ${result.conversationId} ${notes.filter((note) => note !== undefined).join(' ')}`);
  }
}

try {
  const queue = [...plans];
  await Promise.all(Array.from({ length: Math.min(concurrency, calls) }, () => worker(queue)));
} finally {
  await deps.orders.close();
  await mock?.close();
}
