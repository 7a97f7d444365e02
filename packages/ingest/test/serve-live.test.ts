// CONVOTEL_LIVE: the ingest as `convotel serve` runs it, on the machine's PostgreSQL, with a
// LISTEN of its own on the live channel. A turn posted over OTLP/HTTP is announced with the
// setting on (the default) and not at all with it off.
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { LIVE_CHANNEL } from '@convotel/store';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestLogger } from '../src/http/logger.js';
import { serveIngest } from '../src/serve.js';
import { createTestDatabase, type TestDatabase } from './helpers/db.js';
import { recordSpans, serializeTracesProtobuf } from './helpers/otlp-fixtures.js';

const QUIET: IngestLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** One turn of `conversationId` with an LLM call under it, as the SDK's tracer records it. */
function turnSpans(conversationId: string) {
  return recordSpans((tracer) => {
    const turn = tracer.startSpan('turn', { attributes: { 'convotel.turn.index': 0, 'gen_ai.conversation.id': conversationId } });
    const call = tracer.startSpan(
      'chat gpt-4o',
      { kind: SpanKind.CLIENT, attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.conversation.id': conversationId } },
      trace.setSpan(ROOT_CONTEXT, turn),
    );
    call.end();
    turn.end();
  });
}

/** Sent by the test itself after the post: heard once everything committed before it was. */
const MARKER = 'marker';

let database: TestDatabase;
let listener: pg.Client;
const heard: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  listener = new pg.Client({ connectionString: database.url });
  await listener.connect();
  listener.on('notification', (message) => heard.push(message.payload ?? ''));
  await listener.query(`LISTEN "${LIVE_CHANNEL}"`);
});

afterAll(async () => {
  await listener.end();
  await database.drop();
});

/**
 * Posts one turn of `conversationId` (OTLP/protobuf) to an ingest run with `CONVOTEL_LIVE=live`
 * (unset when undefined), then NOTIFYs the marker; resolves with what was heard before it.
 */
async function postTurnWithLive(conversationId: string, live: string | undefined): Promise<Notice[]> {
  heard.length = 0;
  const env = { DATABASE_URL: database.url, CONVOTEL_OTLP_PORT: '0', CONVOTEL_OTLP_HOST: '127.0.0.1', ...(live === undefined ? {} : { CONVOTEL_LIVE: live }) };
  const ingest = await serveIngest({ env, logger: QUIET });
  try {
    const response = await fetch(`http://127.0.0.1:${ingest.port}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: serializeTracesProtobuf(turnSpans(conversationId)),
    });
    // 200 once the batch committed: any notice of it is queued before the marker's.
    expect(response.status).toBe(200);
  } finally {
    await ingest.close();
  }
  // Notifications are delivered in commit order, so once the marker is heard every notice of the post has been.
  await listener.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, MARKER]);
  const deadline = Date.now() + 5000;
  while (!heard.includes(MARKER)) {
    if (Date.now() > deadline) throw new Error('the marker notification never came');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return heard.slice(0, heard.indexOf(MARKER)).map((payload) => JSON.parse(payload) as Notice);
}

interface Notice {
  readonly type: string;
  readonly conversation_id: string;
}

const summaryOf = (notices: readonly Notice[]): string[] => notices.map((notice) => `${notice.type} ${notice.conversation_id}`);

describe('CONVOTEL_LIVE (postgres)', () => {
  it('announces a posted turn and its conversation by default', async () => {
    expect(summaryOf(await postTurnWithLive('live-default', undefined))).toEqual(['turn live-default', 'conversation live-default']);
  });

  it('announces nothing for a posted turn with CONVOTEL_LIVE=off', async () => {
    expect(await postTurnWithLive('live-off', 'off')).toEqual([]);
  });

  it('announces again with CONVOTEL_LIVE=on', async () => {
    expect(summaryOf(await postTurnWithLive('live-on', 'ON'))).toEqual(['turn live-on', 'conversation live-on']);
  });
});
