// Runs examples/voice-agent as a user would run their own agent: a separate Node process started
// with `--import @convotel/instrumentation/register`, configured by OTEL_* variables only. The
// example is a workspace package the CLI depends on, so it is found by module resolution from
// here, wherever the repository is.
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CliError, EXIT_CODES } from '../exit-codes.js';

export const EXAMPLE_PACKAGE = '@convotel/example-voice-agent';
/** `service.name` of the demo's spans. */
export const DEMO_SERVICE_NAME = 'voice-agent-demo';

export interface VoiceAgentRun {
  readonly calls: number;
  readonly concurrency: number;
  readonly seed: number;
  readonly otlpEndpoint: string;
  /** Where the agent's OpenAI client is sent (the mock server). */
  readonly openaiBaseUrl: string;
  /** Record what caller and agent said (the demo's scripted words), redacted like any capture. */
  readonly capture: boolean;
}

/** One line the agent printed for a finished call: `call <done>/<total> <conversation id> <notes…>`. */
export interface FinishedCall {
  readonly done: number;
  readonly conversationId: string;
  readonly notes: readonly string[];
  readonly line: string;
}

const FINISHED_CALL = /^call (\d+)\/\d+ (\S+)(.*)$/;

/** The agent's line for a finished call, or undefined for any other line. */
export function parseFinishedCall(line: string): FinishedCall | undefined {
  const match = FINISHED_CALL.exec(line.trim());
  if (match === null) return undefined;
  return { done: Number(match[1]), conversationId: match[2]!, notes: match[3]!.trim().split(/\s+/).filter(Boolean), line: line.trim() };
}

/** The example's entry script and its folder; fails clearly when the example is not installed. */
export function locateExample(): { entry: string; folder: string } {
  try {
    const entry = fileURLToPath(import.meta.resolve(EXAMPLE_PACKAGE));
    return { entry, folder: dirname(fileURLToPath(import.meta.resolve(`${EXAMPLE_PACKAGE}/package.json`))) };
  } catch (error) {
    throw new CliError(EXIT_CODES.failure, `the demo agent (${EXAMPLE_PACKAGE}) is not installed here: run \`npm install\` in the convotel repository (${(error as Error).message})`);
  }
}

/** Child environment: the user's, with the OTLP target ours, so no per-signal variable sends the demo elsewhere. */
function agentEnv(run: VoiceAgentRun): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', 'OTEL_SDK_DISABLED']) delete env[name];
  return {
    ...env,
    OTEL_EXPORTER_OTLP_ENDPOINT: run.otlpEndpoint,
    OTEL_SERVICE_NAME: DEMO_SERVICE_NAME,
    OPENAI_BASE_URL: run.openaiBaseUrl,
    OPENAI_API_KEY: 'demo-key',
    CONVOTEL_CAPTURE_CONTENT: String(run.capture),
    // The agent makes no HTTP or pg calls of its own worth a span; its LLM calls are patched either way.
    CONVOTEL_HTTP: 'false',
    CONVOTEL_PG: 'false',
  };
}

/**
 * Runs the agent to its end (it exits once its spans are exported) and reports each finished
 * call to `onCall`; rejects with the agent's last words when it fails. Ctrl-C (or SIGTERM) stops
 * the agent with SIGTERM, on which the register hook exports what it has before the agent exits.
 */
export async function runVoiceAgent(run: VoiceAgentRun, onCall: (call: FinishedCall) => void): Promise<void> {
  const { entry, folder } = locateExample();
  const args = ['--import', '@convotel/instrumentation/register', entry, '--calls', String(run.calls), '--concurrency', String(run.concurrency), '--seed', String(run.seed)];
  // Started in the example's folder: `--import` resolves its package from the working directory.
  // Detached, in a process group of its own, so the terminal's Ctrl-C reaches only us: the
  // agent's default SIGINT would end it before its spans are exported.
  const child = spawn(process.execPath, args, { cwd: folder, env: agentEnv(run), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let done = 0;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const call = parseFinishedCall(line);
    if (call === undefined) return;
    done = call.done;
    onCall(call);
  });
  let isInterrupted = false;
  const stop = () => {
    isInterrupted = true;
    child.kill('SIGTERM');
  };
  // SIGTERM too: the agent is in a group of its own and would otherwise outlive us.
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode) => resolve(exitCode));
  }).finally(() => {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  });
  if (isInterrupted) {
    throw new CliError(EXIT_CODES.failure, `interrupted after ${done} of ${run.calls} calls; the agent exported its spans before it stopped`);
  }
  if (code !== 0) {
    const lastWords = stderr.trim().split('\n').slice(-5).join('\n');
    throw new CliError(EXIT_CODES.failure, `the demo agent exited with code ${code}${lastWords === '' ? '' : `:\n${lastWords}`}`);
  }
}
