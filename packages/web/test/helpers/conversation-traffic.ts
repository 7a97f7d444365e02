// Conversations for the conversations, conversation and trace pages, sent by the real SDK (one
// setup per process: OpenTelemetry registers its globals once) with content capture on: voice calls
// whose turns run STT → LLM (a tool call with an SQL query inside) → TTS with the words of both
// sides, system events, in a failing call one turn failed by a rate limit in its LLM call and one
// turn whose words were not captured; and a long call of many quick turns (no sleeps).
import { init, llmCall, recordEvent, startConversation, step } from '@convotel/instrumentation';
import { trace } from '@opentelemetry/api';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

class RateLimitError extends Error {
  override name = 'RateLimitError';
}

/** The rate-limit message of the failed turn (long on purpose: the page must show it in full). */
export const RATE_LIMIT_MESSAGE =
  '429 Rate limit reached for gpt-4o-mini in organization org-demo on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 120ms.';

const WORDS: ReadonlyArray<readonly [string, string]> = [
  ['Where is my order 4411?', 'Your order 4411 shipped yesterday and arrives on Friday.'],
  ['Can I change the delivery address?', 'Yes: tell me the new address and I will update order 4411.'],
  ['Then cancel it please.', 'Done: order 4411 is cancelled and you will be refunded within 3 days.'],
  ['Thanks, bye.', 'You are welcome, goodbye!'],
];

/** Index of the turn that fails in its LLM call (in a failing call). */
export const FAILED_TURN_INDEX = 1;
/** Index of the turn sent without its words (in a failing call). */
export const SILENT_TURN_INDEX = 3;

export interface TrafficPlan {
  /** Voice calls of four turns; a failing one has a failed LLM call and a turn without words. */
  readonly voiceCalls: ReadonlyArray<{ readonly id: string; readonly isFailing: boolean }>;
  /** A call of many quick turns. */
  readonly longCall?: { readonly id: string; readonly turns: number };
}

/** Sends `plan` to `ingestOrigin` and waits until all of it is exported. */
export async function sendConversationTraffic(ingestOrigin: string, plan: TrafficPlan): Promise<void> {
  const sdk = init({ serviceName: 'voice-agent', endpoint: ingestOrigin, captureContent: true, http: false, pg: false, openai: false, anthropic: false });
  try {
    for (const [n, call] of plan.voiceCalls.entries()) await sendVoiceCall(call.id, call.isFailing, n);
    if (plan.longCall !== undefined) await sendLongCall(plan.longCall.id, plan.longCall.turns);
  } finally {
    await sdk.shutdown();
  }
}

/** Four turns: ok with a tool and SQL, (failed LLM), ok and interrupted, ok (without captured words). */
async function sendVoiceCall(conversationId: string, isFailing: boolean, n: number): Promise<void> {
  const tracer = trace.getTracer('conversation-traffic');
  const failedTurnIndex = isFailing ? FAILED_TURN_INDEX : -1;
  const silentTurnIndex = isFailing ? SILENT_TURN_INDEX : -1;
  const call = startConversation({ conversationId, userId: `caller-${(n % 3) + 1}`, agentName: n % 2 === 0 ? 'support' : 'billing', channel: 'voice', metadata: { plan: n % 2 === 0 ? 'pro' : 'free', region: 'eu' } });
  let isFailed = false;
  for (let t = 0; t < WORDS.length; t += 1) {
    const [said, answer] = WORDS[t]!;
    try {
      await call.turn({}, async (turn) => {
        if (t !== silentTurnIndex) turn.setUserInput(said);
        await step('stt', { provider: 'deepgram', model: 'nova-3', audioSeconds: 2.1 }, () => sleep(30));
        await step('llm', {}, async () => {
          await llmCall({ provider: 'openai', model: 'gpt-4o-mini', functionName: 'answer' }, async (handle) => {
            await sleep(t === 0 ? 120 : 60);
            if (t === failedTurnIndex) throw new RateLimitError(RATE_LIMIT_MESSAGE);
            handle.setResponse({ responseModel: 'gpt-4o-mini', usage: { inputTokens: 420, outputTokens: 64 } });
          });
          if (t === 0) {
            await step('tool', { attributes: { 'gen_ai.tool.name': 'lookup_order' } }, async () => {
              recordEvent('order_lookup', { order: '4411' }, { component: 'order_service', message: 'order 4411 found: shipped' });
              await tracer.startActiveSpan(
                'SELECT orders',
                { attributes: { 'db.system.name': 'postgresql', 'db.query.text': 'SELECT status FROM orders WHERE id = $1', 'db.operation.name': 'SELECT' } },
                async (span) => {
                  await sleep(15);
                  span.end();
                },
              );
            });
          }
        });
        await step('tts', { provider: 'elevenlabs', model: 'eleven_flash_v2_5', characters: 80, ttfbMs: 90 }, () => sleep(40));
        if (t !== silentTurnIndex) turn.setAgentOutput(answer);
        turn.setPerceivedLatencyMs(350 + t * 10);
        if (t === 2) turn.setInterrupted(true);
      });
    } catch {
      isFailed = true;
      recordEvent('turn_failed', {}, { severity: 'ERROR', component: 'agent', message: 'the LLM refused the turn' });
    }
  }
  call.end(isFailed ? 'error' : 'hangup');
}

/** A call of `turns` quick turns (stt → llm call → tts, no waiting), for rendering at scale. */
async function sendLongCall(conversationId: string, turns: number): Promise<void> {
  const call = startConversation({ conversationId, userId: 'caller-long', agentName: 'support', channel: 'voice' });
  for (let t = 0; t < turns; t += 1) {
    await call.turn({}, async (turn) => {
      turn.setUserInput(`question ${t + 1}`);
      await step('stt', { provider: 'deepgram', model: 'nova-3', audioSeconds: 1 }, () => undefined);
      await step('llm', {}, () =>
        llmCall({ provider: 'openai', model: 'gpt-4o-mini', functionName: 'answer' }, (handle) => {
          handle.setResponse({ responseModel: 'gpt-4o-mini', usage: { inputTokens: 100, outputTokens: 20 } });
        }),
      );
      await step('tts', { provider: 'elevenlabs', model: 'eleven_flash_v2_5', characters: 40 }, () => undefined);
      turn.setAgentOutput(`answer ${t + 1}`);
    });
  }
  call.end('hangup');
}
