// A voice call for sdk-voice-turns.test.ts, run with
// `node --import @convotel/instrumentation/register voice-turns-app.mjs`: the SDK's turn markers
// at explicit times (as a pipeline learns them from audio callbacks), interruptions both ways,
// an inbound Twilio leg, and a turn measured only by its STT/LLM/TTS spans. The times the test
// asserts come from the markers; the spans run in real time inside the marked window.
import { llmCall, startConversation, step } from '@convotel/instrumentation';

/** Milliseconds since the epoch as an OTel HrTime, to the nanosecond. */
const hr = (ms, extraNanos = 0) => [Math.floor(ms / 1000), (ms % 1000) * 1e6 + extraNanos];

const call = startConversation({ conversationId: 'call-voice', agentName: 'support', channel: 'voice', telephony: { provider: 'twilio', direction: 'inbound' } });

async function answer() {
  await step('stt', { provider: 'deepgram', model: 'nova-3', audioSeconds: 2 }, () => {});
  await step('llm', {}, () =>
    llmCall({ provider: 'openai', model: 'gpt-4o-mini' }, (c) => {
      c.setResponse({ responseModel: 'gpt-4o-mini-2024-07-18', usage: { inputTokens: 40, outputTokens: 8 }, ttftMs: 1 });
    }),
  );
  await step('tts', { provider: 'elevenlabs', model: 'eleven_flash_v2_5', characters: 40, ttfbMs: 1 }, () => {});
}

// Turn 0: every marker; voice-to-voice is 1 234 567.891 µs, stored as 1 234 567 µs (times are kept to the µs).
const base = Date.now();
await call.turn({}, async (t) => {
  t.userSpeechStarted(hr(base - 2000));
  t.userSpeechEnded(hr(base));
  t.turnCommitted(hr(base + 200));
  await answer();
  t.transcriptFinal(hr(base + 150));
  t.agentAudioStarted(hr(base + 1234, 567_891));
  t.agentAudioEnded(hr(base + 3000));
});

// Turn 1: the agent talks over the caller.
const base1 = Date.now();
await call.turn({}, async (t) => {
  t.userSpeechEnded(hr(base1));
  await answer();
  t.agentAudioStarted(hr(base1 + 900));
  t.interrupted({ by: 'agent', at: hr(base1 + 950) });
});

// Turn 2: the caller barges in on the agent.
const base2 = Date.now();
await call.turn({}, async (t) => {
  t.userSpeechEnded(hr(base2));
  await answer();
  t.agentAudioStarted(hr(base2 + 700));
  t.interrupted({ by: 'user', at: hr(base2 + 1500), spokenText: 'Your balance is' });
});

// Turn 3: no markers; its speech steps make it a voice turn measured by its spans.
await call.turn({}, () => answer());

call.end('hangup');
console.log('app done');
