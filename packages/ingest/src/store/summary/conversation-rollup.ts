// `conversation_hourly`: each conversation counted under the UTC hour of its first span, its
// service, agent, channel and status. All of these move as spans arrive (an earlier turn, the
// conversation span with its agent, channel and end), so a write takes each changed
// conversation's share out as it found it and puts it back as it leaves it.
import { CONVERSATION_HOURLY, type SqlClient } from '@convotel/store';
import { hourOf, microsToTimestamp, type Micros } from '../../normalize/units/time.js';
import { conversationStatusOf, type ConversationState } from './conversation-state.js';
import { RollupDeltas, type RollupEntry } from './rollup-deltas.js';
import { deleteEmptiedRows, toRollupUpsert, upsertRollup, type RollupColumn } from './rollup-upsert.js';

/** Dimensions of `conversation_hourly` besides the hour. */
export type ConversationRollupKey = { serviceName: string; agentName: string; channel: string; status: string };

/** Where a conversation counts, as its `conversations` row shows it; undefined before any span of it arrived. */
function keyOf(state: ConversationState | undefined): { hour: Micros; key: ConversationRollupKey } | undefined {
  if (state?.firstSeenAt === undefined) return undefined;
  return {
    hour: hourOf(state.firstSeenAt),
    key: {
      serviceName: state.serviceName ?? '',
      agentName: state.span?.agentName ?? '',
      channel: state.span?.channel ?? '',
      status: conversationStatusOf(state),
    },
  };
}

/** `conversation_hourly` deltas of a batch. */
export class ConversationRollup extends RollupDeltas<ConversationRollupKey, { conversations: number }> {
  constructor() {
    super(() => ({ conversations: 0 }));
  }

  /** Moves a conversation from where it counted (`before`; none if new) to where it counts now (`after`; none if deleted). */
  move(before: ConversationState | undefined, after: ConversationState | undefined): void {
    const old = keyOf(before);
    const next = keyOf(after);
    if (old !== undefined) this.measuresOf(old.hour, old.key).conversations -= 1;
    if (next !== undefined) this.measuresOf(next.hour, next.key).conversations += 1;
  }
}

type Entry = RollupEntry<ConversationRollupKey, { conversations: number }>;

const C = CONVERSATION_HOURLY.columns;

const CONVERSATION_HOURLY_UPSERT = toRollupUpsert<Entry>(CONVERSATION_HOURLY, [
  { column: C.hour, value: (e) => microsToTimestamp(e.time) },
  { column: C.serviceName, value: (e) => e.key.serviceName },
  { column: C.agentName, value: (e) => e.key.agentName },
  { column: C.channel, value: (e) => e.key.channel },
  { column: C.status, value: (e) => e.key.status },
  { column: C.conversations, value: (e) => e.measures.conversations, merge: 'add' },
] satisfies RollupColumn<Entry>[]);

/** Adds the deltas to `conversation_hourly` in one upsert, in key order, and drops rows left empty. */
export async function upsertConversationHourly(client: SqlClient, rollup: ConversationRollup): Promise<void> {
  // A conversation moved out and back in by the same write leaves a zero delta: nothing to write.
  const entries = rollup.entries().filter((e) => e.measures.conversations !== 0);
  await upsertRollup(client, CONVERSATION_HOURLY_UPSERT, entries);
  await deleteEmptiedRows(
    client,
    CONVERSATION_HOURLY,
    C.conversations,
    entries.filter((e) => e.measures.conversations < 0).map((e) => [microsToTimestamp(e.time), e.key.serviceName, e.key.agentName, e.key.channel, e.key.status]),
  );
}
