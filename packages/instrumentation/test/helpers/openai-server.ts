// A small real HTTP server speaking OpenAI's wire format, for tests that drive the real `openai`
// client. Pick a behaviour per request with the `x-test-scenario` header (see `Scenario`).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * - `ok` (default): a normal answer, JSON or SSE as asked.
 * - `tool-call`: the model asks for `lookup_order({"order_id":"A1"})`.
 * - `no-usage`: a JSON chat answer without `usage`, as some compatible servers send.
 * - `rate-limit`: 429 with an OpenAI error body.
 * - `slow`: answers after {@link SLOW_RESPONSE_MS}, for client timeouts.
 * - `cut`: a stream that sends a few chunks, then the socket is destroyed.
 * - `bad-json`: a 200 whose body is not JSON.
 * - `large`: a JSON chat answer of {@link LARGE_REPLY_LENGTH} characters.
 */
export type Scenario = 'ok' | 'tool-call' | 'no-usage' | 'rate-limit' | 'slow' | 'cut' | 'bad-json' | 'large';

export const SCENARIO_HEADER = 'x-test-scenario';
export const REQUEST_ID = 'req_test_123';
export const CHAT_MODEL = 'gpt-4o-mini-2024-07-18';
export const EMBEDDING_DIMENSIONS = 8;
export const SLOW_RESPONSE_MS = 5_000;
/** The answer's text; it holds an e-mail address so redaction shows. */
export const REPLY_PIECES = ['Sure, ', 'I emailed ', 'ada@example.com', ' today.'] as const;
export const REPLY_TEXT = REPLY_PIECES.join('');
/** The answer when the request asks for JSON (structured outputs). */
export const JSON_REPLY = { answer: 'deep' };
/** Larger than the buffers a tee of a body holds before the unread side stops the other. */
export const LARGE_REPLY_LENGTH = 200_000;
export const TOOL_CALL = { id: 'call_test_1', name: 'lookup_order', arguments: '{"order_id":"A1"}' };

export const CHAT_USAGE = {
  prompt_tokens: 20,
  completion_tokens: 8,
  total_tokens: 28,
  prompt_tokens_details: { cached_tokens: 4, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 2, audio_tokens: 0 },
};
export const RESPONSES_USAGE = {
  input_tokens: 30,
  input_tokens_details: { cached_tokens: 10 },
  output_tokens: 9,
  output_tokens_details: { reasoning_tokens: 3 },
  total_tokens: 39,
};
export const EMBEDDINGS_USAGE = { prompt_tokens: 5, total_tokens: 5 };

export interface RecordedRequest {
  readonly path: string;
  readonly body: Record<string, any>;
}

export interface OpenAIServer {
  /** `http://127.0.0.1:{port}/v1`, for the client's `baseURL`. */
  readonly baseURL: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

type Body = Record<string, any>;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': REQUEST_ID,
  });
  res.end(text);
}

function startSse(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': REQUEST_ID });
}

function sendEvent(res: ServerResponse, data: unknown, event?: string): void {
  res.write(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
}

function wantsJson(format: { type?: string } | undefined): boolean {
  return format?.type === 'json_schema' || format?.type === 'json_object';
}

function toChatMessage(body: Body, scenario: Scenario): Body {
  if (scenario === 'tool-call') {
    return {
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [{ id: TOOL_CALL.id, type: 'function', function: { name: TOOL_CALL.name, arguments: TOOL_CALL.arguments } }],
    };
  }
  if (scenario === 'large') return { role: 'assistant', content: 'a'.repeat(LARGE_REPLY_LENGTH), refusal: null };
  const content = wantsJson(body.response_format) ? JSON.stringify(JSON_REPLY) : REPLY_TEXT;
  return { role: 'assistant', content, refusal: null };
}

function sendChat(body: Body, scenario: Scenario, res: ServerResponse): void {
  const choiceCount = typeof body.n === 'number' ? body.n : 1;
  const finishReason = scenario === 'tool-call' ? 'tool_calls' : 'stop';
  const completion: Body = {
    id: 'chatcmpl-test-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: CHAT_MODEL,
    choices: Array.from({ length: choiceCount }, (_, index) => ({
      index,
      message: toChatMessage(body, scenario),
      finish_reason: finishReason,
      logprobs: null,
    })),
  };
  if (scenario !== 'no-usage') completion.usage = CHAT_USAGE;
  sendJson(res, 200, completion);
}

function sendChatStream(body: Body, scenario: Scenario, res: ServerResponse): void {
  const includeUsage = body.stream_options?.include_usage === true;
  const chunk = (choices: unknown[], extra: Body = {}): Body => ({
    id: 'chatcmpl-test-1',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: CHAT_MODEL,
    choices,
    ...(includeUsage ? { usage: null } : {}),
    ...extra,
  });
  startSse(res);
  sendEvent(res, chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, finish_reason: null }]));
  if (scenario === 'tool-call') {
    const [head, tail] = [TOOL_CALL.arguments.slice(0, 5), TOOL_CALL.arguments.slice(5)];
    sendEvent(res, chunk([{ index: 0, delta: { tool_calls: [{ index: 0, id: TOOL_CALL.id, type: 'function', function: { name: TOOL_CALL.name, arguments: '' } }] }, finish_reason: null }]));
    sendEvent(res, chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: head } }] }, finish_reason: null }]));
    sendEvent(res, chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: tail } }] }, finish_reason: null }]));
  } else {
    const pieces = scenario === 'cut' ? REPLY_PIECES.slice(0, 2) : REPLY_PIECES;
    for (const piece of pieces) sendEvent(res, chunk([{ index: 0, delta: { content: piece }, finish_reason: null }]));
  }
  if (scenario === 'cut') {
    // Let the chunks reach the client, then drop the connection without ending the response.
    setTimeout(() => res.socket?.destroy(), 20);
    return;
  }
  sendEvent(res, chunk([{ index: 0, delta: {}, finish_reason: scenario === 'tool-call' ? 'tool_calls' : 'stop' }]));
  if (includeUsage) sendEvent(res, chunk([], { usage: CHAT_USAGE }));
  sendEvent(res, '[DONE]');
  res.end();
}

