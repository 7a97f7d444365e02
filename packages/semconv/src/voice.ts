// The voice turn model's names (DESIGN.md §2, issue "the voice turn model"): markers the SDK
// records as span events on the turn span, interruption and telephony attributes, and the
// stages voice-to-voice latency splits into. The SDK writes them, the ingest reads them and the
// read side names the stages; nothing else spells these strings.

// Turn markers: span events on the turn span, at the moment they happened (an explicit
// timestamp when the pipeline learns of it later, e.g. from an audio callback).
/** The user started speaking. */
export const EVENT_CONVOTEL_USER_SPEECH_STARTED = 'convotel.user.speech_started';
/** The user stopped speaking (voice activity ended): voice-to-voice latency starts here. */
export const EVENT_CONVOTEL_USER_SPEECH_ENDED = 'convotel.user.speech_ended';
/** Endpointing decided the user's turn is over and the pipeline committed it. */
export const EVENT_CONVOTEL_TURN_COMMITTED = 'convotel.turn.committed';
/** The final transcript of the user's speech was ready. */
export const EVENT_CONVOTEL_TRANSCRIPT_FINAL = 'convotel.stt.final_transcript';
/** The first audio of the agent's answer was played: voice-to-voice latency ends here. */
export const EVENT_CONVOTEL_AGENT_AUDIO_STARTED = 'convotel.agent.audio_started';
/** The agent's audio stopped (finished or cut). */
export const EVENT_CONVOTEL_AGENT_AUDIO_ENDED = 'convotel.agent.audio_ended';
/** One side spoke over the other; `convotel.interruption.by` says who. */
export const EVENT_CONVOTEL_INTERRUPTION = 'convotel.interruption';
/** On an interruption event and on the turn span: `user` (barged in on the agent) or `agent` (talked over the user). */
export const ATTR_CONVOTEL_INTERRUPTION_BY = 'convotel.interruption.by';
export const CONVOTEL_INTERRUPTION_BY_VALUE_USER = 'user';
export const CONVOTEL_INTERRUPTION_BY_VALUE_AGENT = 'agent';

// Telephony, on the conversation span: priced per minute of the call from the price table.
/** `twilio`, `telnyx`, `vonage`, `livekit_sip`, … (a price table provider). */
export const ATTR_CONVOTEL_TELEPHONY_PROVIDER = 'convotel.telephony.provider';
/** `inbound` or `outbound`. */
export const ATTR_CONVOTEL_TELEPHONY_DIRECTION = 'convotel.telephony.direction';
export const CONVOTEL_TELEPHONY_DIRECTION_VALUE_INBOUND = 'inbound';
export const CONVOTEL_TELEPHONY_DIRECTION_VALUE_OUTBOUND = 'outbound';
/** Billed call minutes when the carrier says; else the conversation span's duration is priced. */
export const ATTR_CONVOTEL_TELEPHONY_MINUTES = 'convotel.telephony.minutes';

/**
 * The contributions voice-to-voice latency splits into, in pipeline order. They sum exactly to
 * the turn's voice-to-voice latency: `pipeline_gaps` is the time between measured stages (the
 * pipeline's own overhead), `unattributed` the time no measured stage can account for.
 */
export const VOICE_STAGES = ['endpointing', 'transcription', 'llm_ttft', 'tools', 'tts_ttfb', 'pipeline_gaps', 'unattributed'] as const;
/** One of {@link VOICE_STAGES}. */
export type VoiceStage = (typeof VOICE_STAGES)[number];
