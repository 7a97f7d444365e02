// A few conversations of a voice agent sent by the real SDK to a served convotel: turns of STT → LLM
// (with a tool call and an SQL-shaped lookup) → TTS, one turn failed by a rate limit in its LLM step,
// one interrupted, one slow. The web tests read them back through the page.
import { init, llmCall, startConversation, step } from '@convotel/instrumentation';
import { trace } from '@opentelemetry/api';

export interface SampleFacts {
  readonly conversationIds: readonly string[];
  /** The conversation whose second turn failed in its LLM step. */
  readonly failedConversationId: string;
  readonly failureMessage: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

class RateLimitError extends Error {
  override name = 'RateLimitError';
}

export const FAILURE_MESSAGE = '429 Rate limit reached for gpt-4o-mini: requests per min (RPM): Limit 500';

/** Sends `conversations` conversations of `turns` turns to `ingestOrigin`, and waits for their export. */
export async function sendSampleTraffic(ingestOrigin: string, conversations = 3, turns = 3, prefix = 'sample'): Promise<SampleFacts> {
  const sdk = init({ serviceName: 'voice-agent', endpoint: ingestOrigin, http: false, pg: false, openai: false, anthropic: false });
  const ids: string[] = [];
  const tracer = trace.getTracer('sample-traffic');
  try {
    for (let c = 0; c < conversations; c += 1) {
      const id = `${prefix}-${c + 1}`;
      ids.push(id);
      const call = startConversation({ conversationId: id, userId: `user-${(c % 2) + 1}`, agentName: 'support', channel: 'voice', metadata: { plan: c % 2 === 0 ? 'pro' : 'free' } });
      let isFailed = false;
      for (let t = 0; t < turns; t += 1) {
        const fails = c === 0 && t === 1;
        try {
          await call.turn({}, async (turn) => {
            await step('stt', { provider: 'deepgram', model: 'nova-3', audioSeconds: 2.5 }, () => sleep(20));
            await step('llm', {}, async () => {
              await llmCall({ provider: 'openai', model: 'gpt-4o-mini', functionName: 'answer' }, async (handle) => {
                await sleep(c === 2 && t === 0 ? 180 : 40);
                if (fails) throw new RateLimitError(FAILURE_MESSAGE);
                handle.setResponse({ responseModel: 'gpt-4o-mini', usage: { inputTokens: 400 + t * 10, outputTokens: 60 } });
              });
              if (t === 0) {
                await step('tool', { attributes: { 'gen_ai.tool.name': 'lookup_order' } }, async () => {
                  await tracer.startActiveSpan('SELECT orders', { attributes: { 'db.system.name': 'postgresql', 'db.query.text': 'SELECT status FROM orders WHERE id = $1', 'db.operation.name': 'SELECT' } }, async (span) => {
                    await sleep(8);
                    span.end();
                  });
                });
              }
            });
            await step('tts', { provider: 'elevenlabs', model: 'eleven_flash_v2_5', characters: 120, ttfbMs: 90 }, () => sleep(25));
            turn.setPerceivedLatencyMs(300 + t * 20);
            if (c === 1 && t === 2) turn.setInterrupted(true);
          });
        } catch {
          isFailed = true;
        }
      }
      call.end(isFailed ? 'error' : 'hangup');
    }
  } finally {
    await sdk.shutdown();
  }
  return { conversationIds: ids, failedConversationId: `${prefix}-1`, failureMessage: FAILURE_MESSAGE };
}
