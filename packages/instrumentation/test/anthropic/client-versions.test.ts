// The oldest and the newest `@anthropic-ai/sdk` the instrumentation claims, each installed on its
// own (test/fixtures/client-versions) and run through the real module hook of the built package.
import {
  ATTR_CONVOTEL_COST_USD,
  ATTR_CONVOTEL_LLM_FUNCTION,
  ATTR_CONVOTEL_LLM_TTFT_MS,
  ATTR_CONVOTEL_USAGE_ESTIMATED,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_SERVER_PORT,
} from '@convotel/semconv';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AnthropicInstrumentation } from '../../src/anthropic/instrumentation.js';
import {
  startAnthropicServer,
  toMessageBody,
  type AnthropicServer,
  type ScriptedReply,
} from '../helpers/anthropic-server.js';
import {
  installClientProject,
  listClientProjects,
  MODULE_SYSTEMS,
  runClientCalls,
  startRuns,
  type ClientProject,
  type ClientRun,
  type ModuleSystem,
} from '../helpers/client-versions.js';
import type { ReceivedSpan } from '../helpers/otlp-json-receiver.js';

/** What fixtures/client-versions/anthropic-calls.mjs returns. */
interface Seen {
  plain: string;
  tool: unknown;
  toolStatus: number;
  stream: string;
  toolStream: unknown;
  helperStream: string;
  raw: string;
  rateLimit: string;
}

const TOOL_INPUT = { order_id: 'A1' };
const TOOL_USE = { type: 'tool_use', id: 'toolu_01A09q90qw90lq917835lq9', name: 'lookup_order', input: TOOL_INPUT };
const toolAnswer: ScriptedReply = {
  kind: 'message',
  message: { content: [{ type: 'text', text: 'Let me look.' }, TOOL_USE], stop_reason: 'tool_use' },
};
const message = toMessageBody();
/** The server's answers, in the order anthropic-calls.mjs makes its calls. */
const ANSWER_ORDER: ScriptedReply[] = [
  { kind: 'message' }, // plain
  toolAnswer, // tool
  { kind: 'message' }, // stream
  toolAnswer, // tool-stream
  { kind: 'message' }, // helper-stream
  { kind: 'message' }, // raw
  { kind: 'error', status: 429, errorType: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' },
];

const projects = listClientProjects('@anthropic-ai/sdk');
const supportedVersions = new AnthropicInstrumentation({ enabled: false }).getModuleDefinitions()[0]!.supportedVersions;

let runOf: (project: ClientProject, moduleSystem: ModuleSystem) => Promise<[ClientRun<Seen>, AnthropicServer]>;

beforeAll(async () => {
  await Promise.all(projects.map(installClientProject));
  runOf = startRuns(projects, runCalls);
}, 300_000);

/** Runs the calls against a server of their own, which answers them in {@link ANSWER_ORDER}. */
async function runCalls(project: ClientProject, moduleSystem: ModuleSystem): Promise<[ClientRun<Seen>, AnthropicServer]> {
  const server = await startAnthropicServer();
  try {
    for (const reply of ANSWER_ORDER) server.reply(reply);
    return [await runClientCalls<Seen>(project, moduleSystem, 'anthropic-calls.mjs', { ANTHROPIC_BASE_URL: server.baseURL }), server];
  } finally {
    await server.close();
  }
}

/** The one span of this instrumentation labelled with `functionName` by the calls module. */
function spanOf(run: ClientRun<Seen>, functionName: string): ReceivedSpan {
  const found = run.spans.filter(
    (s) => s.scope === '@convotel/instrumentation/anthropic' && s.attributes[ATTR_CONVOTEL_LLM_FUNCTION] === functionName,
  );
  expect(found, `spans of ${functionName}`).toHaveLength(1);
  return found[0]!;
}

function expectUsage(span: ReceivedSpan): void {
  const label = String(span.attributes[ATTR_CONVOTEL_LLM_FUNCTION]);
  expect(span.name, label).toBe('chat claude-haiku-4-5');
  expect(span.attributes[ATTR_GEN_AI_REQUEST_MODEL], label).toBe('claude-haiku-4-5');
  expect(span.attributes[ATTR_GEN_AI_RESPONSE_MODEL], label).toBe(message.model);
  expect(span.attributes[ATTR_GEN_AI_RESPONSE_ID], label).toBe(message.id);
  // OTel's input count adds Anthropic's cache reads and writes back in.
  const { input_tokens, cache_read_input_tokens, cache_creation_input_tokens, output_tokens } = message.usage;
  expect(span.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS], label).toBe(input_tokens + cache_read_input_tokens! + cache_creation_input_tokens!);
  expect(span.attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS], label).toBe(output_tokens);
  expect(span.attributes[ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS], label).toBe(cache_read_input_tokens);
  expect(span.attributes[ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS], label).toBe(cache_creation_input_tokens);
  expect(span.attributes[ATTR_CONVOTEL_USAGE_ESTIMATED], label).toBeUndefined();
  expect(span.attributes[ATTR_CONVOTEL_COST_USD], label).toBeGreaterThan(0);
}

