// Voice calls for the voice views, sent by the real SDK with its turn markers (real time, real
// sleeps): each turn marks the end of the caller's speech, the committed turn, the final transcript
// and the agent's first audio around STT → LLM (first token marked) → tool → TTS (first byte), so
// its voice-to-voice latency splits into every stage, gaps between stages and unattributed time
// after the last one. One call is a phone call (Twilio, inbound) where the caller barges in on one
// turn and the agent talks over the caller on another. And a chat agent with LLM calls only.
import { init, llmCall, startConversation, step, type TurnHandle } from '@convotel/instrumentation';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The phone call: its turn BARGE_IN_TURN is cut by the caller, AGENT_OVER_TURN has the agent talking over the caller. */
export const PHONE_CALL_ID = 'call-phone';
export const BARGE_IN_TURN = 1;
export const AGENT_OVER_TURN = 2;
/** A second voice call without telephony. */
export const APP_CALL_ID = 'call-app';

interface TurnPlan {
  /** End of speech → turn committed. */
  readonly endpointingMs: number;
  /** STT's span: from the end of speech to the final transcript. */
  readonly sttMs: number;
  readonly ttftMs: number;
  readonly toolMs: number;
  readonly ttfbMs: number;
  readonly interruptedBy?: 'user' | 'agent';
}

const SHORT_SETUP = { http: false, pg: false, openai: false, anthropic: false } as const;

async function voiceTurn(turn: TurnHandle, plan: TurnPlan): Promise<void> {
  turn.userSpeechStarted();
  await sleep(250);
  const speechEndedMs = Date.now();
  turn.userSpeechEnded(speechEndedMs);
  turn.turnCommitted(speechEndedMs + plan.endpointingMs);
  await step('stt', { provider: 'deepgram', model: 'nova-3', audioSeconds: 1.5 }, () => sleep(plan.sttMs));
  turn.transcriptFinal();
  await sleep(Math.max(0, speechEndedMs + plan.endpointingMs - Date.now()) + 20); // the pipeline hands over: a gap
  await step('llm', {}, async () => {
    await llmCall({ provider: 'openai', model: 'gpt-4o-mini', functionName: 'answer' }, async (call) => {
      await sleep(plan.ttftMs);
      call.markFirstToken();
      await sleep(30);
      call.setResponse({ responseModel: 'gpt-4o-mini', usage: { inputTokens: 300, outputTokens: 40 } });
    });
    await step('tool', { attributes: { 'gen_ai.tool.name': 'lookup_order' } }, () => sleep(plan.toolMs));
  });
  await sleep(15);
  await step('tts', { provider: 'elevenlabs', model: 'eleven_flash_v2_5', characters: 90, ttfbMs: plan.ttfbMs }, () => sleep(plan.ttfbMs + 20));
  await sleep(25); // the player starts after the first byte: time no span measured
  turn.agentAudioStarted();
  turn.setAgentOutput('Your order 4411 shipped yesterday.');
  await sleep(plan.interruptedBy === 'user' ? 60 : 150);
  if (plan.interruptedBy !== undefined) turn.interrupted({ by: plan.interruptedBy, ...(plan.interruptedBy === 'user' ? { spokenText: 'Your order' } : {}) });
  turn.agentAudioEnded();
}

const PLANS: readonly TurnPlan[] = [
  { endpointingMs: 60, sttMs: 140, ttftMs: 180, toolMs: 45, ttfbMs: 70 },
  { endpointingMs: 260, sttMs: 110, ttftMs: 90, toolMs: 30, ttfbMs: 120, interruptedBy: 'user' },
  { endpointingMs: 80, sttMs: 90, ttftMs: 420, toolMs: 20, ttfbMs: 60, interruptedBy: 'agent' },
];

/** Sends the two voice calls to `ingestOrigin` and waits until they are exported. */
export async function sendVoiceCalls(ingestOrigin: string): Promise<void> {
  const sdk = init({ serviceName: 'voice-agent', endpoint: ingestOrigin, captureContent: true, ...SHORT_SETUP });
  try {
    for (const [id, telephony] of [
      [PHONE_CALL_ID, { provider: 'twilio', direction: 'inbound' }],
      [APP_CALL_ID, undefined],
    ] as const) {
      const call = startConversation({ conversationId: id, userId: 'caller-1', agentName: 'support', channel: 'voice', ...(telephony === undefined ? {} : { telephony }) });
      const plans = id === PHONE_CALL_ID ? PLANS : PLANS.map(({ interruptedBy: _, ...plan }) => ({ ...plan, ttftMs: plan.ttftMs + 50 }));
      for (const plan of plans) await call.turn({ userInput: 'Where is my order 4411?' }, (turn) => voiceTurn(turn, plan));
      await sleep(100);
      call.end('hangup');
    }
  } finally {
    await sdk.shutdown();
  }
}

/** A chat agent: turns of LLM calls only, no voice facts at all. */
export async function sendChatTurns(ingestOrigin: string): Promise<void> {
  const sdk = init({ serviceName: 'chat-agent', endpoint: ingestOrigin, ...SHORT_SETUP });
  try {
    for (let c = 0; c < 2; c += 1) {
      const chat = startConversation({ conversationId: `chat-${c + 1}`, userId: 'user-1', agentName: 'helpdesk', channel: 'chat' });
      for (let t = 0; t < 2; t += 1) {
        await chat.turn({ userInput: 'How do I reset my password?' }, () =>
          llmCall({ provider: 'openai', model: 'gpt-4o-mini' }, async (call) => {
            await sleep(40);
            call.setResponse({ responseModel: 'gpt-4o-mini', usage: { inputTokens: 200, outputTokens: 30 } });
          }),
        );
      }
      chat.end('completed');
    }
  } finally {
    await sdk.shutdown();
  }
}
