// Public types of @convotel/pricing. Units are in the field names: prices are USD.

/**
 * What a model price is for: LLM tokens, speech-to-text audio, or text-to-speech characters.
 * Telephony prices (`kind: 'telephony'`) are keyed by provider and direction instead of a model.
 */
export type PriceKind = 'llm' | 'stt' | 'tts';

/** Fields shared by every price entry. */
export interface PriceEntryCommon {
  /**
   * Canonical model id (`gpt-4o`, `claude-3-5-sonnet`, `nova-3`). Matched case-insensitively;
   * dated snapshots and version suffixes of it match too (see README, "Matching").
   */
  model: string;
  /**
   * Who charges this price: an OTel `gen_ai.provider.name` value where one exists (`openai`,
   * `anthropic`, `gcp.gemini`, `mistral_ai`, `deepseek`, `groq`), else the host's name
   * (`together`, `fireworks`, `deepgram`). An entry without a provider matches any provider hint.
   */
  provider?: string;
  /** Other names of the same model at the same price; matched like `model`. */
  aliases?: readonly string[];
  /** URL of the pricing page the figures come from. Required for built-in entries. */
  source?: string;
  /** Date (YYYY-MM-DD) at which the figures were the source's list price. Required for built-ins. */
  asOf?: string;
  /** Free text: approximations, tiers left out, deprecation. */
  note?: string;
}

/** LLM prices in USD per 1M tokens. Optional rates fall back as documented on each field. */
export interface LlmTokenPrices {
  /** Uncached text input. */
  input: number;
  /** Text output; `0` for embedding models. */
  output: number;
  /** Cached input read (OpenAI "cached input", Anthropic cache hit). Defaults to `input`. */
  cacheRead?: number;
  /** Cache creation (Anthropic 5-minute cache write). Defaults to `input`. */
  cacheWrite?: number;
  /** Reasoning output, only where it is priced apart from output. Defaults to `output`. */
  reasoning?: number;
  /** Audio input tokens. Defaults to `input`. */
  audioInput?: number;
  /** Audio output tokens. Defaults to `output`. */
  audioOutput?: number;
}

/**
 * Higher prices that apply to the whole request once its prompt is longer than a threshold
 * (Gemini above 128k/200k tokens, Claude Sonnet 4 above 200k).
 */
export interface LongContextPrices {
  /** Applies when `inputTokens` (all input, cached included) is greater than this. */
  aboveInputTokens: number;
  /** Replacements for the base rates; rates left out keep their base value. */
  usdPerMillionTokens: Partial<LlmTokenPrices>;
}

/** Price of an LLM or embedding model. */
export interface LlmPriceEntry extends PriceEntryCommon {
  kind: 'llm';
  usdPerMillionTokens: LlmTokenPrices;
  longContext?: LongContextPrices;
}

/** Price of a speech-to-text model, per second of audio. */
export interface SttPriceEntry extends PriceEntryCommon {
  kind: 'stt';
  /** Pre-recorded (batch) rate, or the only rate. */
  usdPerSecond: number;
  /** Streaming rate where the provider charges one apart; defaults to `usdPerSecond`. */
  streamingUsdPerSecond?: number;
}

/**
 * A speech-to-text price as written by hand: give exactly one of `usdPerSecond` and
 * `usdPerMinute` (and at most one streaming rate); minutes are converted to seconds.
 */
export interface SttPriceInput extends PriceEntryCommon {
  kind: 'stt';
  usdPerSecond?: number;
  usdPerMinute?: number;
  streamingUsdPerSecond?: number;
  streamingUsdPerMinute?: number;
}

/** Price of a text-to-speech model, per 1M input characters. */
export interface TtsPriceEntry extends PriceEntryCommon {
  kind: 'tts';
  usdPerMillionCharacters: number;
}

/** `inbound` (the caller dialled your number) or `outbound` (you dialled out). */
export type TelephonyDirection = 'inbound' | 'outbound';

/**
 * Per-minute price of a phone call leg with a carrier or SIP provider, keyed by provider and
 * direction rather than by model. Carriers bill whole increments: `billingIncrementSeconds` is
 * 60 for "per started minute", 1 for per-second billing.
 */