function expectToolUse(span: ReceivedSpan): void {
  expect(span.attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS]).toEqual(['tool_use']);
  expect(JSON.parse(span.attributes[ATTR_GEN_AI_OUTPUT_MESSAGES] as string)).toEqual([
    {
      role: 'assistant',
      parts: [
        { type: 'text', content: 'Let me look.' },
        { type: 'tool_call', id: TOOL_USE.id, name: TOOL_USE.name, arguments: TOOL_INPUT },
      ],
      finish_reason: 'tool_use',
    },
  ]);
}

it('tests the lowest version the range claims and the newest major under its bound', () => {
  expect(supportedVersions).toHaveLength(1);
  const [, lowest, bound] = /^>=(\S+) <(\d+)$/.exec(supportedVersions[0]!) ?? [];
  expect(projects[0]?.version).toBe(lowest);
  expect(Number(projects.at(-1)?.version.split('.')[0])).toBe(Number(bound) - 1);
});

describe.each(projects)('@anthropic-ai/sdk $version', (project) => {
  it.each(MODULE_SYSTEMS)('records every call of an %s app', async (moduleSystem) => {
    const [run, server] = await runOf(project, moduleSystem);
    expect(run.nodeVersion).toBe(project.node.version);

    expect(run.resolved.startsWith(join(project.dir, 'node_modules', '@anthropic-ai', 'sdk'))).toBe(true);
    // The app got the client's answers unchanged.
    const text = message.content[0]!.text;
    expect(run.seen).toEqual({
      plain: text,
      tool: TOOL_INPUT,
      toolStatus: 200,
      stream: text,
      toolStream: TOOL_INPUT,
      helperStream: text,
      raw: message.id,
      rateLimit: 'RateLimitError',
    });

    const plain = spanOf(run, 'plain');
    expectUsage(plain);
    expect(plain.attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS]).toEqual(['end_turn']);
    expect(plain.attributes[ATTR_SERVER_PORT]).toBe(server.port);

    const tool = spanOf(run, 'tool');
    expectUsage(tool);
    expectToolUse(tool);

    for (const name of ['stream', 'tool-stream', 'helper-stream']) {
      const span = spanOf(run, name);
      expectUsage(span);
      expect(span.attributes[ATTR_CONVOTEL_LLM_TTFT_MS], name).toBeGreaterThan(0);
    }
    expectToolUse(spanOf(run, 'tool-stream'));

    // The caller took the body: the span knows the request, and claims no usage.
    const raw = spanOf(run, 'raw');
    expect(raw.attributes[ATTR_GEN_AI_REQUEST_MODEL]).toBe('claude-haiku-4-5');
    expect(raw.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBeUndefined();

    const refused = spanOf(run, 'rate-limit');
    expect(refused.attributes[ATTR_ERROR_TYPE]).toBe('RateLimitError');
    expect(refused.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBeUndefined();

    // The client's own spans stay off under init().
    expect(run.spans.filter((s) => s.scope === 'com.anthropic.sdk.typescript')).toEqual([]);
  });
});
