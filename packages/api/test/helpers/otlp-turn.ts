// One turn posted to a running ingest as OTLP/JSON (what @opentelemetry/exporter-trace-otlp-http
// sends): a turn span and an LLM call under it, for tests that add a turn after the SDK's
// traffic was played (while an export is paused, while a client listens).
import { randomBytes } from 'node:crypto';

export interface PostedTurn {
  readonly traceId: string;
  readonly conversationId: string;
}

const text = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: String(value) } });
const nanos = (ms: number): string => `${BigInt(ms) * 1_000_000n}`;

/** Posts one turn of `conversationId` starting at `startMs` and lasting `durationMs`; resolves once the ingest committed it. */
export async function postTurn(
  ingestPort: number,
  options: { conversationId: string; startMs: number; durationMs?: number; isFailed?: boolean; serviceName?: string },
): Promise<PostedTurn> {
  const traceId = randomBytes(16).toString('hex');
  const rootId = randomBytes(8).toString('hex');
  const durationMs = options.durationMs ?? 1200;
  const status = options.isFailed === true ? { code: 2, message: 'the model is overloaded' } : { code: 0 };
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [text('service.name', options.serviceName ?? 'posted-turns')] },
        scopeSpans: [
          {
            scope: { name: '@convotel/instrumentation', version: '0.1.0' },
            spans: [
              {
                traceId,
                spanId: rootId,
                name: 'turn',
                kind: 1,
                startTimeUnixNano: nanos(options.startMs),
                endTimeUnixNano: nanos(options.startMs + durationMs),
                attributes: [text('convotel.span.kind', 'turn'), text('gen_ai.conversation.id', options.conversationId), int('convotel.turn.index', 0)],
                status,
              },
              {
                traceId,
                spanId: randomBytes(8).toString('hex'),
                parentSpanId: rootId,
                name: 'chat gpt-4o-mini',
                kind: 3,
                startTimeUnixNano: nanos(options.startMs + 10),
                endTimeUnixNano: nanos(options.startMs + durationMs - 10),
                attributes: [
                  text('convotel.span.kind', 'llm'),
                  text('gen_ai.conversation.id', options.conversationId),
                  text('gen_ai.operation.name', 'chat'),
                  text('gen_ai.provider.name', 'openai'),
                  text('gen_ai.request.model', 'gpt-4o-mini'),
                  int('gen_ai.usage.input_tokens', 100),
                  int('gen_ai.usage.output_tokens', 20),
                ],
                status,
              },
            ],
          },
        ],
      },
    ],
  };
  const response = await fetch(`http://127.0.0.1:${ingestPort}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`the ingest answered ${response.status}: ${await response.text()}`);
  return { traceId, conversationId: options.conversationId };
}
