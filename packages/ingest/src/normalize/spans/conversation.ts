// A conversation span → the facts it adds to its conversation row: end time, status, end
// reason, agent, channel, metadata. Pure.
import {
  ATTR_CONVOTEL_CHANNEL,
  ATTR_CONVOTEL_CONVERSATION_END_REASON,
  ATTR_CONVOTEL_METADATA_PREFIX,
  ATTR_GEN_AI_AGENT_NAME,
} from '@convotel/semconv';
import type { AttributeMap } from '../../otlp/types.js';
import { attributeKeys, attributeValues, readString } from '../read/attributes.js';
import { readIdentity, traceIdCandidate } from '../concepts/conversation-id.js';
import type { ConversationFacts, Json } from '../rows.js';
import { toStorableText, toStorableValue } from '../read/sanitize.js';
import { optionalIdentifier, type SpanInput } from './span-input.js';
import { readTelephony, type TelephonyEstimator } from '../concepts/telephony.js';

/** The facts of a conversation span; without any id it stands for the conversation of its own trace id. */
export function toConversationFacts(input: SpanInput, estimateTelephony: TelephonyEstimator): ConversationFacts {
  const base = input.base;
  const attributes = input.span.attributes;
  const identity = readIdentity(attributes, input.resource, input.flavour);
  // A conversation span without any id stands for the conversation of its own trace.
  const conversation = identity.conversation ?? traceIdCandidate(base.traceId);
  const endReason = readString(attributes, ATTR_CONVOTEL_CONVERSATION_END_REASON);
  return {
    conversation,
    traceId: base.traceId,
    spanId: base.spanId,
    startedAt: base.startedAt,
    endedAt: base.endedAt,
    status: base.status,
    errorType: base.errorType,
    errorMessage: base.errorMessage,
    endReason: endReason === undefined ? undefined : toStorableText(endReason),
    agentName: optionalIdentifier(readString(attributes, ATTR_GEN_AI_AGENT_NAME)),
    channel: optionalIdentifier(readString(attributes, ATTR_CONVOTEL_CHANNEL)),
    user: identity.user,
    session: identity.session,
    metadata: readMetadata(attributes),
    serviceName: base.serviceName,
    telephony: readTelephony(attributes, base.durationUs, estimateTelephony),
  };
}

/** `convotel.metadata.{key}` attributes as one object. */
function readMetadata(attributes: AttributeMap): Record<string, Json> | undefined {
  let metadata: Record<string, Json> | undefined;
  const keys = attributeKeys(attributes);
  const values = attributeValues(attributes);
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    if (!key.startsWith(ATTR_CONVOTEL_METADATA_PREFIX)) continue;
    metadata ??= {};
    metadata[toStorableText(key.slice(ATTR_CONVOTEL_METADATA_PREFIX.length))] = toStorableValue(values[i] as Json);
  }
  return metadata;
}
