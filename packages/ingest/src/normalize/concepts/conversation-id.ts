// Conversation, user and session ids (reference §3): ordered keys on the span, then on the
// resource. A trace takes the best candidate of any of its spans; with none, a GenAI trace
// falls back to its trace id. Candidates carry a rank so that merging is order-free. Pure.
import type { AttributeMap } from '../../otlp/types.js';
import { readString } from '../read/attributes.js';
import { CONVERSATION_ID_KEYS, SESSION_ID_KEYS, USER_ID_KEYS } from '../read/keys.js';
import { toIdentifier } from '../read/sanitize.js';
import { FLAVOUR_SPECS, ownKeys, type Flavour } from '../flavours/registry.js';

/** An id found for a trace; lower `rank` wins, then the smaller value. */
export interface IdCandidate {
  readonly value: string;
  readonly rank: number;
  /** The key it was read from (`resource:` prefixed when from the resource). */
  readonly key: string;
}

/** Rank of the trace-id fallback: below every attribute key. */
export const TRACE_ID_RANK = 1000;
/** `*_key` value of the trace-id fallback. */
export const TRACE_ID_KEY = 'trace_id';
// Resource attributes rank after every span attribute.
const RESOURCE_RANK_OFFSET = 100;

/** The conversation, user and session candidates of one span or trace. */
export interface Identity {
  readonly conversation: IdCandidate | undefined;
  readonly user: IdCandidate | undefined;
  readonly session: IdCandidate | undefined;
}

interface IdKeys {
  readonly conversation: readonly string[];
  readonly user: readonly string[];
}

const COMMON_ID_KEYS: IdKeys = { conversation: CONVERSATION_ID_KEYS, user: USER_ID_KEYS };
// Some flavours name the conversation or the user only in keys too generic to trust on other
// spans (Mastra's `threadId`): read for their spans alone, after every common key.
const ID_KEYS_BY_FLAVOUR = new Map<Flavour, IdKeys>(
  FLAVOUR_SPECS.map((spec) => {
    const flavour = spec.name as Flavour;
    return [
      flavour,
      {
        conversation: [...CONVERSATION_ID_KEYS, ...ownKeys(flavour, 'conversationId')],
        user: [...USER_ID_KEYS, ...ownKeys(flavour, 'userId')],
      },
    ];
  }),
);

/**
 * The ids a span names, each the first of its ordered keys on the span, then the resource;
 * `flavour` adds the keys only that instrumentation uses.
 */
export function readIdentity(attributes: AttributeMap, resource: AttributeMap, flavour?: Flavour): Identity {
  const fromResource = resourceIdentityOf(resource);
  const keys = (flavour === undefined ? undefined : ID_KEYS_BY_FLAVOUR.get(flavour)) ?? COMMON_ID_KEYS;
  return {
    conversation: readCandidate(keys.conversation, attributes, 0, '') ?? fromResource.conversation,
    user: readCandidate(keys.user, attributes, 0, '') ?? fromResource.user,
    session: readCandidate(SESSION_ID_KEYS, attributes, 0, '') ?? fromResource.session,
  };
}

// A resource is shared by all spans of a request: read its ids once.
const resourceIdentities = new WeakMap<AttributeMap, Identity>();

function resourceIdentityOf(resource: AttributeMap): Identity {
  let identity = resourceIdentities.get(resource);
  if (identity === undefined) {
    identity = {
      conversation: readCandidate(CONVERSATION_ID_KEYS, resource, RESOURCE_RANK_OFFSET, 'resource:'),
      user: readCandidate(USER_ID_KEYS, resource, RESOURCE_RANK_OFFSET, 'resource:'),
      session: readCandidate(SESSION_ID_KEYS, resource, RESOURCE_RANK_OFFSET, 'resource:'),
    };
    resourceIdentities.set(resource, identity);
  }
  return identity;
}

function readCandidate(keys: readonly string[], source: AttributeMap, rankOffset: number, keyPrefix: string): IdCandidate | undefined {
  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index] as string;
    const value = readString(source, key);
    if (value !== undefined) return { value: toIdentifier(value), rank: rankOffset + index, key: keyPrefix + key };
  }
  return undefined;
}

/** The better of two candidates: lower rank, then the smaller value (a total order, so merging is order-free). */
export function betterCandidate(a: IdCandidate | undefined, b: IdCandidate | undefined): IdCandidate | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.rank !== b.rank) return a.rank < b.rank ? a : b;
  if (a.value !== b.value) return a.value < b.value ? a : b;
  return a.key <= b.key ? a : b;
}

/** The better candidate of each id. */
export function mergeIdentity(a: Identity, b: Identity): Identity {
  const conversation = betterCandidate(a.conversation, b.conversation);
  const user = betterCandidate(a.user, b.user);
  const session = betterCandidate(a.session, b.session);
  // Spans of a trace usually name the same ids: then one side already is the merge.
  if (conversation === a.conversation && user === a.user && session === a.session) return a;
  if (conversation === b.conversation && user === b.user && session === b.session) return b;
  return { conversation, user, session };
}

/** The trace-id fallback candidate. */
export function traceIdCandidate(traceId: string): IdCandidate {
  return { value: traceId, rank: TRACE_ID_RANK, key: TRACE_ID_KEY };
}
