// GET /api/v1/live across processes on one PostgreSQL: turns sent by the real SDK to the ingest
// of this process reach the clients of a second API process (its own process, the built
// package), as server-sent events; Last-Event-ID resumes, on either API process; a gap is
// reported when the id is not in the buffer; heartbeats; filters; close ends the streams.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { init, llmCall, startConversation, step, type InstrumentationHandle } from '@convotel/instrumentation';
import { serveIngest, type RunningIngest } from '@convotel/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SILENT_LOGGER, startApi, type RunningApi } from '../../src/index.js';
import { openTestStore, type TestStore } from '../helpers/databases.js';
import { API_KEY } from '../helpers/read-side.js';
import { openSse, type SseMessage, type SseStream } from '../helpers/sse-client.js';

const REPLICA = fileURLToPath(new URL('../fixtures/api-process.mjs', import.meta.url));
const HEARTBEAT_MS = 300;
const AUTH = { authorization: `Bearer ${API_KEY}` };

let testStore: TestStore;
let ingest: RunningIngest;
let local: RunningApi;
let replica: { child: ChildProcess; port: number };
let sdk: InstrumentationHandle;

async function startReplica(url: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [REPLICA], {
    env: { PATH: process.env['PATH'] ?? '', DATABASE_URL: url, API_KEY, HEARTBEAT_MS: String(HEARTBEAT_MS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening (\d+)/.exec(stdout);
      if (match !== null) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`the API process exited with ${code}: ${stderr}`)));
  });
  return { child, port };
}

beforeAll(async () => {
  testStore = await openTestStore('postgres');
  ingest = await serveIngest({ store: testStore.store, env: { CONVOTEL_OTLP_PORT: '0', CONVOTEL_OTLP_HOST: '127.0.0.1', CONVOTEL_LOG_LEVEL: 'silent' } });
  local = await startApi({ store: testStore.store, port: 0, host: '127.0.0.1', apiKeys: [API_KEY], logger: SILENT_LOGGER, liveOptions: { heartbeatMillis: 60_000 } });
  replica = await startReplica(testStore.url!);
  sdk = init({ serviceName: 'live-test', endpoint: `http://127.0.0.1:${ingest.port}`, http: false, pg: false, openai: false, anthropic: false, scheduledDelayMillis: 50 });
}, 60_000);

afterAll(async () => {
  await sdk?.shutdown();
  if (replica !== undefined && replica.child.exitCode === null) {
    const exited = new Promise((resolve) => replica.child.once('exit', resolve));
    replica.child.kill('SIGTERM');
    await exited;
  }
  await local?.close();
  await ingest?.close();
  await testStore?.close();
});

/** One turn (with an LLM call) of `conversationId` through the SDK, committed by the ingest when this resolves. */
async function sendTurn(conversationId: string, options: { fail?: boolean; end?: boolean; agentName?: string } = {}): Promise<void> {
  const conversation = startConversation({ conversationId, userId: 'u-live', agentName: options.agentName ?? 'live-agent', channel: 'chat' });
  await conversation
    .turn({ userInput: 'is my order late?' }, async (handle) =>
      step('llm', {}, async () =>
        llmCall({ provider: 'openai', model: 'gpt-4o-mini' }, async (call) => {
          if (options.fail === true) throw new Error('the model is overloaded');
          call.setResponse({ responseModel: 'gpt-4o-mini-2026', usage: { inputTokens: 12, outputTokens: 5 }, costUsd: 0.0001 });
          handle.setAgentOutput('it arrives tomorrow');
        }),
      ),
    )
    .catch(() => undefined);
  if (options.end === true) conversation.end('hangup');
  await sdk.forceFlush();
}

const liveUrl = (port: number, query: Record<string, string> = {}): string => {
  const url = new URL('/api/v1/live', `http://127.0.0.1:${port}`);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url.toString();
};

