import { Command, InvalidArgumentError, Option } from 'commander';
import { createCallProgress } from '../demo/call-progress.js';
import { checkOtlpEndpoint, parseOtlpEndpoint } from '../demo/otlp-endpoint.js';
import { DEMO_SERVICE_NAME, EXAMPLE_PACKAGE, runVoiceAgent, type FinishedCall } from '../demo/voice-agent.js';
import { CliError, EXIT_CODES } from '../exit-codes.js';
import { parsePositiveInteger } from '../options.js';

interface DemoFlags {
  readonly calls: number;
  readonly concurrency: number;
  readonly seed: number;
  readonly otlpEndpoint: string;
  /** False with `--no-capture`. */
  readonly capture: boolean;
}

const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';
/** Where `convotel serve` answers by default, for the closing hints. */
const DEFAULT_WEB = 'http://localhost:8080/';
const MAX_CALLS = 10_000;

function parseCalls(value: string): number {
  const calls = parsePositiveInteger(value);
  if (calls > MAX_CALLS) throw new InvalidArgumentError(`expected at most ${MAX_CALLS}`);
  return calls;
}

/** What the run contained, from the agent's lines, and where to look next. */
function closingLines(flags: DemoFlags, calls: readonly FinishedCall[], seconds: string): string[] {
  const rateLimited = calls.filter((call) => call.notes.includes('rate_limited'));
  const slow = calls.filter((call) => call.notes.includes('slow'));
  const interrupted = calls.reduce((sum, call) => sum + Number(/(\d+) interrupted/.exec(call.notes.join(' '))?.[1] ?? 0), 0);
  const configured = process.env['CONVOTEL_URL'];
  const web = configured !== undefined && URL.canParse(configured) ? `${new URL(configured).origin}/` : DEFAULT_WEB;
  const failed = rateLimited[0]?.conversationId ?? calls[0]?.conversationId ?? '<conversation id>';
  const next: Array<readonly [string, string]> = [
    [web, 'the web view (the address `convotel serve` printed)'],
    ['convotel recent', 'the calls, newest first'],
    [`convotel summary ${failed}`, rateLimited.length > 0 ? 'a call whose LLM step hit the rate limit: its steps and bottleneck' : "one call's steps and bottleneck"],
    [`convotel trace ${failed}`, 'every step, LLM call and SQL query of it'],
    ['convotel averages', 'time per step: stt, llm, tool, tts'],
    ['convotel slow --threshold 6s', 'the slow calls'],
    ['convotel errors', 'error rate by step and model, the rate-limit pattern'],
  ];
  const width = Math.max(...next.map(([what]) => what.length)) + 2;
  return [
    `Sent ${calls.length} calls of ${DEMO_SERVICE_NAME} to ${flags.otlpEndpoint} in ${seconds}s: ${rateLimited.length} with a rate-limited turn, ${slow.length} slow, ${interrupted} interrupted turns.`,
    '',
    'Look at them:',
    ...next.map(([what, why]) => `  ${what.padEnd(width)}${why}`),
  ];
}

/** `convotel demo`: runs the example voice agent against a mock OpenAI server and sends its telemetry to the ingest. */
export function demoCommand(): Command {
  const command = new Command('demo')
    .description('run the example voice agent (STT → LLM with a tool and an SQL lookup → TTS) and send its telemetry to a running convotel')
    .option('--calls <n>', `calls to make (1…${MAX_CALLS})`, parseCalls, 10)
    .option('--concurrency <n>', 'calls at the same time', parsePositiveInteger, 4)
    .option('--seed <n>', 'seed of the scripted traffic: the same seed sends the same calls', parsePositiveInteger, 1)
    .option('--no-capture', "don't record what caller and agent say (recorded by default: the demo's words are scripted, and redacted like any capture)")
    .addOption(
      new Option('--otlp-endpoint <url>', 'OTLP/HTTP endpoint of the convotel ingest (or a collector)').env('OTEL_EXPORTER_OTLP_ENDPOINT').default(DEFAULT_OTLP_ENDPOINT),
    );
  return command.action(async (options: DemoFlags) => {
    const flags: DemoFlags = { ...options, otlpEndpoint: parseOtlpEndpoint(options.otlpEndpoint) };
    await checkOtlpEndpoint(flags.otlpEndpoint);
    // The mock runs here, not in the agent, so its server side adds no spans to the demo's traffic.
    const { startMockOpenAIServer } = await import('@convotel/example-voice-agent/mock-openai-server').catch((error: unknown) => {
      throw new CliError(EXIT_CODES.failure, `the demo agent (${EXAMPLE_PACKAGE}) is not installed here: run \`npm install\` in the convotel repository (${(error as Error).message})`);
    });
    const mock = await startMockOpenAIServer();
    const progress = createCallProgress(flags.calls);
    const finished: FinishedCall[] = [];
    const startedMs = Date.now();
    try {
      await runVoiceAgent({ ...flags, openaiBaseUrl: mock.baseUrl }, (call) => {
        finished.push(call);
        progress.update(call.done, call.line);
      });
    } finally {
      progress.stop();
      await mock.close();
    }
    const seconds = ((Date.now() - startedMs) / 1000).toFixed(1);
    for (const line of closingLines(flags, finished, seconds)) console.log(line);
  });
}
