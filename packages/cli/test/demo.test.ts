// `convotel demo`'s parts beyond the newcomer path (newcomer-path.test.ts): the mock OpenAI
// server as the real `openai` client sees it, the command's refusals, and Ctrl-C.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { startMockOpenAIServer, type MockOpenAIServer } from '@convotel/example-voice-agent/mock-openai-server';
import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BIN, rowOf, runCli } from './helpers/run-cli.js';
import { startServe, stopServe, urlIn } from './helpers/serve-process.js';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const TOOLS: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  { type: 'function', function: { name: 'lookup_order', parameters: { type: 'object', properties: { order_id: { type: 'string' } } } } },
];

describe('the demo agent mock OpenAI server', () => {
  let mock: MockOpenAIServer | undefined;
  afterEach(async () => {
    await mock?.close();
    mock = undefined;
  });

  it('answers the real openai client with a tool call, then with text from the tool result, with usage', async () => {
    mock = await startMockOpenAIServer();
    const client = new OpenAI({ baseURL: mock.baseUrl, apiKey: 'test', maxRetries: 0 });
    const first = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Where is my order 1003?' }], tools: TOOLS });
    expect(first.model).toBe('gpt-4o-mini-2024-07-18');
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' ? [call.function.name, JSON.parse(call.function.arguments)] : undefined).toEqual(['lookup_order', { order_id: '1003' }]);
    expect(first.usage?.prompt_tokens).toBeGreaterThan(0);

    const second = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: 'Where is my order 1003?' },
        first.choices[0]!.message,
        { role: 'tool', tool_call_id: call!.id, content: JSON.stringify({ id: '1003', status: 'out for delivery', eta_minutes: 20 }) },
      ],
      tools: TOOLS,
    });
    expect(second.choices[0]?.finish_reason).toBe('stop');
    expect(second.choices[0]?.message.content).toBe('Order 1003 is out for delivery; it should be with you in about 20 minutes.');
  });

  it('answers a rate-limited request with 429, retry-after and the error body the client turns into a RateLimitError', async () => {
    mock = await startMockOpenAIServer();
    const client = new OpenAI({ baseURL: mock.baseUrl, apiKey: 'test', maxRetries: 0 });
    const failure = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] }, { headers: { 'x-demo-behaviour': 'rate-limit' } })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(OpenAI.RateLimitError);
    const error = failure as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error.status).toBe(429);
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.message).toMatch(/^429 Rate limit reached for gpt-4o-mini/);
    expect(error.headers?.get('retry-after')).toBe('1');
  });

  it('waits x-demo-latency-ms before answering', async () => {
    mock = await startMockOpenAIServer();
    const client = new OpenAI({ baseURL: mock.baseUrl, apiKey: 'test', maxRetries: 0 });
    const startedMs = performance.now();
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] }, { headers: { 'x-demo-latency-ms': '300' } });
    expect(performance.now() - startedMs).toBeGreaterThanOrEqual(290);
  });
});

describe('convotel demo', () => {
  it('exits 3 and says what to start when nothing answers at the OTLP endpoint', async () => {
    const port = await closedPort();
    const { code, stdout, stderr } = await runCli(['demo', '--calls', '1', '--otlp-endpoint', `http://127.0.0.1:${port}`]);
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toBe(`convotel: nothing answers at the OTLP endpoint http://127.0.0.1:${port} (ECONNREFUSED): start \`convotel serve\` first, or point --otlp-endpoint at a running ingest or collector\n`);
  });

  it('exits 3 when the endpoint answers but is no OTLP receiver (404 on /v1/traces)', async () => {
    const notOtlp = await startMockOpenAIServer();
    try {
      const origin = new URL(notOtlp.baseUrl).origin;
      const { code, stderr } = await runCli(['demo', '--calls', '1', '--otlp-endpoint', origin]);
      expect(code).toBe(3);
      expect(stderr).toContain(`convotel: ${origin} answers, but is no OTLP receiver (POST /v1/traces: 404)`);
    } finally {
      await notOtlp.close();
    }
  });

  it('takes the endpoint from OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    const port = await closedPort();
    const { code, stderr } = await runCli(['demo', '--calls', '1'], { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}/` });
    expect(code).toBe(3);
    expect(stderr).toContain(`the OTLP endpoint http://127.0.0.1:${port} (ECONNREFUSED)`);
  });

  it('refuses a malformed --calls, --otlp-endpoint or too many calls with exit code 2', async () => {
    for (const args of [['--calls', '0'], ['--calls', '10001'], ['--otlp-endpoint', 'localhost:4318'], ['--seed', 'x']]) {
      const { code, stderr } = await runCli(['demo', ...args]);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr, args.join(' ')).not.toBe('');
    }
  });

  it('on Ctrl-C stops the agent, which exports the calls it finished, and exits 1 saying how far it got', async () => {
    const serve = await startServe(['--otlp-port', '0', '--port', '0'], 2);
    try {
      await vi.waitFor(() => expect(serve.lines.filter((line) => /^convotel (ingest|api):/.test(line))).toHaveLength(2), { timeout: 10_000 });
      const ingest = urlIn(serve.lines.find((line) => line.startsWith('convotel ingest:'))).origin;
      const api = urlIn(serve.lines.find((line) => line.startsWith('convotel api:'))).href;
      // In a process group of its own, signalled as a whole, as a terminal's Ctrl-C is; exports
      // held back until shutdown, so what arrives is what the agent flushed on its way out.
      const demo = spawn(process.execPath, [BIN, 'demo', '--calls', '20', '--concurrency', '1', '--otlp-endpoint', ingest], {
        env: { PATH: process.env['PATH'] ?? '', OTEL_BSP_SCHEDULE_DELAY: '60000' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let stderr = '';
      demo.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => demo.once('close', resolve));
      await vi.waitFor(() => expect(stderr).toContain('call 1/20'), { timeout: 30_000, interval: 100 });
      process.kill(-demo.pid!, 'SIGINT');
      expect(await exited).toBe(1);
      const finished = stderr.split('\n').filter((line) => line.startsWith('call ')).map((line) => line.split(' ')[2]!);
      expect(stderr).toContain(`convotel: interrupted after ${finished.length} of 20 calls; the agent exported its spans before it stopped`);
      await vi.waitFor(
        async () => {
          const recent = await runCli(['recent', '--url', api]);
          for (const id of finished) expect(rowOf(recent.stdout, id)?.[6], id).toBe('completed');
        },
        { timeout: 10_000, interval: 500 },
      );
    } finally {
      await stopServe(serve);
    }
  }, 60_000);
});
