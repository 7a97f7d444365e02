// The voice agent: one phone call is one conversation, each caller utterance one turn, and each
// turn three steps — speech to text, the LLM (with a tool call that looks the order up in SQL),
// text to speech. STT and TTS are simulated (no audio here); the LLM calls are the real `openai`
// client, which convotel patches, so each completion gets its own span with model, tokens and cost.
// The turn records the voice markers a real pipeline learns from its audio callbacks (end of the
// caller's speech, turn committed, final transcript, agent audio start and end, interruptions),
// each at the time it happened; convotel derives the perceived latency from two of them.
import { conversation, step, type TurnHandle } from '@convotel/instrumentation';
import OpenAI from 'openai';
import type { ChatCompletionMessage, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { BEHAVIOUR_HEADER, LATENCY_HEADER } from './mock-openai-server.js';
import type { OrdersDb } from './orders-db.js';
import type { CallPlan, TurnPlan } from './plan.js';

export const AGENT_NAME = 'order-desk';
const MODEL = 'gpt-4o-mini';
const SYSTEM_PROMPT = 'You are the phone agent of a food delivery service. Answer in one or two short spoken sentences.';
const TOOLS: ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'lookup_order',
      description: 'Status and expected delivery time of an order',
      parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
    },
  },
];

/** How a call ended, for the progress line. */
export type CallOutcome = 'ok' | 'rate_limited';

export interface CallResult {
  readonly conversationId: string;
  readonly outcome: CallOutcome;
  readonly turns: number;
  readonly interruptedTurns: number;
}

export interface AgentDeps {
  readonly openai: OpenAI;
  readonly orders: OrdersDb;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one call of the plan as a conversation; a turn that fails is recorded and the call goes on. */
export async function runCall(plan: CallPlan, conversationId: string, deps: AgentDeps): Promise<CallResult> {
  return conversation(
    {
      conversationId,
      agentName: AGENT_NAME,
      channel: 'voice',
      userId: plan.userId,
      metadata: { demo: true, call_kind: plan.kind },
      // The calls come in on a Twilio number: convotel prices the call's minutes.
      telephony: { provider: 'twilio', direction: 'inbound' },
    },
    async (call) => {
      const history: ChatCompletionMessageParam[] = [{ role: 'system', content: SYSTEM_PROMPT }];
      let outcome: CallOutcome = 'ok';
      for (const turnPlan of plan.turns) {
        try {
          await call.turn({}, (turn) => runTurn(turnPlan, turn, history, deps));
        } catch (error) {
          // The turn span has recorded the error; a real agent would apologize and carry on.
          if (!(error instanceof OpenAI.RateLimitError)) throw error;
          outcome = 'rate_limited';
        }
      }
      call.end('hangup');
      return { conversationId, outcome, turns: plan.turns.length, interruptedTurns: plan.turns.filter((turn) => turn.isInterrupted).length };
    },
  );
}

/**
 * Epoch milliseconds with sub-millisecond steps, anchored to the wall clock once and then moved on
 * by the monotonic clock: the same construction as the OTel span's own clock, so markers fall
 * inside the turn span. An audio pipeline would use its frames' timestamps instead.
 */
function startAudioClock(): () => number {
  const wallMs = Date.now();
  const monotonicMs = performance.now();
  return () => wallMs + (performance.now() - monotonicMs);
}

async function runTurn(plan: TurnPlan, turn: TurnHandle, history: ChatCompletionMessageParam[], deps: AgentDeps): Promise<void> {
  const now = startAudioClock();
  // The caller stopped speaking now: perceived latency runs from here to the agent's first audio.
  const endOfSpeech = now();
  turn.userSpeechEnded(endOfSpeech);
  const transcript = await step('stt', { provider: 'deepgram', model: 'nova-3', language: 'en-US' }, async (stt) => {
    await sleep(plan.sttMs);
    stt.set({ audioSeconds: plan.audioSeconds, confidence: 0.93, transcript: plan.utterance });
    return plan.utterance;
  });
  // Endpointing decided while the streaming STT was still working; the final transcript came last.
  turn.turnCommitted(endOfSpeech + plan.endpointingMs);
  turn.transcriptFinal(now());
  turn.setUserInput(transcript);
  if (plan.asksForOrder) turn.setIntent('order_status');
  history.push({ role: 'user', content: transcript });

  let answer = await step('llm', { provider: 'openai', model: MODEL }, () => complete(plan, history, deps.openai));
  const toolCall = answer.tool_calls?.[0];
  if (toolCall?.type === 'function') {
    history.push(answer);
    const { order_id: orderId } = JSON.parse(toolCall.function.arguments) as { order_id: string };
    const order = await step('tool', { attributes: { 'gen_ai.tool.name': toolCall.function.name } }, () => deps.orders.findOrder(orderId));
    history.push({ role: 'tool', tool_call_id: toolCall.id, content: JSON.stringify(order ?? { id: orderId, found: false }) });
    answer = await step('llm', { provider: 'openai', model: MODEL }, () => complete(plan, history, deps.openai));
  }
  const reply = answer.content ?? '';
  history.push({ role: 'assistant', content: reply });
  turn.setAgentOutput(reply);

  await step('tts', { provider: 'elevenlabs', model: 'eleven_multilingual_v2', voice: 'rachel', ttfbMs: plan.ttsFirstByteMs }, async (tts) => {
    await sleep(plan.ttsFirstByteMs);
    // The first audio byte plays: the SDK derives the perceived latency from this and the end of speech.
    const audioStart = now();
    turn.agentAudioStarted(audioStart);
    // The caller was still finishing a sentence when the agent started: it talked over them.
    if (plan.isTalkedOver) turn.interrupted({ by: 'agent', at: audioStart });
    // A barge-in stops playback: only part of the answer is synthesized.
    const spoken = plan.isInterrupted ? reply.slice(0, Math.ceil(reply.length / 3)) : reply;
    await sleep(spoken.length);
    const audioEnd = now();
    turn.agentAudioEnded(audioEnd);
    // The turn keeps what the agent said before the cut as its output.
    if (plan.isInterrupted) turn.interrupted({ by: 'user', at: audioEnd, spokenText: spoken });
    tts.set({ characters: spoken.length, audioSeconds: Math.round((spoken.length / 15) * 10) / 10 });
  });
}

/** One chat completion; the plan's latency and rate limit travel as headers to the mock server. */
async function complete(plan: TurnPlan, history: ChatCompletionMessageParam[], openai: OpenAI): Promise<ChatCompletionMessage> {
  const headers: Record<string, string> = { [LATENCY_HEADER]: String(plan.llmMs) };
  if (plan.isRateLimited) headers[BEHAVIOUR_HEADER] = 'rate-limit';
  const completion = await openai.chat.completions.create({ model: MODEL, messages: history, tools: TOOLS, temperature: 0.3 }, { headers });
  const message = completion.choices[0]?.message;
  if (message === undefined) throw new Error('the model answered without a choice');
  return message;
}
