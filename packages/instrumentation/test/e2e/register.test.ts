import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicServer, type AnthropicServer } from '../helpers/anthropic-server.js';
import { startOpenAIServer, type OpenAIServer } from '../helpers/openai-server.js';
import { startOtlpJsonReceiver, type OtlpJsonReceiver } from '../helpers/otlp-json-receiver.js';

const run = promisify(execFile);
const appDir = fileURLToPath(new URL('../fixtures/register-app/', import.meta.url));
const packageDir = fileURLToPath(new URL('../../', import.meta.url));

let openai: OpenAIServer;
let anthropic: AnthropicServer;

beforeAll(async () => {
  [openai, anthropic] = await Promise.all([startOpenAIServer(), startAnthropicServer()]);
});
afterAll(async () => {
  await Promise.all([openai.close(), anthropic.close()]);
});

/** Runs a fixture app as a user would, exporting OTLP/JSON to a fresh receiver. */
async function runApp(flag: '--import' | '--require', app: string): Promise<OtlpJsonReceiver> {
  const receiver = await startOtlpJsonReceiver();
  try {
    const { stdout } = await run(process.execPath, [flag, '@convotel/instrumentation/register', appDir + app], {
      cwd: packageDir,
      env: {
        PATH: process.env.PATH,
        OTEL_SERVICE_NAME: 'e2e-app',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OPENAI_BASE_URL: openai.baseURL,
        ANTHROPIC_BASE_URL: anthropic.baseURL,
      },
      timeout: 30_000,
    });
    expect(stdout).toContain('app done');
  } finally {
    await receiver.close();
  }
  return receiver;
}

function expectTurnWithLlmCalls(received: OtlpJsonReceiver, conversationId: string): void {
  const byName = (name: string) => received.spans.filter((s) => s.name === name);
  const [conv] = byName('conversation');
  const [turn] = byName('turn');
  expect(conv, 'conversation span').toBeDefined();
  expect(turn, 'turn span').toBeDefined();
  expect(turn!.traceId).not.toBe(conv!.traceId);
  expect(turn!.links).toEqual([conv!.spanId]);
  const [openaiCall] = byName('chat gpt-4o-mini');
  const [anthropicCall] = byName('chat claude-haiku-4-5');
  expect(openaiCall!.traceId).toBe(turn!.traceId);
  expect(openaiCall!.scope).toBe('@convotel/instrumentation/openai');
  expect(openaiCall!.attributes['gen_ai.provider.name']).toBe('openai');
  expect(openaiCall!.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
  expect(openaiCall!.attributes['convotel.cost.usd']).toBeGreaterThan(0);
  expect(anthropicCall!.traceId).toBe(turn!.traceId);
  expect(anthropicCall!.attributes['gen_ai.provider.name']).toBe('anthropic');
  expect(anthropicCall!.attributes['convotel.cost.usd']).toBeGreaterThan(0);
  // The client's own duplicate span is switched off by init().
  expect(received.spans.filter((s) => s.scope === 'com.anthropic.sdk.typescript')).toEqual([]);
  for (const span of received.spans) {
    expect(span.attributes['gen_ai.conversation.id'], span.name).toBe(conversationId);
    expect(span.attributes['user.id'], span.name).toBe('user-1');
  }
  expect(received.resources[0]!['service.name']).toBe('e2e-app');
  // Traces and logs only: no metrics export unless OTEL_METRICS_EXPORTER asks for it.
  expect(new Set(received.paths)).toEqual(new Set(['/v1/traces', '/v1/logs']));
  const [event] = received.logs;
  expect(event!.eventName).toBe('balance_lookup');
  expect(event!.traceId).toBe(turn!.traceId);
  expect(event!.attributes['convotel.event.component']).toBe('account_service');
}

describe('zero-code setup', () => {
  it('instruments an ESM app started with --import and exports everything over OTLP/HTTP before exit', async () => {
    const received = await runApp('--import', 'app.mjs');
    expectTurnWithLlmCalls(received, 'conv-esm');
    const [stt] = received.spans.filter((s) => s.name === 'step stt');
    expect(stt!.attributes['convotel.cost.usd']).toBeGreaterThan(0);
  });

  it('instruments a CommonJS app started with --require', async () => {
    const received = await runApp('--require', 'app.cjs');
    expectTurnWithLlmCalls(received, 'conv-cjs');
  });
});
