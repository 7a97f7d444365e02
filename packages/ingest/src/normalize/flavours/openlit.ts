// OpenLIT (`openlit`, its provider wrappers `@openlit/instrumentation-*`): test/fixtures/openlit.
// Its keys are spelled here and nowhere else. Pure.
//  - Speech synthesis and transcription are both operation `audio`, told apart by the voice.
//  - Its `gen_ai.tool.name` on chat spans joins requested tools with commas: not an execution.
import type { FlavourSpec } from './flavour-spec.js';

export const OPENLIT_AUDIO_VOICE_KEY = 'gen_ai.request.audio_voice';
export const OPENLIT_AUDIO_DURATION_KEY = 'gen_ai.request.audio_duration';
export const OPENLIT_COST_KEY = 'gen_ai.usage.cost';
export const OPENLIT_ERROR_MESSAGE_KEY = 'error.message';

export const openlit = {
  name: 'openlit',
  // The root span's scope is `openlit`, its provider wrappers' `@openlit/instrumentation-*`.
  scopePrefixes: ['openlit', '@openlit/'],
  keys: {
    // The OpenAI `user` request parameter.
    userId: ['gen_ai.request.user'],
    cacheReadTokens: ['gen_ai.usage.input_cached_tokens', 'gen_ai.usage.prompt_tokens_details.cache_read'],
    cacheWriteTokens: ['gen_ai.usage.prompt_tokens_details.cache_write'],
    reasoningTokens: ['gen_ai.usage.completion_tokens_details.reasoning'],
    audioOutputTokens: ['gen_ai.usage.completion_tokens_details.audio'],
    ttsVoice: [OPENLIT_AUDIO_VOICE_KEY],
  },
  ttftKeys: [{ key: 'gen_ai.server.time_to_first_token', toMs: 1000 }],
  // openlit 1.15.0: input 30 beside cache read 100 / creation 20 (test/fixtures/openlit).
  inputExcludesCacheFor: ['anthropic'],
} as const satisfies FlavourSpec;
