// Known voice traffic: calls whose turns carry the SDK's turn markers (span events at exact
// times under a ManualClock), interruptions by either side, silences between turns, and
// telephony on some calls, played through the real @convotel/instrumentation SDK. Tests derive
// every expected figure from the plan (voice-facts.ts).
import { estimateCost } from '@convotel/pricing';
import { llmCall, startConversation, step } from '@convotel/instrumentation';
import type { ManualClock } from './clock.js';
import { seededRandom } from './traffic.js';

/** A voice turn: the user speaks, endpointing and transcription run, the agent answers. */
export interface PlannedVoiceTurn {
  /** Silence before the turn starts (the user starts speaking as it starts). */
  readonly gapBeforeMs: number;
  /** With markers (a voice turn), or none (a turn with no voice facts). */
  readonly voice?: {
    readonly userSpeechMs: number;
    /** End of speech → turn committed. */
    readonly endpointingMs: number;
    /** End of speech → final transcript. */
    readonly transcriptionMs: number;
    /** End of speech → the agent's first audio; absent: the agent never spoke (no audio markers). */
    readonly voiceToVoiceMs?: number;
    readonly agentAudioMs: number;
    readonly interruptedBy?: 'user' | 'agent';
  };
  /** STT (priced) from the end of speech to the final transcript; after the agent's first audio an LLM call (reported cost) and TTS (priced). */
  readonly llmMs: number;
  readonly llmCostUsd: number;
  readonly sttAudioSeconds: number;
  readonly ttsCharacters: number;
}

export interface PlannedVoiceCall {
  readonly conversationId: string;
  readonly agentName: string;
  readonly channel: 'voice' | 'chat';
  /** Billed telephony minutes the conversation span reports; absent: no telephony. */
  readonly telephonyMinutes?: number;
  readonly startMs: number;
  readonly turns: readonly PlannedVoiceTurn[];
  readonly tailMs: number;
}

const STT = { provider: 'deepgram', model: 'nova-3' } as const;
const TTS = { provider: 'elevenlabs', model: 'eleven_flash_v2_5' } as const;

export const sttCostOf = (audioSeconds: number): number => estimateCost({ kind: 'stt', ...STT, audioSeconds })?.usd ?? 0;
export const ttsCostOf = (characters: number): number => estimateCost({ kind: 'tts', ...TTS, characters })?.usd ?? 0;

/**
 * `count` calls between `fromMs` and `toMs`, at least 30 min apart. Endpointing and
 * transcription never tie (a tie's split would hinge on the ingest's tie rule, not on the plan).
 */
export function planVoiceCalls(options: { seed: number; count: number; fromMs: number; toMs: number }): PlannedVoiceCall[] {
  const random = seededRandom(options.seed);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const spacing = Math.floor((options.toMs - options.fromMs) / options.count);
  const calls: PlannedVoiceCall[] = [];
  for (let i = 0; i < options.count; i++) {
    const isChat = i === options.count - 1;
    const turns: PlannedVoiceTurn[] = [];
    const turnCount = int(2, 4);
    for (let j = 0; j < turnCount; j++) {
      const endpointingMs = int(100, 1800);
      const transcriptionMs = endpointingMs + (random() < 0.5 ? -int(1, 90) : int(1, 900));
      const hasVoice = !isChat && !(i === 1 && j === 1);
      const roll = random();
      turns.push({
        gapBeforeMs: j === 0 ? 0 : int(300, 4500),
        ...(hasVoice
          ? {
              voice: {
                userSpeechMs: int(400, 5000),
                endpointingMs,
                transcriptionMs,
                // One turn of call 2 ends before the agent speaks (the caller hung up).
                ...(i === 2 && j === turnCount - 1 ? {} : { voiceToVoiceMs: Math.max(endpointingMs, transcriptionMs) + int(50, 2600) }),
                agentAudioMs: int(600, 6000),
                ...(roll < 0.2 ? { interruptedBy: 'user' as const } : roll < 0.32 ? { interruptedBy: 'agent' as const } : {}),
              },
            }
          : {}),
        llmMs: int(200, 1500),
        llmCostUsd: int(1, 5000) / 1_000_000,
        sttAudioSeconds: int(1, 9) + int(0, 9) / 10,
        ttsCharacters: int(20, 400),
      });
    }
    calls.push({
      conversationId: `voice-${String(i).padStart(2, '0')}`,
      agentName: i % 3 === 0 ? 'sales' : 'support',
      channel: isChat ? 'chat' : 'voice',
      ...(i % 2 === 0 && !isChat ? { telephonyMinutes: int(1, 9) } : {}),
      startMs: options.fromMs + i * spacing + int(0, Math.max(0, spacing - 30 * 60_000)),
      turns,
      tailMs: int(100, 3000),
    });
  }
  return calls;
}

/** Plays `calls` through the SDK (already initialized) with `clock` installed. */
export async function playVoiceCalls(clock: ManualClock, calls: readonly PlannedVoiceCall[]): Promise<void> {
  for (const call of calls) {
    clock.set(call.startMs);
    const conversation = startConversation({
      conversationId: call.conversationId,
      agentName: call.agentName,
      channel: call.channel,
      ...(call.telephonyMinutes === undefined ? {} : { telephony: { provider: 'twilio', direction: 'inbound', minutes: call.telephonyMinutes } }),
    });
    for (const turn of call.turns) {
      clock.advance(turn.gapBeforeMs);
      await conversation.turn({ userInput: 'a question' }, async (handle) => {
        const voice = turn.voice;
        if (voice !== undefined) {
          // Markers at the moments they happened, as a pipeline records them from audio callbacks.
          handle.userSpeechStarted(clock.nowMs);
          clock.advance(voice.userSpeechMs);
          const endedMs = clock.nowMs;
          handle.userSpeechEnded(endedMs);
          handle.turnCommitted(endedMs + voice.endpointingMs);
          handle.transcriptFinal(endedMs + voice.transcriptionMs);
          // Streaming STT finalizes from the end of speech to the final transcript: its span
          // measures transcription over the same interval as the marker.
          await step('stt', { ...STT, audioSeconds: turn.sttAudioSeconds }, () => clock.advance(voice.transcriptionMs));
          clock.set(endedMs + Math.max(voice.endpointingMs, voice.transcriptionMs, voice.voiceToVoiceMs ?? 0));
          if (voice.voiceToVoiceMs !== undefined) handle.agentAudioStarted(endedMs + voice.voiceToVoiceMs);
          if (voice.interruptedBy !== undefined) handle.interrupted({ by: voice.interruptedBy, at: clock.nowMs });
        }
        // The LLM and TTS after the first audio: outside the voice-to-voice window, so they cannot
        // move the split. A turn without the agent's audio has no TTS (a TTS span would end the
        // window), a turn without markers neither (STT and TTS spans alone make a window).
        await llmCall({ provider: 'openai', model: 'gpt-4o-mini' }, (call) => {
          clock.advance(turn.llmMs);
          call.setResponse({ usage: { inputTokens: 100, outputTokens: 20 }, costUsd: turn.llmCostUsd });
        });
        if (voice?.voiceToVoiceMs !== undefined) await step('tts', { ...TTS, characters: turn.ttsCharacters }, () => clock.advance(10));
        if (voice?.voiceToVoiceMs !== undefined) {
          const audioEndMs = Math.max(clock.nowMs, clock.nowMs + voice.agentAudioMs - turn.llmMs - 20);
          clock.set(audioEndMs);
          handle.agentAudioEnded(audioEndMs);
        }
      });
    }
    clock.advance(call.tailMs);
    conversation.end('hangup');
  }
}
