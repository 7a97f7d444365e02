// The call's carrier leg on a conversation span (`convotel.telephony.*`), priced per minute
// from the price table: the carrier's billed minutes when the span says, else the span's
// duration rounded as the carrier bills. Pure: the price table is in memory.
import { estimateTelephonyCost } from '@convotel/pricing';
import {
  ATTR_CONVOTEL_TELEPHONY_DIRECTION,
  ATTR_CONVOTEL_TELEPHONY_MINUTES,
  ATTR_CONVOTEL_TELEPHONY_PROVIDER,
  CONVOTEL_TELEPHONY_DIRECTION_VALUE_INBOUND,
  CONVOTEL_TELEPHONY_DIRECTION_VALUE_OUTBOUND,
} from '@convotel/semconv';
import type { AttributeMap } from '../../otlp/types.js';
import { readNumber, readString } from '../read/attributes.js';
import { toIdentifier } from '../read/sanitize.js';
import type { TelephonyFacts } from '../rows.js';
import { usdToPicos } from '../units/money.js';

/** A call leg to price. */
export interface TelephonyCall {
  readonly provider: string;
  readonly direction: string | undefined;
  readonly durationSeconds: number;
  readonly billedMinutes: number | undefined;
}

/** Prices a call leg; undefined when the provider (and direction) has no price. */
export type TelephonyEstimator = (call: TelephonyCall) => { readonly billedMinutes: number; readonly usd: number } | undefined;

/** Prices with the built-in price table of `@convotel/pricing` (a direction it does not know counts as inbound). */
export const estimateTelephonyWithPriceTable: TelephonyEstimator = (call) => {
  const direction =
    call.direction === CONVOTEL_TELEPHONY_DIRECTION_VALUE_OUTBOUND
      ? CONVOTEL_TELEPHONY_DIRECTION_VALUE_OUTBOUND
      : call.direction === CONVOTEL_TELEPHONY_DIRECTION_VALUE_INBOUND
        ? CONVOTEL_TELEPHONY_DIRECTION_VALUE_INBOUND
        : undefined;
  return estimateTelephonyCost({ provider: call.provider, direction, durationSeconds: call.durationSeconds, billedMinutes: call.billedMinutes });
};

/** The span's telephony facts, priced; undefined without a provider. */
export function readTelephony(attributes: AttributeMap, durationUs: bigint, estimate: TelephonyEstimator): TelephonyFacts | undefined {
  const provider = readString(attributes, ATTR_CONVOTEL_TELEPHONY_PROVIDER);
  if (provider === undefined || provider.trim() === '') return undefined;
  const direction = readString(attributes, ATTR_CONVOTEL_TELEPHONY_DIRECTION);
  const minutes = readNumber(attributes, ATTR_CONVOTEL_TELEPHONY_MINUTES);
  const call: TelephonyCall = {
    provider: toIdentifier(provider.trim().toLowerCase()),
    direction: direction === undefined ? undefined : toIdentifier(direction.trim().toLowerCase()),
    durationSeconds: Number(durationUs > 0n ? durationUs : 0n) / 1e6,
    billedMinutes: minutes !== undefined && Number.isFinite(minutes) && minutes >= 0 ? minutes : undefined,
  };
  const priced = estimate(call);
  return {
    provider: call.provider,
    direction: call.direction,
    minutes: priced?.billedMinutes ?? call.billedMinutes,
    costPicos: priced === undefined ? undefined : usdToPicos(priced.usd),
  };
}