export interface TelephonyPriceEntry {
  kind: 'telephony';
  /** The carrier or SIP platform (`twilio`, `telnyx`, `vonage`, `livekit_sip`); matched case-insensitively. */
  provider: string;
  direction: TelephonyDirection;
  /**
   * What the rate is for, as free text (`us-local`, `us-toll-free`); an entry without one is the
   * provider's default for the direction. A lookup naming a product prefers the entry that has it.
   */
  product?: string;
  usdPerMinute: number;
  /** The carrier rounds each call up to a whole number of these (60 = per started minute, 1 = per second). */
  billingIncrementSeconds: number;
  /** Shortest duration billed for an answered call, in seconds. Default: none (one increment). */
  minimumBilledSeconds?: number;
  /** URL of the pricing page the figures come from. Required for built-in entries. */
  source?: string;
  /** Date (YYYY-MM-DD) at which the figures were the source's list price. Required for built-ins. */
  asOf?: string;
  /** Free text: what was not verified, tiers left out. */
  note?: string;
}

/** A price entry as held by a price table. */
export type PriceEntry = LlmPriceEntry | SttPriceEntry | TtsPriceEntry | TelephonyPriceEntry;

/** A price entry as written in code or in a price file (STT rates may be per minute). */
export type PriceEntryInput = LlmPriceEntry | SttPriceInput | TtsPriceEntry | TelephonyPriceEntry;

/** The entry type for each kind. */
export interface PriceEntryByKind {
  llm: LlmPriceEntry;
  stt: SttPriceEntry;
  tts: TtsPriceEntry;
}

/**
 * Token usage of one LLM call, with OpenTelemetry GenAI semantics: `inputTokens` includes
 * cache read, cache write and audio input tokens; `outputTokens` includes reasoning and audio
 * output tokens.
 */
export interface LlmUsage {
  kind: 'llm';
  /** Request or response model name, as sent to or returned by the provider. */
  model: string;
  /** `gen_ai.provider.name`; used only to choose between hosts of the same model. */
  provider?: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
  reasoningOutputTokens?: number;
  audioInputTokens?: number;
  audioOutputTokens?: number;
}

/** Audio transcribed by one speech-to-text call. */
export interface SttUsage {
  kind: 'stt';
  model: string;
  provider?: string;
  audioSeconds: number;
  /** Streaming recognition; priced at the streaming rate where there is one. Default `false`. */
  isStreaming?: boolean;
}

/** Text synthesized by one text-to-speech call. */
export interface TtsUsage {
  kind: 'tts';
  model: string;
  provider?: string;
  characters: number;
}

/** What to price: one LLM, STT or TTS call. */
export type Usage = LlmUsage | SttUsage | TtsUsage;

/** USD per LLM cost component; they add up to the estimate's `usd`. */
export interface LlmCostBreakdown {
  /** Uncached text input. */
  input: number;
  cacheRead: number;
  cacheWrite: number;
  audioInput: number;
  /** Text output (output minus reasoning and audio output). */
  output: number;
  reasoning: number;
  audioOutput: number;
}

interface CostEstimateCommon {
  /** Total cost in USD; never negative. */
  usd: number;
  /** Canonical id of the matched price entry (not the name asked for). */
  model: string;
  /** Provider of the matched price entry. */
  provider: string | undefined;
}

/** Cost of an LLM call. */
export interface LlmCostEstimate extends CostEstimateCommon {
  kind: 'llm';
  breakdown: LlmCostBreakdown;
}

/** Cost of a speech-to-text call. */
export interface SttCostEstimate extends CostEstimateCommon {
  kind: 'stt';
  breakdown: { audio: number };
}

/** Cost of a text-to-speech call. */
export interface TtsCostEstimate extends CostEstimateCommon {
  kind: 'tts';
  breakdown: { characters: number };
}

/** Result of `estimateCost`. */
export type CostEstimate = LlmCostEstimate | SttCostEstimate | TtsCostEstimate;

/**
 * One call leg to price: give the carrier's billed minutes when you have them (priced as they
 * are), else the call's duration (rounded up the way the entry says the carrier bills).
 */
export interface TelephonyUsage {
  provider: string;
  /** Default `inbound`. */
  direction?: TelephonyDirection;
  /** Prefer the entry for this product (`us-toll-free`); falls back to the provider's default. */
  product?: string;
  /** Connected call time in seconds. */
  durationSeconds?: number;
  /** Minutes the carrier billed; wins over `durationSeconds`. */
  billedMinutes?: number;
}

/** Result of `estimateTelephonyCost`. */
export interface TelephonyCostEstimate {
  kind: 'telephony';
  /** Cost in USD: `billedMinutes × entry.usdPerMinute`; never negative. */
  usd: number;
  /** Minutes charged after the carrier's rounding (fractional for per-second billing). */
  billedMinutes: number;
  /** The price entry used. */
  entry: TelephonyPriceEntry;
}
