// The oldest and the newest `openai` the instrumentation claims, each installed on its own
// (test/fixtures/client-versions) and run through the real module hook of the built package.
import {
  ATTR_CONVOTEL_COST_USD,
  ATTR_CONVOTEL_LLM_FUNCTION,
  ATTR_CONVOTEL_LLM_TTFT_MS,
  ATTR_CONVOTEL_USAGE_ESTIMATED,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_SERVER_PORT,
} from '@convotel/semconv';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAIInstrumentation } from '../../src/openai/instrumentation.js';
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
import {
  CHAT_MODEL,
  CHAT_USAGE,
  EMBEDDING_DIMENSIONS,
  EMBEDDINGS_USAGE,
  LARGE_REPLY_LENGTH,
  REPLY_TEXT,
  RESPONSES_USAGE,
  startOpenAIServer,
  TOOL_CALL,
  type OpenAIServer,
} from '../helpers/openai-server.js';
import type { ReceivedSpan } from '../helpers/otlp-json-receiver.js';

/** What fixtures/client-versions/openai-calls.mjs returns. */
interface Seen {
  plain: string;
  tool: string;
  toolStatus: number;
  stream: string;
  toolStream: string;
  raw: string;
  rawLarge: number;
  rateLimit: string;
  embeddings: number;
  responses?: string;
}

const projects = listClientProjects('openai');
const supportedVersions = new OpenAIInstrumentation({ enabled: false }).getModuleDefinitions()[0]!.supportedVersions;
let server: OpenAIServer;
let runOf: (project: ClientProject, moduleSystem: ModuleSystem) => Promise<ClientRun<Seen>>;

beforeAll(async () => {
  server = await startOpenAIServer();
  await Promise.all(projects.map(installClientProject));
  runOf = startRuns(projects, (project, moduleSystem) =>
    runClientCalls<Seen>(project, moduleSystem, 'openai-calls.mjs', { OPENAI_BASE_URL: server.baseURL }),
  );
}, 300_000);
afterAll(() => server?.close());

/** The one span of this instrumentation labelled with `functionName` by the calls module. */
function spanOf(run: ClientRun<Seen>, functionName: string): ReceivedSpan {
  const found = run.spans.filter(
    (s) => s.scope === '@convotel/instrumentation/openai' && s.attributes[ATTR_CONVOTEL_LLM_FUNCTION] === functionName,
  );
  expect(found, `spans of ${functionName}`).toHaveLength(1);
  return found[0]!;
}

function expectChatUsage(span: ReceivedSpan): void {
  const label = String(span.attributes[ATTR_CONVOTEL_LLM_FUNCTION]);
  expect(span.name, label).toBe('chat gpt-4o-mini');
  expect(span.attributes[ATTR_GEN_AI_REQUEST_MODEL], label).toBe('gpt-4o-mini');
  expect(span.attributes[ATTR_GEN_AI_RESPONSE_MODEL], label).toBe(CHAT_MODEL);
  expect(span.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS], label).toBe(CHAT_USAGE.prompt_tokens);
  expect(span.attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS], label).toBe(CHAT_USAGE.completion_tokens);
  expect(span.attributes[ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS], label).toBe(CHAT_USAGE.prompt_tokens_details.cached_tokens);
  expect(span.attributes[ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS], label).toBe(CHAT_USAGE.completion_tokens_details.reasoning_tokens);
  expect(span.attributes[ATTR_CONVOTEL_USAGE_ESTIMATED], label).toBeUndefined();
  expect(span.attributes[ATTR_CONVOTEL_COST_USD], label).toBeGreaterThan(0);
}

function expectToolCall(span: ReceivedSpan): void {
  expect(span.attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS]).toEqual(['tool_calls']);
  expect(JSON.parse(span.attributes[ATTR_GEN_AI_OUTPUT_MESSAGES] as string)).toEqual([
    {
      role: 'assistant',
      parts: [{ type: 'tool_call', id: TOOL_CALL.id, name: TOOL_CALL.name, arguments: { order_id: 'A1' } }],
      finish_reason: 'tool_calls',
    },
  ]);
}

