// GET /api/v1/live on the embedded store: the ingest and the API share one PGlite in one
// process, and its NOTIFYs reach the API's feed in-process. With a buffer of 5 events, a
// Last-Event-ID still kept resumes, one pushed out gets a gap.
import { init, llmCall, startConversation, step, type InstrumentationHandle } from '@convotel/instrumentation';
import { serveIngest, type RunningIngest } from '@convotel/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SILENT_LOGGER, startApi, type RunningApi } from '../../src/index.js';
import { openTestStore, type TestStore } from '../helpers/databases.js';
import { API_KEY } from '../helpers/read-side.js';
import { openSse, type SseStream } from '../helpers/sse-client.js';

let testStore: TestStore;
let ingest: RunningIngest;
let api: RunningApi;
let sdk: InstrumentationHandle;

beforeAll(async () => {
  testStore = await openTestStore('pglite');
  ingest = await serveIngest({ store: testStore.store, env: { CONVOTEL_OTLP_PORT: '0', CONVOTEL_OTLP_HOST: '127.0.0.1', CONVOTEL_LOG_LEVEL: 'silent' } });
  api = await startApi({ store: testStore.store, port: 0, host: '127.0.0.1', apiKeys: [API_KEY], logger: SILENT_LOGGER, liveOptions: { bufferSize: 5 } });
  sdk = init({ serviceName: 'live-pglite', endpoint: `http://127.0.0.1:${ingest.port}`, http: false, pg: false, openai: false, anthropic: false, scheduledDelayMillis: 50 });
});

afterAll(async () => {
  await sdk?.shutdown();
  await api?.close();
  await ingest?.close();
  await testStore?.close();
});

async function sendTurn(conversationId: string): Promise<void> {
  const conversation = startConversation({ conversationId, userId: 'u-embedded' });
  await conversation.turn({ userInput: 'hello' }, async () =>
    step('llm', {}, async () =>
      llmCall({ provider: 'anthropic', model: 'claude-haiku-4-5' }, async (call) => {
        call.setResponse({ usage: { inputTokens: 3, outputTokens: 2 } });
      }),
    ),
  );
  await sdk.forceFlush();
}

async function subscribe(headers: Record<string, string> = {}): Promise<SseStream> {
  const stream = await openSse(`http://127.0.0.1:${api.port}/api/v1/live`, { authorization: `Bearer ${API_KEY}`, ...headers });
  expect(stream.status).toBe(200);
  await stream.next((message) => message.kind === 'comment' && message.data === 'subscribed');
  return stream;
}

describe('GET /api/v1/live on PGlite', () => {
  it('delivers turns committed by the ingest of the same process, and resumes from its buffer or reports a gap', async () => {
    const stream = await subscribe();
    await sendTurn('embedded-1');
    const turn = await stream.next((message) => message.event === 'turn');
    expect(JSON.parse(turn.data)).toMatchObject({ conversation_id: 'embedded-1', user_id: 'u-embedded', status: 'ok', service_name: 'live-pglite' });
    const conversation = await stream.next((message) => message.event === 'conversation');
    stream.close();

    // Two more turns, 4 more events: the buffer of 5 keeps the first conversation event, not the first turn's.
    await sendTurn('embedded-2');
    await sendTurn('embedded-3');
    const resumed = await subscribe({ 'last-event-id': conversation.id! });
    expect(resumed.seen.filter((message) => message.kind === 'event').map((message) => [message.event, (JSON.parse(message.data) as { conversation_id: string }).conversation_id])).toEqual([
      ['turn', 'embedded-2'],
      ['conversation', 'embedded-2'],
      ['turn', 'embedded-3'],
      ['conversation', 'embedded-3'],
    ]);
    resumed.close();

    const late = await subscribe({ 'last-event-id': turn.id! });
    expect(late.seen.filter((message) => message.kind === 'event').map((message) => message.event)).toEqual(['gap']);
    late.close();
  });
});

describe('GET /api/v1/live with the live feed turned off', () => {
  it('answers 404 live_disabled (JSON, not a stream) when the API is told the feed is off', async () => {
    const off = await startApi({ store: testStore.store, port: 0, host: '127.0.0.1', apiKeys: [API_KEY], logger: SILENT_LOGGER, isLiveDisabled: true });
    try {
      const response = await fetch(`http://127.0.0.1:${off.port}/api/v1/live`, { headers: { authorization: `Bearer ${API_KEY}`, accept: 'text/event-stream' } });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toEqual({ error: { code: 'live_disabled', message: expect.stringContaining('CONVOTEL_LIVE=off') } });
    } finally {
      await off.close();
    }
  });
});
