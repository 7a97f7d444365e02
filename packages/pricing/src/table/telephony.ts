// Built-in telephony prices: USD per minute of one call leg, US numbers, pay-as-you-go list
// prices compiled by hand. Data only. Volume tiers, number rental, free allowances, recording
// and transcription add-ons are left out. `note` says what could not be confirmed at `asOf`.
import type { TelephonyDirection, TelephonyPriceEntry } from '../types.js';

type Extra = Pick<TelephonyPriceEntry, 'product' | 'note' | 'minimumBilledSeconds'>;
interface Origin {
  provider: string;
  source: string;
  asOf: string;
  billingIncrementSeconds: number;
}

function pricedBy(origin: Origin) {
  return (direction: TelephonyDirection, usdPerMinute: number, extra: Extra = {}): TelephonyPriceEntry => ({
    kind: 'telephony',
    ...origin,
    direction,
    usdPerMinute,
    ...extra,
  });
}

const AS_OF = '2026-12-05';
const PER_STARTED_MINUTE = 60;
const PER_SECOND = 1;

// Rounding: "any partial minutes (under 60 seconds) are rounded up to the next full minute"
// (support.twilio.com/hc/en-us/articles/223132307), for Programmable Voice and Elastic SIP Trunking.
const twilio = pricedBy({
  provider: 'twilio',
  source: 'https://www.twilio.com/en-us/voice/pricing/us',
  asOf: AS_OF,
  billingIncrementSeconds: PER_STARTED_MINUTE,
});
const TWILIO_RATES_NOTE =
  'Inbound $0.0085 and toll-free $0.022 per minute as in Twilio\'s volume-pricing help article '
  + '(support.twilio.com/hc/en-us/articles/223183328); ';
const telnyx = pricedBy({
  provider: 'telnyx',
  source: 'https://telnyx.com/pricing/elastic-sip',
  asOf: AS_OF,
  billingIncrementSeconds: PER_STARTED_MINUTE,
});
const TELNYX_NOTE =
  'Not verified: no Telnyx rate page could be read; these are Telnyx\'s long-published US Elastic SIP '
  + 'rates, and the increment (per minute) is assumed. The Voice API (Call Control) adds about $0.002/min.';
// Rounding: "Voice pricing is quoted per minute, although we charge for all calls per second"
// (help.nexmo.com/hc/en-us/articles/204015203).
const vonage = pricedBy({
  provider: 'vonage',
  source: 'https://www.vonage.com/communications-apis/voice/pricing/',
  asOf: AS_OF,
  billingIncrementSeconds: PER_SECOND,
});
const VONAGE_NOTE =
  'Not verified: the only documented figures found are the Vonage (Nexmo) help article\'s 0.0045/min inbound '
  + 'and 0.0095/min outbound example, quoted there in EUR; the live US rates in USD were not confirmed.';
// Rounding: "a connection lasting 10 seconds is billed as 1 connection minute"
// (docs.livekit.io/deploy/admin/billing), SIP included. The carrier's own leg is billed apart.
const livekitSip = pricedBy({
  provider: 'livekit_sip',
  source: 'https://livekit.io/pricing',
  asOf: AS_OF,
  billingIncrementSeconds: PER_STARTED_MINUTE,
});
const LIVEKIT_NOTE =
  'LiveKit Cloud SIP minutes, on top of the carrier\'s own charge; plan allowances left out. Not verified: '
  + 'the pricing page could not be read, $0.004/min is the earlier published SIP overage rate.';

/** Built-in telephony prices, per minute, one entry per provider, direction and product. */
export const TELEPHONY_PRICES: readonly TelephonyPriceEntry[] = [
  twilio('inbound', 0.0085, { product: 'us-local', note: `${TWILIO_RATES_NOTE}confirmed.` }),
  twilio('inbound', 0.022, { product: 'us-toll-free', note: `${TWILIO_RATES_NOTE}confirmed.` }),
  twilio('outbound', 0.014, {
    product: 'us',
    note: 'Not verified on the live page: $0.0140/min is the 2025 list price; the help article\'s example still shows $0.013.',
  }),
  telnyx('inbound', 0.0035, { product: 'us-local', note: TELNYX_NOTE }),
  telnyx('outbound', 0.005, { product: 'us', note: TELNYX_NOTE }),
  vonage('inbound', 0.0045, { product: 'us-local', note: VONAGE_NOTE }),
  vonage('outbound', 0.0095, { product: 'us', note: VONAGE_NOTE }),
  livekitSip('inbound', 0.004, { note: LIVEKIT_NOTE }),
  livekitSip('outbound', 0.004, { note: LIVEKIT_NOTE }),
];
