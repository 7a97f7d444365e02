// The columns of a conversation list (recent, slow), in the zone of --tz.
import type { ConversationSummary } from '../client/answers.js';
import type { Column } from './table.js';
import { formatTime } from './time.js';
import { formatCount, formatDuration, formatSeconds, formatUsd, NONE } from './units.js';

export type ConversationColumn = 'id' | 'started' | 'duration' | 'seconds' | 'turns' | 'errors' | 'cost' | 'status' | 'agent' | 'channel' | 'user';

export function conversationColumns(names: readonly ConversationColumn[], timeZone: string): Column<ConversationSummary>[] {
  const all: Readonly<Record<ConversationColumn, Column<ConversationSummary>>> = {
    id: { header: 'Conversation ID', value: (c) => c.conversation_id },
    started: { header: `Start Time (${timeZone})`, value: (c) => formatTime(c.started_at, timeZone) },
    // An active conversation's duration runs to its last span so far.
    duration: { header: 'Duration', align: 'right', value: (c) => formatDuration(c.duration_ms) + (c.status === 'active' ? '+' : '') },
    seconds: { header: 'Duration (s)', align: 'right', value: (c) => formatSeconds(c.duration_ms) },
    turns: { header: 'Turns', align: 'right', value: (c) => formatCount(c.turns) },
    errors: { header: 'Errors', align: 'right', value: (c) => formatCount(c.errors) },
    cost: { header: 'Cost', align: 'right', value: (c) => formatUsd(c.cost_usd) },
    status: { header: 'Status', value: (c) => c.status },
    agent: { header: 'Agent', value: (c) => c.agent_name ?? NONE },
    channel: { header: 'Channel', value: (c) => c.channel ?? NONE },
    user: { header: 'User', value: (c) => c.user_id ?? NONE },
  };
  return names.map((name) => all[name]);
}

/** The line under a page that has more. */
export function moreLine(page: { readonly next_cursor: string | null }): string[] {
  return page.next_cursor === null ? [] : ['(more in the window: raise --limit, up to 1000, or narrow it with --hours and filters)'];
}
