// LiveKit Agents (`@livekit/agents`, scope `livekit-agents`; test/fixtures/livekit): its span
// names and `lk.*` keys, spelled here and nowhere else. Pure.
//  - A session is one trace under an `agent_session` span, with an `agent_turn` per turn.
//  - An LLM request (`llm_request`: usage, content) has one `llm_request_run` child per try,
//    numbered by `lk.retry_count`. A failure is recorded on the try only; the request span
//    stays unset, with zero tokens (spans/request-attempts.ts).
//  - Content-bearing keys carry a `pii` segment (`lk.pii.*`) since 1.x; LiveKit drops them
//    before export when the app withholds PII. The bare `lk.*` spellings are older releases'
//    (unverified against a capture).
import type { FlavourSpec } from './flavour-spec.js';

/** The session span: the root of a session's one trace. */
const SESSION_SPAN = 'agent_session';
/** One agent turn (a reply) inside the session's trace. */
const TURN_SPAN = 'agent_turn';
/** One try of an LLM request. */
export const LIVEKIT_ATTEMPT_SPAN = 'llm_request_run';
export const LIVEKIT_RETRY_COUNT_KEY = 'lk.retry_count';
/** Prompt content of a span without GenAI messages. */
export const LIVEKIT_INPUT_CONTENT_KEYS = [
  'lk.pii.user_transcript',
  'lk.pii.input_text',
  'lk.pii.chat_ctx',
  'lk.user_transcript',
  'lk.input_text',
  'lk.chat_ctx',
] as const;
/** The agent's answer in a turn (`agent_turn`, `llm_node`). */
export const LIVEKIT_RESPONSE_TEXT_KEYS = ['lk.pii.response.text', 'lk.response.text'] as const;

export const livekit = {
  name: 'livekit',
  scopePrefixes: ['livekit'],
  markerPrefixes: ['lk.'],
  keys: {
    // The PR #390 spellings, which LiveKit emits.
    audioInputTokens: ['gen_ai.usage.input_audio_tokens'],
    audioOutputTokens: ['gen_ai.usage.output_audio_tokens'],
    turnInterrupted: ['lk.interrupted'],
    perceivedLatencySeconds: ['lk.e2e_latency'],
    userInput: ['lk.pii.user_input', 'lk.pii.user_transcript', 'lk.user_transcript'],
    responseText: LIVEKIT_RESPONSE_TEXT_KEYS,
  },
  ttftKeys: [{ key: 'lk.response.ttft', toMs: 1000 }],
  turnSpanNames: [TURN_SPAN],
  // A reply that calls a tool is two agent_turn spans (the call, then the answer) with one speech id.
  turnGroupKey: 'lk.speech_id',
  // agent_speaking runs from the reply's first audio to the end of its playout (or the cut).
  speakingSpans: { user: 'user_speaking', agent: 'agent_speaking' },
  // The Python and Node keys (docs.livekit.io tracing, agents telemetry/trace_types): delays after
  // the end of the user's speech on user_turn, first token on llm_node, first byte on tts_node.
  stageDelayKeys: [
    { key: 'lk.end_of_turn_delay', stage: 'endpointing' },
    { key: 'lk.transcription_delay', stage: 'transcription' },
    { key: 'lk.response.ttft', stage: 'llm_ttft' },
    { key: 'lk.response.ttfb', stage: 'tts_ttfb' },
  ],
  roleOf: (name) => (name === SESSION_SPAN ? 'conversation' : undefined),
} as const satisfies FlavourSpec;
