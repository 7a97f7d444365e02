// Traffic for the analysis pages (steps, LLM calls, costs), sent by the real SDK to a served
// convotel in one SDK session: a voice agent (STT → LLM with a tool step → TTS, one LLM call
// failed by a rate limit) and a chat agent whose turns classify with one model and answer with
// another (streamed, with a time to first token). Several users, models, providers, call types
// and functions, so every grouping of the pages has more than one group.
import { init, llmCall, startConversation, step } from '@convotel/instrumentation';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

class RateLimitError extends Error {
  override name = 'RateLimitError';
}

export interface AnalysisTrafficFacts {
  readonly voiceAgent: string;
  readonly chatAgent: string;
  readonly models: readonly string[];
}

async function sendVoiceConversation(index: number, prefix: string): Promise<void> {
  const call = startConversation({ conversationId: `${prefix}-voice-${index + 1}`, userId: `user-${(index % 2) + 1}`, agentName: 'support', channel: 'voice' });
  let isFailed = false;
  for (let t = 0; t < 3; t += 1) {
    const fails = index === 0 && t === 1;
    try {
      await call.turn({}, async (turn) => {
        await step('stt', { provider: 'deepgram', model: 'nova-3', audioSeconds: 2.5 }, () => sleep(15 + t * 5));
        await step('llm', {}, async () => {
          await llmCall({ provider: 'openai', model: 'gpt-4o-mini', functionName: 'answer', callType: 'chat' }, async (handle) => {
            await sleep(index === 2 && t === 0 ? 160 : 35);
            if (fails) throw new RateLimitError('429 Rate limit reached for gpt-4o-mini');
            handle.setResponse({ responseModel: 'gpt-4o-mini', usage: { inputTokens: 400 + t * 10, outputTokens: 60 } });
          });
          if (t === 0) await step('tool', { attributes: { 'gen_ai.tool.name': 'lookup_order' } }, () => sleep(10));
        });
        await step('tts', { provider: 'elevenlabs', model: 'eleven_flash_v2_5', characters: 120, ttfbMs: 90 }, () => sleep(20));
        turn.setPerceivedLatencyMs(300 + t * 20);
      });
    } catch {
      isFailed = true;
    }
  }
  call.end(isFailed ? 'error' : 'hangup');
}

async function sendChatConversation(index: number, prefix: string): Promise<void> {
  const call = startConversation({ conversationId: `${prefix}-chat-${index + 1}`, userId: `user-${index + 3}`, agentName: 'billing', channel: 'chat' });
  for (let t = 0; t < 2; t += 1) {
    await call.turn({}, async () => {
      await step('classify', {}, () =>
        llmCall({ provider: 'anthropic', model: 'claude-3-5-haiku', functionName: 'classify_intent', callType: 'classification' }, async (handle) => {
          await sleep(25);
          handle.setResponse({ responseModel: 'claude-3-5-haiku', usage: { inputTokens: 220, outputTokens: 8 } });
        }),
      );
      await step('llm', {}, () =>
        llmCall({ provider: 'openai', model: 'gpt-4o', functionName: 'answer', callType: 'chat', stream: true }, async (handle) => {
          await sleep(30 + t * 20);
          handle.markFirstToken();
          await sleep(40);
          handle.setResponse({ responseModel: 'gpt-4o', usage: { inputTokens: 900 + t * 100, outputTokens: 150 } });
        }),
      );
    });
  }
  call.end('hangup');
}

/** Sends 3 voice and 2 chat conversations to `ingestOrigin` and waits for their export. */
export async function sendAnalysisTraffic(ingestOrigin: string, prefix = 'analysis'): Promise<AnalysisTrafficFacts> {
  const sdk = init({ serviceName: 'agents', endpoint: ingestOrigin, http: false, pg: false, openai: false, anthropic: false });
  try {
    for (let c = 0; c < 3; c += 1) await sendVoiceConversation(c, prefix);
    for (let c = 0; c < 2; c += 1) await sendChatConversation(c, prefix);
  } finally {
    await sdk.shutdown();
  }
  return { voiceAgent: 'support', chatAgent: 'billing', models: ['gpt-4o-mini', 'gpt-4o', 'claude-3-5-haiku'] };
}
