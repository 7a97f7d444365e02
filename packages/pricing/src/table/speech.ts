// Built-in speech prices: STT per minute of audio (converted to per second when the table is
// built) and TTS per 1M characters. Data only; pay-as-you-go list prices, compiled by hand from
// each provider's pricing page as of `asOf`. Volume tiers and free allowances are left out.
import type { SttPriceInput, TtsPriceEntry } from '../types.js';

type SttExtra = Pick<SttPriceInput, 'aliases' | 'note' | 'streamingUsdPerMinute'>;
type TtsExtra = Pick<TtsPriceEntry, 'aliases' | 'note'>;
interface Origin {
  provider: string;
  source: string;
  asOf: string;
}

function sttPricedBy(origin: Origin) {
  return (model: string, usdPerMinute: number, extra: SttExtra = {}): SttPriceInput => ({
    kind: 'stt',
    model,
    ...origin,
    usdPerMinute,
    ...extra,
  });
}

function ttsPricedBy(origin: Origin) {
  return (model: string, usdPerMillionCharacters: number, extra: TtsExtra = {}): TtsPriceEntry => ({
    kind: 'tts',
    model,
    ...origin,
    usdPerMillionCharacters,
    ...extra,
  });
}

const OPENAI = { provider: 'openai', source: 'https://platform.openai.com/docs/pricing', asOf: '2025-09-01' };
const openaiStt = sttPricedBy(OPENAI);
const openaiTts = ttsPricedBy(OPENAI);
const deepgram = sttPricedBy({ provider: 'deepgram', source: 'https://deepgram.com/pricing', asOf: '2025-09-01' });
const assemblyai = sttPricedBy({ provider: 'assemblyai', source: 'https://www.assemblyai.com/pricing', asOf: '2025-09-01' });
const googleStt = sttPricedBy({
  provider: 'google-cloud',
  source: 'https://cloud.google.com/speech-to-text/pricing',
  asOf: '2025-09-01',
});
const groqStt = sttPricedBy({ provider: 'groq', source: 'https://groq.com/pricing', asOf: '2025-09-01' });
const elevenlabs = ttsPricedBy({ provider: 'elevenlabs', source: 'https://elevenlabs.io/pricing/api', asOf: '2025-09-01' });
const googleTts = ttsPricedBy({
  provider: 'google-cloud',
  source: 'https://cloud.google.com/text-to-speech/pricing',
  asOf: '2025-09-01',
});
const azureTts = ttsPricedBy({
  provider: 'azure',
  source: 'https://azure.microsoft.com/en-us/pricing/details/cognitive-services/speech-services/',
  asOf: '2025-09-01',
});

const NOVA_2_VARIANTS = ['general', 'phonecall', 'meeting', 'conversationalai', 'voicemail', 'video', 'finance', 'automotive'];
const PER_HOUR = 1 / 60; // multiply a per-hour price by this to get per minute

/** Built-in speech-to-text prices, written per minute. */
export const STT_PRICES: readonly SttPriceInput[] = [
  openaiStt('whisper-1', 0.006),
  openaiStt('gpt-4o-transcribe', 0.006, { note: 'Billed by tokens; this is OpenAI\'s per-minute estimate.' }),
  openaiStt('gpt-4o-mini-transcribe', 0.003, { note: 'Billed by tokens; this is OpenAI\'s per-minute estimate.' }),
  deepgram('nova-3', 0.0043, {
    streamingUsdPerMinute: 0.0077,
    aliases: ['nova-3-general'],
    note: 'Monolingual rate; multilingual costs more.',
  }),
  deepgram('nova-2', 0.0043, {
    streamingUsdPerMinute: 0.0058,
    aliases: NOVA_2_VARIANTS.map((variant) => `nova-2-${variant}`),
  }),
  deepgram('whisper', 0.0048, {
    aliases: ['whisper-tiny', 'whisper-base', 'whisper-small', 'whisper-medium', 'whisper-large'],
    note: 'Deepgram-hosted Whisper Cloud.',
  }),
  groqStt('whisper-large-v3', 0.111 * PER_HOUR),
  groqStt('whisper-large-v3-turbo', 0.04 * PER_HOUR),
  assemblyai('assemblyai-universal', 0.37 * PER_HOUR, {
    aliases: ['best', 'universal', 'assemblyai-best'],
    note: 'Pre-recorded "best" tier ($0.37/hour).',
  }),
  assemblyai('assemblyai-nano', 0.12 * PER_HOUR, { aliases: ['nano'], note: '$0.12/hour.' }),
  googleStt('chirp', 0.016, { aliases: ['chirp-2', 'chirp-3', 'google-chirp'], note: 'Speech-to-Text V2, first volume tier.' }),
  googleStt('google-stt-standard', 0.016, {
    aliases: ['latest-long', 'latest-short', 'telephony', 'phone-call', 'command-and-search'],
    note: 'Speech-to-Text V2 standard models, first volume tier; V1 without data logging costs $0.024/min.',
  }),
];

/** Built-in text-to-speech prices, per 1M characters. */
export const TTS_PRICES: readonly TtsPriceEntry[] = [
  openaiTts('tts-1', 15),
  openaiTts('tts-1-hd', 30),
  openaiTts('gpt-4o-mini-tts', 15, {
    note: 'Billed by tokens ($0.60/1M text in, $12/1M audio out), about $0.015 per minute of speech; '
      + '$15/1M characters assumes about 1,000 characters per minute.',
  }),
  elevenlabs('eleven_multilingual_v2', 100, { aliases: ['eleven_v3'], note: 'API rate $0.10 per 1K characters.' }),
  elevenlabs('eleven_turbo_v2_5', 50, { aliases: ['eleven_turbo_v2'], note: 'API rate $0.05 per 1K characters.' }),
  elevenlabs('eleven_flash_v2_5', 50, { aliases: ['eleven_flash_v2'], note: 'API rate $0.05 per 1K characters.' }),
  googleTts('google-tts-standard', 4),
  googleTts('google-tts-wavenet', 4, {
    aliases: ['wavenet'],
    note: 'Listed at the Standard voice rate; older price lists show $16/1M.',
  }),
  googleTts('google-tts-neural2', 16, { aliases: ['neural2'] }),
  googleTts('google-tts-studio', 160),
  googleTts('google-tts-chirp3-hd', 30, { aliases: ['chirp3-hd', 'chirp-3-hd'] }),
  azureTts('azure-neural-tts', 15, { aliases: ['azure-neural'], note: 'Standard neural voices, pay-as-you-go.' }),
];
