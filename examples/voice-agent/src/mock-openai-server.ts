// A local stand-in for the OpenAI API: POST /v1/chat/completions in OpenAI's wire format, so the
// real `openai` client (and convotel's patch of it) runs unchanged with no key and no network.
// It answers like a small order-desk model: a `lookup_order` tool call when asked about an order,
// a sentence from the tool's result after it, canned replies otherwise. Two request headers,
// which the agent sets from its plan (plan.ts), script the run: `x-demo-latency-ms` (how long
// to think) and `x-demo-behaviour: rate-limit` (answer 429 as OpenAI does).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The header that makes the server answer 429. */
export const BEHAVIOUR_HEADER = 'x-demo-behaviour';
/** The header that sets the answer's delay in milliseconds. */
export const LATENCY_HEADER = 'x-demo-latency-ms';

export interface MockOpenAIServer {
  /** Base URL for the client's `baseURL` (ends in `/v1`). */
  readonly baseUrl: string;
  close(): Promise<void>;
}

interface ChatMessage {
  readonly role: string;
  readonly content?: string | null;
}

interface ChatRequest {
  readonly model?: string;
  readonly messages?: readonly ChatMessage[];
  readonly tools?: readonly unknown[];
  readonly stream?: boolean;
}

/** Dated model ids the API answers with, as OpenAI resolves an alias to a snapshot. */
const SNAPSHOTS: Readonly<Record<string, string>> = { 'gpt-4o-mini': 'gpt-4o-mini-2024-07-18', 'gpt-4o': 'gpt-4o-2024-08-06' };

function idOf(prefix: string): string {
  return prefix + randomBytes(12).toString('base64url');
}

/** About four characters a token, as OpenAI's tokenizers average on English. */
function countTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-request-id': idOf('req_'), ...headers });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, status: number, message: string, type: string, code: string | null, headers: Record<string, string> = {}): void {
  sendJson(response, status, { error: { message, type, param: null, code } }, headers);
}

/** OpenAI's 429 for a requests-per-minute limit: its body, `retry-after` and rate-limit headers. */
function sendRateLimited(response: ServerResponse, model: string): void {
  sendError(
    response,
    429,
    `Rate limit reached for ${model} in organization org-demo on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 1s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
    'requests',
    'rate_limit_exceeded',
    { 'retry-after': '1', 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1s' },
  );
}

/** What the model "says": a tool call, an answer from the tool's result, or a canned reply. */
function toAssistantMessage(request: ChatRequest): { message: Record<string, unknown>; finishReason: string } {
  const messages = request.messages ?? [];
  const last = messages.at(-1);
  if (last?.role === 'tool') {
    const order = JSON.parse(last.content ?? '{}') as { id?: string; status?: string; eta_minutes?: number | null; found?: boolean };
    const content =
      order.found === false
        ? "I couldn't find that order. Could you read me the number again?"
        : order.status === 'delivered'
          ? `Order ${order.id} was delivered already. Is anything missing?`
          : `Order ${order.id} is ${order.status}; it should be with you in about ${order.eta_minutes} minutes.`;
    return { message: { role: 'assistant', content, refusal: null, annotations: [] }, finishReason: 'stop' };
  }
  const said = last?.content ?? '';
  const orderId = /order\s*#?(\d{4})/i.exec(said)?.[1];
  if (orderId !== undefined && (request.tools?.length ?? 0) > 0) {
    const call = { id: idOf('call_'), type: 'function', function: { name: 'lookup_order', arguments: JSON.stringify({ order_id: orderId }) } };
    return { message: { role: 'assistant', content: null, tool_calls: [call], refusal: null, annotations: [] }, finishReason: 'tool_calls' };
  }
  const content = /bye|that is all/i.test(said)
    ? 'You are welcome. Have a nice day, goodbye!'
    : /address/i.test(said)
      ? 'I have noted the new address; the driver will see it on the next stop.'
      : /sunday/i.test(said)
        ? 'Yes, we deliver every day, Sundays included, from noon to ten.'
        : /charge|late/i.test(said)
          ? 'No, a late delivery never costs extra, and over an hour late it is free.'
          : 'Sure, I can help with that. What is your order number?';
  return { message: { role: 'assistant', content, refusal: null, annotations: [] }, finishReason: 'stop' };
}

function toCompletion(request: ChatRequest, model: string): unknown {
  const { message, finishReason } = toAssistantMessage(request);
  const promptTokens = countTokens(JSON.stringify(request.messages ?? [])) + (request.tools === undefined ? 0 : 60);
  const completionTokens = countTokens(JSON.stringify(message.content ?? message.tool_calls ?? ''));
  return {
    id: idOf('chatcmpl-'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: SNAPSHOTS[model] ?? model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_demo',
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += String(chunk);
  return body;
}

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'POST' || request.url?.split('?')[0] !== '/v1/chat/completions') {
    return sendError(response, 404, `Unknown request URL: ${request.method} ${request.url}.`, 'invalid_request_error', 'unknown_url');
  }
  let chat: ChatRequest;
  try {
    chat = JSON.parse(await readBody(request)) as ChatRequest;
  } catch {
    return sendError(response, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error', null);
  }
  if (chat.stream === true) return sendError(response, 400, 'This mock server does not stream.', 'invalid_request_error', null);
  const model = chat.model ?? 'gpt-4o-mini';
  if (headerOf(request, BEHAVIOUR_HEADER) === 'rate-limit') return sendRateLimited(response, model);
  const latencyMs = Number(headerOf(request, LATENCY_HEADER) ?? 0);
  if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
  sendJson(response, 200, toCompletion(chat, model), { 'openai-processing-ms': String(latencyMs), 'openai-version': '2020-10-01' });
}

/** Starts the server on 127.0.0.1 (`port` 0: any free port). */
export async function startMockOpenAIServer(port = 0): Promise<MockOpenAIServer> {
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 500, String(error), 'server_error', null);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${bound}/v1`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
