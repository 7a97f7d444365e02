import { LIVE_NOTICE_TYPES } from '@convotel/store';
import { z } from 'zod';
import { LiveDisabledError, UnavailableError } from '../errors.js';
import type { LiveEventType, LiveSubscription } from '../live/live-feed.js';
import { toSseComment, toSseEvent, toSseRetry } from '../live/sse.js';
import { text } from '../params.js';
import { defineStreamRoute } from '../route.js';

/** A client this far behind (bytes written but not yet taken by the socket) is dropped; it resumes with Last-Event-ID. */
const MAX_BUFFERED_BYTES = 1 << 20;
/** What the client waits before reconnecting. */
const RETRY_MILLIS = 3000;

const TYPE_LIST = new RegExp(`^(${LIVE_NOTICE_TYPES.join('|')})(,(${LIVE_NOTICE_TYPES.join('|')}))*$`);

const liveEventSchema = z
  .object({
    id: z.string().describe('<transaction>-<n>, also the SSE id'),
    type: z.enum(LIVE_NOTICE_TYPES).describe('Also the SSE event name'),
    at: z.string().describe('When the ingest wrote it'),
    conversation_id: z.string().nullable(),
    service_name: z.string().nullable(),
    agent_name: z.string().nullable(),
  })
  .loose()
  .describe(
    'The data of each event, JSON. turn: turn_id, trace_id, user_id, session_id, channel, turn_index, started_at, ended_at, duration_ms, perceived_latency_ms, interrupted, status, error_type, error_message, llm_calls, input_tokens, output_tokens, cost_usd. ' +
      'error: source (turn or event), trace_id, span_id, event_id, error_type, message, component, severity, time. ' +
      'conversation: user_id, channel, status, end_reason, started_at, ended_at, duration_ms, turns, llm_calls, errors, cost_usd. ' +
      'A gap event (no id) says events may be missing before the next one: {reason: listener_lost | unknown_last_event_id}.',
  );

export const liveRoute = defineStreamRoute({
  method: 'get',
  path: '/live',
  tag: 'live',
  summary: 'Committed turns, errors and conversations as server-sent events',
  description:
    'A text/event-stream of events named turn, error and conversation, sent as the ingest commits them (from any ingest process on the same PostgreSQL). ' +
    'Each event has an id; reconnect with the Last-Event-ID header to receive what was missed, as long as it is among the last events this API process kept (1000 by default); ' +
    'otherwise a gap event comes first. A comment line is sent every 15 s as a heartbeat. A client that falls more than 1 MiB behind is disconnected and resumes with Last-Event-ID. ' +
    'With the live feed turned off (CONVOTEL_LIVE=off, convotel serve --no-live) the answer is 404 with the code live_disabled.',
  params: z.strictObject({
    conversation: text().optional().describe('Only events of this conversation id'),
    agent: text().optional().describe('Only events of conversations with this agent name'),
    service: text().optional().describe('Only events of this service.name'),
    types: z
      .string()
      .regex(TYPE_LIST, `a comma-separated list of ${LIVE_NOTICE_TYPES.join(', ')}`)
      .optional()
      .describe('Event types to send, comma-separated (default all)'),
  }),
  media: [{ type: 'text/event-stream', description: 'Server-sent events', schema: liveEventSchema }],
  stream: async (input, { req, res, signal, live, isLiveDisabled }) => {
    if (isLiveDisabled) throw new LiveDisabledError('the live feed is turned off (CONVOTEL_LIVE=off): the ingest announces no commits');
    if (live === undefined) throw new UnavailableError('the live feed is not running in this API process');
    const header = req.headers['last-event-id'];
    const lastEventId = typeof header === 'string' && header !== '' ? header : undefined;
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      // nginx would otherwise buffer the stream.
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write(toSseRetry(RETRY_MILLIS));
    await new Promise<void>((resolve) => {
      let subscription: LiveSubscription | undefined;
      let heartbeat: NodeJS.Timeout | undefined;
      let isDone = false;
      const finish = (): void => {
        if (isDone) return;
        isDone = true;
        clearInterval(heartbeat);
        subscription?.unsubscribe();
        signal.removeEventListener('abort', finish);
        if (!res.writableEnded) res.end();
        resolve();
      };
      const write = (chunk: string): void => {
        if (isDone) return;
        res.write(chunk);
        if (res.writableLength > MAX_BUFFERED_BYTES) finish();
      };
      signal.addEventListener('abort', finish, { once: true });
      if (signal.aborted) finish();
      subscription = live.subscribe({
        filter: { conversation: input.conversation, agent: input.agent, service: input.service, types: input.types?.split(',') as LiveEventType[] | undefined },
        lastEventId,
        onEvent: (event) => write(toSseEvent({ id: event.id, event: event.type, data: event.data })),
        onGap: (reason) => write(toSseEvent({ event: 'gap', data: JSON.stringify({ reason, last_event_id: lastEventId ?? null }) })),
        onClose: finish,
      });
      if (isDone) subscription.unsubscribe();
      // Tells the client it is subscribed (what it missed, if anything, was written above).
      write(toSseComment('subscribed'));
      heartbeat = setInterval(() => write(toSseComment(`heartbeat ${new Date().toISOString()}`)), live.heartbeatMillis);
      if (isDone) clearInterval(heartbeat);
    });
  },
});