function toResponse(body: Body, status: 'in_progress' | 'completed'): Body {
  const text = wantsJson(body.text?.format) ? JSON.stringify(JSON_REPLY) : REPLY_TEXT;
  const isDone = status === 'completed';
  return {
    id: 'resp_test_1',
    object: 'response',
    created_at: 1_700_000_000,
    status,
    model: CHAT_MODEL,
    instructions: body.instructions ?? null,
    incomplete_details: null,
    error: null,
    output: isDone
      ? [
          {
            type: 'message',
            id: 'msg_test_1',
            status: 'completed',
            role: 'assistant',
            content: [{ type: 'output_text', text, annotations: [] }],
          },
        ]
      : [],
    usage: isDone ? RESPONSES_USAGE : null,
    temperature: body.temperature ?? 1,
    top_p: body.top_p ?? 1,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
  };
}

function sendResponsesStream(body: Body, scenario: Scenario, res: ServerResponse): void {
  let sequence = 0;
  const send = (type: string, data: Body): void => sendEvent(res, { type, sequence_number: sequence++, ...data }, type);
  startSse(res);
  send('response.created', { response: toResponse(body, 'in_progress') });
  const where = { item_id: 'msg_test_1', output_index: 0, content_index: 0 };
  send('response.output_item.added', {
    output_index: 0,
    item: { type: 'message', id: 'msg_test_1', status: 'in_progress', role: 'assistant', content: [] },
  });
  send('response.content_part.added', { ...where, part: { type: 'output_text', text: '', annotations: [] } });
  const pieces = scenario === 'cut' ? REPLY_PIECES.slice(0, 2) : REPLY_PIECES;
  for (const delta of pieces) send('response.output_text.delta', { ...where, delta });
  if (scenario === 'cut') {
    setTimeout(() => res.socket?.destroy(), 20);
    return;
  }
  const completed = toResponse(body, 'completed');
  send('response.output_text.done', { ...where, text: REPLY_TEXT });
  send('response.content_part.done', { ...where, part: completed.output[0].content[0] });
  send('response.output_item.done', { output_index: 0, item: completed.output[0] });
  send('response.completed', { response: completed });
  res.end();
}

function toEmbedding(index: number, dimensions: number, encoding: string | undefined): number[] | string {
  const vector = Array.from({ length: dimensions }, (_, i) => (index + 1) * 0.125 + i / 64);
  return encoding === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
}

function sendEmbeddings(body: Body, res: ServerResponse): void {
  const inputs: unknown[] = Array.isArray(body.input) ? body.input : [body.input];
  const dimensions = typeof body.dimensions === 'number' ? body.dimensions : EMBEDDING_DIMENSIONS;
  sendJson(res, 200, {
    object: 'list',
    model: 'text-embedding-3-small',
    data: inputs.map((_, index) => ({ object: 'embedding', index, embedding: toEmbedding(index, dimensions, body.encoding_format) })),
    usage: EMBEDDINGS_USAGE,
  });
}

function route(req: IncomingMessage, res: ServerResponse, body: Body): void {
  const scenario = (req.headers[SCENARIO_HEADER] as Scenario | undefined) ?? 'ok';
  if (scenario === 'rate-limit') {
    sendJson(res, 429, {
      error: { message: 'Rate limit reached for gpt-4o-mini', type: 'requests', param: null, code: 'rate_limit_exceeded' },
    });
    return;
  }
  if (scenario === 'bad-json') {
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': REQUEST_ID });
    res.end('{"id": "chatcmpl-broken", ');
    return;
  }
  switch (req.url) {
    case '/v1/chat/completions':
      return body.stream === true ? sendChatStream(body, scenario, res) : sendChat(body, scenario, res);
    case '/v1/responses':
      return body.stream === true ? sendResponsesStream(body, scenario, res) : sendJson(res, 200, toResponse(body, 'completed'));
    case '/v1/embeddings':
      return sendEmbeddings(body, res);
    default:
      sendJson(res, 404, { error: { message: `no route ${req.url}`, type: 'invalid_request_error', param: null, code: null } });
  }
}

/** Starts the server on a free port of 127.0.0.1. */
export async function startOpenAIServer(): Promise<OpenAIServer> {
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = (text ? JSON.parse(text) : {}) as Body;
      requests.push({ path: req.url ?? '', body });
      if (req.headers[SCENARIO_HEADER] === 'slow') {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) sendJson(res, 200, {});
        }, SLOW_RESPONSE_MS);
        timers.add(timer);
        // The client gives up first; forget the answer then.
        res.on('close', () => {
          clearTimeout(timer);
          timers.delete(timer);
        });
        return;
      }
      route(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