it('tests the lowest version the range claims and the newest major under its bound', () => {
  expect(supportedVersions).toHaveLength(1);
  const [, lowest, bound] = /^>=(\S+) <(\d+)$/.exec(supportedVersions[0]!) ?? [];
  expect(projects[0]?.version).toBe(lowest);
  expect(Number(projects.at(-1)?.version.split('.')[0])).toBe(Number(bound) - 1);
});

describe.each(projects)('openai $version', (project) => {
  it.each(MODULE_SYSTEMS)('records every call of an %s app', async (moduleSystem) => {
    const run = await runOf(project, moduleSystem);
    expect(run.nodeVersion).toBe(project.node.version);

    expect(run.resolved.startsWith(join(project.dir, 'node_modules', 'openai'))).toBe(true);
    // The app got the client's answers unchanged.
    expect(run.seen).toMatchObject({
      plain: REPLY_TEXT,
      tool: TOOL_CALL.name,
      toolStatus: 200,
      stream: REPLY_TEXT,
      toolStream: TOOL_CALL.name,
      raw: 'chatcmpl-test-1',
      rawLarge: LARGE_REPLY_LENGTH,
      rateLimit: 'RateLimitError',
      embeddings: EMBEDDING_DIMENSIONS,
    });

    const plain = spanOf(run, 'plain');
    expectChatUsage(plain);
    expect(plain.attributes[ATTR_GEN_AI_RESPONSE_ID]).toBe('chatcmpl-test-1');
    expect(plain.attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS]).toEqual(['stop']);
    expect(plain.attributes[ATTR_SERVER_PORT]).toBe(server.port);

    const tool = spanOf(run, 'tool');
    expectChatUsage(tool);
    expectToolCall(tool);

    const stream = spanOf(run, 'stream');
    expectChatUsage(stream);
    expect(stream.attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS]).toEqual(['stop']);
    expect(stream.attributes[ATTR_CONVOTEL_LLM_TTFT_MS]).toBeGreaterThanOrEqual(0);

    const toolStream = spanOf(run, 'tool-stream');
    expectChatUsage(toolStream);
    expectToolCall(toolStream);

    // Read from a copy of the body the caller took with asResponse().
    const raw = spanOf(run, 'raw');
    expectChatUsage(raw);
    expect(raw.attributes[ATTR_GEN_AI_RESPONSE_ID]).toBe('chatcmpl-test-1');

    // openai 4's node-fetch copy of a large body stalls while the caller leaves the original
    // unread: it is given up, the span ends when the body arrived. From openai 5 on it is read.
    const rawLarge = spanOf(run, 'raw-large');
    expect(rawLarge.durationMs).toBeLessThan(1_000);
    const major = Number(project.version.split('.')[0]);
    expect(rawLarge.attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]).toBe(major >= 5 ? CHAT_USAGE.completion_tokens : undefined);

    const refused = spanOf(run, 'rate-limit');
    expect(refused.attributes[ATTR_ERROR_TYPE]).toBe('RateLimitError');
    expect(refused.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBeUndefined();

    const embeddings = spanOf(run, 'embeddings');
    expect(embeddings.name).toBe('embeddings text-embedding-3-small');
    expect(embeddings.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBe(EMBEDDINGS_USAGE.prompt_tokens);
    expect(embeddings.attributes[ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT]).toBe(EMBEDDING_DIMENSIONS);
    expect(embeddings.attributes[ATTR_CONVOTEL_COST_USD]).toBeGreaterThan(0);

    if (run.seen.responses !== undefined) {
      expect(run.seen.responses).toBe(REPLY_TEXT);
      const responses = spanOf(run, 'responses');
      expect(responses.name).toBe('chat gpt-4o-mini');
      expect(responses.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBe(RESPONSES_USAGE.input_tokens);
      expect(responses.attributes[ATTR_CONVOTEL_COST_USD]).toBeGreaterThan(0);
    }
  });
});
