// Pipecat (Python; one trace per conversation, `turn` spans, service spans with `metrics.*`).
// From the voice-agent prior-art survey: unverified against a capture (no Node package).
// Its keys are spelled here and nowhere else. Pure.
import type { FlavourSpec } from './flavour-spec.js';

const CONVERSATION_ID_KEY = 'conversation.id';
/** Time to first byte of a service, seconds. */
export const PIPECAT_TTFB_SECONDS_KEY = 'metrics.ttfb';

export const pipecat = {
  name: 'pipecat',
  scopePrefixes: ['pipecat'],
  keys: {
    conversationId: [CONVERSATION_ID_KEY],
    turnIndex: ['turn.number'],
    turnInterrupted: ['turn.was_interrupted'],
    perceivedLatencySeconds: ['turn.user_bot_latency_seconds'],
    ttsCharacters: ['metrics.character_count'],
    ttsVoice: ['voice_id'],
    sttLanguage: ['language'],
  },
  ttftKeys: [{ key: PIPECAT_TTFB_SECONDS_KEY, toMs: 1000 }],
  turnSpanNames: ['turn'],
  // A service span's time to first byte is its stage's delay.
  stageDelayKeys: [
    { key: PIPECAT_TTFB_SECONDS_KEY, stage: 'transcription', spanNames: ['stt'] },
    { key: PIPECAT_TTFB_SECONDS_KEY, stage: 'llm_ttft', spanNames: ['llm'] },
    { key: PIPECAT_TTFB_SECONDS_KEY, stage: 'tts_ttfb', spanNames: ['tts'] },
  ],
  roleOf: (name, attributes) => (name === 'conversation' && attributes[CONVERSATION_ID_KEY] !== undefined ? 'conversation' : undefined),
} as const satisfies FlavourSpec;