/** A subscribed stream (what it missed, if anything, already written before `: subscribed`). */
async function subscribe(port: number, query: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<SseStream> {
  const stream = await openSse(liveUrl(port, query), { ...AUTH, ...headers });
  expect(stream.status).toBe(200);
  await stream.next((message) => message.kind === 'comment' && message.data === 'subscribed');
  return stream;
}

const isEvent = (type: string, conversationId?: string) => (message: SseMessage) =>
  message.kind === 'event' && message.event === type && (conversationId === undefined || (JSON.parse(message.data) as { conversation_id: string }).conversation_id === conversationId);

describe('GET /api/v1/live on PostgreSQL', () => {
  it('delivers a turn committed by the ingest of another process to a client of this API process', async () => {
    const stream = await subscribe(replica.port);
    try {
      expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      await sendTurn('conv-live-1');
      const turn = await stream.next(isEvent('turn', 'conv-live-1'));
      expect(turn.id).toMatch(/^\d+-\d+$/);
      expect(JSON.parse(turn.data)).toMatchObject({ type: 'turn', id: turn.id, conversation_id: 'conv-live-1', user_id: 'u-live', status: 'ok', llm_calls: 1, input_tokens: 12, service_name: 'live-test' });
      const conversation = await stream.next(isEvent('conversation', 'conv-live-1'));
      expect(JSON.parse(conversation.data)).toMatchObject({ type: 'conversation', status: 'active', turns: 1 });
    } finally {
      stream.close();
    }
  });

  it('sends a failed turn as a turn and an error', async () => {
    const stream = await subscribe(replica.port, { conversation: 'conv-live-bad' });
    try {
      await sendTurn('conv-live-bad', { fail: true });
      const turn = await stream.next(isEvent('turn'));
      expect(JSON.parse(turn.data)).toMatchObject({ conversation_id: 'conv-live-bad', status: 'error' });
      const error = await stream.next(isEvent('error'));
      expect(JSON.parse(error.data)).toMatchObject({ type: 'error', source: 'turn', conversation_id: 'conv-live-bad', message: 'the model is overloaded' });
    } finally {
      stream.close();
    }
  });

  it('resumes after Last-Event-ID with what the client missed, on either API process', async () => {
    const first = await subscribe(replica.port, { conversation: 'conv-live-2' });
    await sendTurn('conv-live-2');
    const seen = await first.next(isEvent('conversation'));
    first.close();
    // Missed while disconnected.
    await sendTurn('conv-live-2');
    await sendTurn('conv-live-2', { end: true });
    for (const port of [replica.port, local.port]) {
      const resumed = await subscribe(port, { conversation: 'conv-live-2' }, { 'last-event-id': seen.id! });
      try {
        const missed = resumed.seen.filter((message) => message.kind === 'event');
        expect(missed.map((message) => message.event)).toEqual(['turn', 'conversation', 'turn', 'conversation']);
        expect(JSON.parse(missed[3]!.data)).toMatchObject({ status: 'completed', turns: 3, agent_name: 'live-agent' });
        // Each event once, in order, after the one the client had.
        const ids = missed.map((message) => message.id);
        expect(new Set(ids).size).toBe(4);
        expect(ids).not.toContain(seen.id);
      } finally {
        resumed.close();
      }
    }
  });

  it('sends a gap event first when Last-Event-ID is not among the events it kept', async () => {
    const stream = await subscribe(replica.port, {}, { 'last-event-id': '1-1' });
    try {
      const gap = stream.seen.find((message) => message.kind === 'event');
      expect(gap).toMatchObject({ event: 'gap', id: undefined });
      expect(JSON.parse(gap!.data)).toEqual({ reason: 'unknown_last_event_id', last_event_id: '1-1' });
    } finally {
      stream.close();
    }
  });

  it('sends heartbeat comments while nothing happens', async () => {
    const stream = await subscribe(replica.port);
    try {
      const heartbeat = await stream.next((message) => message.kind === 'comment' && message.data.startsWith('heartbeat'), 10 * HEARTBEAT_MS);
      expect(Number.isNaN(Date.parse(heartbeat.data.slice('heartbeat '.length)))).toBe(false);
    } finally {
      stream.close();
    }
  });

  it('sends only the events that pass its filters', async () => {
    const onlyThree = await subscribe(replica.port, { conversation: 'conv-live-3', types: 'turn,error' });
    const byAgent = await subscribe(replica.port, { agent: 'closer', types: 'conversation' });
    try {
      await sendTurn('conv-live-4');
      await sendTurn('conv-live-3', { agentName: 'closer', end: true });
      const turn = await onlyThree.next(isEvent('turn'));
      expect(JSON.parse(turn.data)).toMatchObject({ conversation_id: 'conv-live-3' });
      // The conversation ends with its agent name: only then does the agent filter see it.
      const ended = await byAgent.next((message) => message.kind === 'event');
      expect(JSON.parse(ended.data)).toMatchObject({ type: 'conversation', conversation_id: 'conv-live-3', agent_name: 'closer', status: 'completed' });
      await sendTurn('conv-live-3');
      await onlyThree.next(isEvent('turn'));
      const events = onlyThree.seen.filter((message) => message.kind === 'event');
      expect(events.map((message) => [message.event, (JSON.parse(message.data) as { conversation_id: string }).conversation_id])).toEqual([
        ['turn', 'conv-live-3'],
        ['turn', 'conv-live-3'],
      ]);
    } finally {
      onlyThree.close();
      byAgent.close();
    }
  });

  it('answers 401 without a key and 400 for an unknown type, before any stream starts', async () => {
    expect((await fetch(liveUrl(replica.port))).status).toBe(401);
    const response = await fetch(liveUrl(replica.port, { types: 'turn,spans' }), { headers: AUTH });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_parameter', parameter: 'types' } });
  });

  it('ends its streams when the server closes', async () => {
    const closing = await startApi({ store: testStore.store, port: 0, host: '127.0.0.1', apiKeys: [API_KEY], logger: SILENT_LOGGER });
    const stream = await subscribe(closing.port);
    await closing.close();
    await stream.ended;
  });
});
