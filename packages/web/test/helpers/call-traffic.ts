// Calls sent turn by turn through the real SDK, flushed on demand: for pages that follow calls as
// they happen (a turn exported now must show now) or compare what was sent at different times.
import { init, llmCall, startConversation, step } from '@convotel/instrumentation';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

class ServiceUnavailableError extends Error {
  override name = 'ServiceUnavailableError';
}

export interface TurnShape {
  /** Fail the LLM step with this message. */
  readonly failure?: string;
  /** Time spent in the LLM call (default 30 ms). */
  readonly llmMs?: number;
  readonly perceivedLatencyMs?: number;
  readonly isInterrupted?: boolean;
}

export interface TestCall {
  readonly conversationId: string;
  /** Runs one STT → LLM → TTS turn (its spans end; they are exported on flush). */
  turn(shape?: TurnShape): Promise<void>;
  end(reason?: 'hangup' | 'error'): void;
}

export interface CallSender {
  startCall(conversationId: string, agentName?: string): TestCall;
  /** Exports everything ended so far and resolves when the ingest answered (it acknowledges after commit). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** One SDK per test file (the OpenTelemetry API registers its providers once per process). */
export function startCallSender(ingestOrigin: string, serviceName = 'voice-agent'): CallSender {
  // A long schedule: nothing leaves before flush() (the test measures from its end).
  const sdk = init({ serviceName, endpoint: ingestOrigin, http: false, pg: false, openai: false, anthropic: false, scheduledDelayMillis: 60_000 });
  return {
    startCall(conversationId, agentName = 'support') {
      const call = startConversation({ conversationId, userId: 'user-live', agentName, channel: 'voice' });
      return {
        conversationId,
        turn: async (shape = {}) => {
          try {
            await call.turn({}, async (turn) => {
              await step('stt', { provider: 'deepgram', model: 'nova-3', audioSeconds: 1.5 }, () => sleep(10));
              await step('llm', {}, () =>
                llmCall({ provider: 'openai', model: 'gpt-4o-mini', functionName: 'answer' }, async (handle) => {
                  await sleep(shape.llmMs ?? 30);
                  if (shape.failure !== undefined) throw new ServiceUnavailableError(shape.failure);
                  handle.setResponse({ responseModel: 'gpt-4o-mini', usage: { inputTokens: 300, outputTokens: 40 } });
                }),
              );
              await step('tts', { provider: 'elevenlabs', model: 'eleven_flash_v2_5', characters: 80, ttfbMs: 70 }, () => sleep(10));
              if (shape.perceivedLatencyMs !== undefined) turn.setPerceivedLatencyMs(shape.perceivedLatencyMs);
              if (shape.isInterrupted === true) turn.setInterrupted(true);
            });
          } catch {
            // The failed turn is recorded; the call goes on.
          }
        },
        end: (reason = 'hangup') => call.end(reason),
      };
    },
    flush: () => sdk.forceFlush(),
    shutdown: () => sdk.shutdown(),
  };
}
