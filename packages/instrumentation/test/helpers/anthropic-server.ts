import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A real HTTP server speaking Anthropic's Messages API wire format
// (https://docs.anthropic.com/en/api/messages, …/build-with-claude/streaming, …/api/errors),
// so tests drive the real client end to end. Each test scripts the replies it needs.

export interface ContentBlockBody {
  type: string;
  text?: string;
  id?: string;
  name?: string;
  input?: unknown;
}

export interface UsageBody {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number | null;
  cache_read_input_tokens: number | null;
  service_tier?: string;
}

export interface MessageBody {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ContentBlockBody[];
  stop_reason: string | null;
  stop_sequence: string | null;
  usage: UsageBody;
}

export type ScriptedReply =
  /** A JSON message; with `stream: true` in the request, the same message as server-sent events. */
  | { readonly kind: 'message'; readonly message?: Partial<MessageBody> }
  /** An error response with Anthropic's error body. */
  | { readonly kind: 'error'; readonly status: number; readonly errorType: string; readonly message: string }
  /** Answers after `delayMs` (for the client's timeout). */
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** A stream that sends its first `eventCount` events, then the connection drops. */
  | { readonly kind: 'cut-stream'; readonly eventCount: number; readonly message?: Partial<MessageBody> };

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Record<string, unknown>;
}

export interface AnthropicServer {
  /** For the client's `baseURL`. */
  readonly baseURL: string;
  readonly port: number;
  /** Requests received, oldest first. */
  readonly requests: ReceivedRequest[];
  /** Queues the reply to the next request; with none queued, a plain message answers. */
  reply(reply: ScriptedReply): void;
  close(): Promise<void>;
}

export const REQUEST_ID = 'req_011CQ3pK6ZHQ3Y8ZbVZ6v4AT';

/** A complete answer with a cache read and a cache write, like a prompt-cached Claude call. */
export function toMessageBody(overrides: Partial<MessageBody> = {}): MessageBody {
  return {
    id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
    type: 'message',
    role: 'assistant',
    model: 'claude-haiku-4-5-20251001',
    content: [{ type: 'text', text: 'Your order ships tomorrow.' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: 100,
      cache_creation_input_tokens: 500,
      cache_read_input_tokens: 2000,
      output_tokens: 50,
      service_tier: 'standard',
    },
    ...overrides,
  };
}

/** The server-sent events that stream `message`, text split in small deltas, with a ping as the API sends. */
export function toStreamEvents(message: MessageBody): Array<{ event: string; data: unknown }> {
  const { usage } = message;
  const events: Array<{ event: string; data: unknown }> = [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
      },
    },
  ];
  message.content.forEach((block, index) => {
    const start = block.type === 'text' ? { ...block, text: '' } : block.type === 'tool_use' ? { ...block, input: {} } : block;
    events.push({ event: 'content_block_start', data: { type: 'content_block_start', index, content_block: start } });
    if (index === 0) events.push({ event: 'ping', data: { type: 'ping' } });
    if (block.type === 'text') {
      for (const text of (block.text ?? '').match(/.{1,8}/gs) ?? []) {
        events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'text_delta', text } } });
      }
    } else if (block.type === 'tool_use') {
      const json = JSON.stringify(block.input ?? {});
      for (const partial_json of json.match(/.{1,10}/gs) ?? []) {
        events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } } });
      }
    }
    events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
  });
  events.push({
    event: 'message_delta',
    data: {
      type: 'message_delta',
      delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence },
      usage: { output_tokens: usage.output_tokens },
    },
  });
  events.push({ event: 'message_stop', data: { type: 'message_stop' } });
  return events;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': REQUEST_ID });
  res.end(JSON.stringify(body));
}

function sendEvents(res: ServerResponse, events: Array<{ event: string; data: unknown }>, then: () => void): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': REQUEST_ID });
  for (const { event, data } of events) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  then();
}

function answer(req: ReceivedRequest, res: ServerResponse, reply: ScriptedReply): void {
  const isStream = req.body['stream'] === true;
  switch (reply.kind) {
    case 'message': {
      const message = toMessageBody(reply.message);
      if (isStream) sendEvents(res, toStreamEvents(message), () => res.end());
      else sendJson(res, 200, message);
      return;
    }
    case 'error':
      res.setHeader('x-should-retry', 'false');
      sendJson(res, reply.status, {
        type: 'error',
        error: { type: reply.errorType, message: reply.message },
        request_id: REQUEST_ID,
      });
      return;
    case 'slow': {
      const timer = setTimeout(() => answer(req, res, { kind: 'message' }), reply.delayMs);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    case 'cut-stream': {
      const events = toStreamEvents(toMessageBody(reply.message)).slice(0, reply.eventCount);
      // Let the events reach the client before the connection drops mid-body.
      sendEvents(res, events, () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
  }
}

/** Starts the server on 127.0.0.1 with a free port. */
export async function startAnthropicServer(): Promise<AnthropicServer> {
  const queue: ScriptedReply[] = [];
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    readBody(req)
      .then((text) => {
        const received: ReceivedRequest = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
        };
        requests.push(received);
        if (received.method !== 'POST' || !received.path.startsWith('/v1/messages')) {
          sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'Not found' } });
          return;
        }
        answer(received, res, queue.shift() ?? { kind: 'message' });
      })
      .catch((err: unknown) => sendJson(res, 500, { type: 'error', error: { type: 'api_error', message: String(err) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    port,
    requests,
    reply: (reply) => queue.push(reply),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
