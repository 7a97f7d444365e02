// What the live page holds in memory: calls in progress with their turns, calls that just ended,
// and the recent events, built from the feed's notices. Pure: the hook feeds it batches of
// messages and renders the result. Everything is bounded so a page left open for a day stays small.
import type { ConversationSummaryAnswer, TurnAnswer } from '@convotel/api';
import type { ConversationNotice, ErrorNotice, TurnNotice } from '@convotel/store';

/** Turns kept over all calls; past it the oldest go (ended calls first). */
export const MAX_TURNS = 500;
/** Events in the running list. */
export const MAX_EVENTS = 200;
/** Calls that ended, kept below the active ones. */
export const MAX_ENDED_CALLS = 20;
/** Calls in progress tracked (a call quiet the longest goes first). */
export const MAX_ACTIVE_CALLS = 200;

export interface LiveTurn {
  readonly trace_id: string;
  readonly conversation_id: string;
  readonly turn_index: number | null;
  readonly started_at: string | null;
  readonly ended_at: string | null;
  readonly duration_ms: number | null;
  readonly perceived_latency_ms: number | null;
  readonly cost_usd: number;
  readonly status: string;
  readonly interrupted: boolean;
  readonly error_type: string | null;
  readonly error_message: string | null;
}

export interface LiveCall {
  readonly conversation_id: string;
  readonly service_name: string | null;
  readonly agent_name: string | null;
  readonly channel: string | null;
  readonly user_id: string | null;
  readonly status: string;
  readonly started_at: string | null;
  readonly ended_at: string | null;
  readonly end_reason: string | null;
  /** Turns as the conversation counts them (more than `turns` once some were let go). */
  readonly turn_count: number;
  readonly cost_usd: number;
  readonly errors: number;
  /** In index order. */
  readonly turns: readonly LiveTurn[];
  /** Sequence number of the last message about it (orders calls by activity). */
  readonly touched: number;
}

export interface LiveEventRow {
  /** The event id, or a local one for gaps. */
  readonly key: string;
  readonly type: 'turn' | 'error' | 'conversation' | 'gap';
  readonly at: string;
  readonly conversation_id: string | null;
  readonly trace_id: string | null;
  readonly agent_name: string | null;
  readonly isError: boolean;
  /** What happened, one line. */
  readonly summary: string;
  /** The error's message (error events, failed turns). */
  readonly message: string | null;
}

export interface LiveState {
  /** Calls in progress, by conversation id. */
  readonly active: ReadonlyMap<string, LiveCall>;
  /** Calls that ended, newest first. */
  readonly ended: readonly LiveCall[];
  /** Newest first. */
  readonly events: readonly LiveEventRow[];
  readonly turnsKept: number;
  /** Turns let go to stay under MAX_TURNS. */
  readonly turnsDropped: number;
  readonly gaps: number;
  readonly sequence: number;
}

/** One event of the feed, as the stream hands it over (api/live-stream.ts LiveMessage). */
export interface FeedMessage {
  readonly type: string;
  readonly id: string | undefined;
  readonly data: Readonly<Record<string, unknown>>;
}

export const EMPTY_LIVE_STATE: LiveState = { active: new Map(), ended: [], events: [], turnsKept: 0, turnsDropped: 0, gaps: 0, sequence: 0 };

// A call ends when its conversation span arrives (its end time): a failed turn does not end it.
const isEnded = (call: Pick<LiveCall, 'ended_at'>): boolean => call.ended_at !== null;

/** What a notice or an answer tells about a call. */
interface CallFields {
  readonly service_name?: string | null;
  readonly agent_name?: string | null;
  readonly channel?: string | null;
  readonly user_id?: string | null;
  readonly status?: string;
  readonly started_at?: string | null;
  readonly ended_at?: string | null;
  readonly end_reason?: string | null;
  readonly turn_count?: number;
  readonly cost_usd?: number;
  readonly errors?: number;
}

const whoOf = (from: { service_name: string | null; agent_name: string | null; channel: string | null; user_id: string | null }): CallFields => ({
  service_name: from.service_name,
  agent_name: from.agent_name,
  channel: from.channel,
  user_id: from.user_id,
});

function newCall(id: string, from: CallFields, sequence: number): LiveCall {
  return {
    conversation_id: id,
    service_name: from.service_name ?? null,
    agent_name: from.agent_name ?? null,
    channel: from.channel ?? null,
    user_id: from.user_id ?? null,
    status: from.status ?? 'active',
    started_at: from.started_at ?? null,
    ended_at: from.ended_at ?? null,
    end_reason: from.end_reason ?? null,
    turn_count: from.turn_count ?? 0,
    cost_usd: from.cost_usd ?? 0,
    errors: from.errors ?? 0,
    turns: [],
    touched: sequence,
  };
}

/** `turns` with `turn` in index order, replacing the one of the same trace (a resent notice). */
function withTurn(turns: readonly LiveTurn[], turn: LiveTurn): { turns: LiveTurn[]; isNew: boolean } {
  const rest = turns.filter((one) => one.trace_id !== turn.trace_id);
  const isNew = rest.length === turns.length;
  const order = (one: LiveTurn): number => one.turn_index ?? Number.MAX_SAFE_INTEGER;
  let at = rest.length;
  while (at > 0 && order(rest[at - 1]!) > order(turn)) at -= 1;
  rest.splice(at, 0, turn);
  return { turns: rest, isNew };
}

/** A mutable working copy for one batch; frozen back into a LiveState at the end. */
class Draft {
  active: Map<string, LiveCall>;
  ended: LiveCall[];
  events: LiveEventRow[] = [];
  turnsKept: number;
  turnsDropped: number;
  gaps: number;
  sequence: number;

  constructor(private readonly base: LiveState) {
    this.active = new Map(base.active);
    this.ended = [...base.ended];
    this.turnsKept = base.turnsKept;
    this.turnsDropped = base.turnsDropped;
    this.gaps = base.gaps;
    this.sequence = base.sequence;
  }

  /** The call of `id`, active or ended, and where it is. */
  find(id: string): { call: LiveCall; endedAt: number } | undefined {
    const call = this.active.get(id);
    if (call !== undefined) return { call, endedAt: -1 };
    const endedAt = this.ended.findIndex((one) => one.conversation_id === id);
    return endedAt === -1 ? undefined : { call: this.ended[endedAt]!, endedAt };
  }

  put(call: LiveCall, endedAt: number): void {
    if (isEnded(call)) {
      this.active.delete(call.conversation_id);
      if (endedAt >= 0) this.ended[endedAt] = call;
      else this.ended.unshift(call);
    } else if (endedAt >= 0) {
      // Still reported active after an end we saw: the end stands.
      this.ended[endedAt] = { ...call, status: this.ended[endedAt]!.status, ended_at: this.ended[endedAt]!.ended_at };
    } else {
      this.active.set(call.conversation_id, call);
    }
  }

  addTurn(turn: LiveTurn, from: CallFields): void {
    const found = this.find(turn.conversation_id);
    const call = found?.call ?? newCall(turn.conversation_id, from, this.sequence);
    const { turns, isNew } = withTurn(call.turns, turn);
    if (isNew) this.turnsKept += 1;
    this.put(
      {
        ...call,
        service_name: call.service_name ?? from.service_name ?? null,
        agent_name: call.agent_name ?? from.agent_name ?? null,
        channel: call.channel ?? from.channel ?? null,
        user_id: call.user_id ?? from.user_id ?? null,
        started_at: call.started_at ?? turn.started_at,
        turn_count: Math.max(call.turn_count, turns.length),
        turns,
        touched: this.sequence,
      },
      found?.endedAt ?? -1,
    );
  }

  event(row: LiveEventRow): void {
    this.events.push(row);
  }

  /** Whether the list already shows an error of `traceId` (a failed turn and its error notice are one failure). */
  hasErrorFor(traceId: string | null): boolean {
    if (traceId === null) return false;
    const isSame = (row: LiveEventRow): boolean => row.isError && row.trace_id === traceId;
    return this.events.some(isSame) || this.base.events.some(isSame);
  }

  /** Lets the oldest go until every bound holds. */
  bound(): void {
    while (this.ended.length > MAX_ENDED_CALLS) this.dropEnded();
    while (this.active.size > MAX_ACTIVE_CALLS) {
      let quietest: LiveCall | undefined;
      for (const call of this.active.values()) if (quietest === undefined || call.touched < quietest.touched) quietest = call;
      this.active.delete(quietest!.conversation_id);
      this.turnsKept -= quietest!.turns.length;
      this.turnsDropped += quietest!.turns.length;
    }
    while (this.turnsKept > MAX_TURNS) {
      if (this.ended.some((call) => call.turns.length > 0)) {
        this.dropEnded();
        continue;
      }
      // The active call whose first kept turn is oldest gives it up.
      let oldest: LiveCall | undefined;
      for (const call of this.active.values()) {
        if (call.turns.length > 0 && (oldest === undefined || (call.turns[0]!.started_at ?? '') < (oldest.turns[0]!.started_at ?? ''))) oldest = call;
      }
      if (oldest === undefined) break;
      this.active.set(oldest.conversation_id, { ...oldest, turns: oldest.turns.slice(1) });
      this.turnsKept -= 1;
      this.turnsDropped += 1;
    }
  }

  private dropEnded(): void {
    const call = this.ended.pop();
    if (call === undefined) return;
    this.turnsKept -= call.turns.length;
    this.turnsDropped += call.turns.length;
  }

  freeze(): LiveState {
    this.bound();
    const events = this.events.length === 0 ? this.base.events : [...this.events.reverse(), ...this.base.events].slice(0, MAX_EVENTS);
    return { active: this.active, ended: this.ended, events, turnsKept: this.turnsKept, turnsDropped: this.turnsDropped, gaps: this.gaps, sequence: this.sequence };
  }
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function turnOf(notice: TurnNotice, conversationId: string): LiveTurn {
  return {
    trace_id: notice.trace_id,
    conversation_id: conversationId,
    turn_index: notice.turn_index,
    started_at: notice.started_at,
    ended_at: notice.ended_at,
    duration_ms: notice.duration_ms,
    perceived_latency_ms: notice.perceived_latency_ms,
    cost_usd: notice.cost_usd,
    status: notice.status,
    interrupted: notice.interrupted === true,
    error_type: notice.error_type,
    error_message: notice.error_message,
  };
}

function applyTurn(draft: Draft, key: string, notice: TurnNotice): void {
  const isFailed = notice.status === 'error';
  const index = notice.turn_index === null ? '' : ` #${notice.turn_index}`;
  if (isFailed && draft.hasErrorFor(notice.trace_id)) {
    if (notice.conversation_id !== null) draft.addTurn(turnOf(notice, notice.conversation_id), whoOf(notice));
    return;
  }
  draft.event({
    key,
    type: 'turn',
    at: notice.ended_at ?? notice.at,
    conversation_id: notice.conversation_id,
    trace_id: notice.trace_id,
    agent_name: notice.agent_name,
    isError: isFailed,
    summary: `turn${index} ${isFailed ? `failed${notice.error_type === null ? '' : ` · ${notice.error_type}`}` : 'done'}`,
    message: isFailed ? (text(notice.error_message) ?? text(notice.error_type)) : null,
  });
  if (notice.conversation_id === null) return;
  draft.addTurn(turnOf(notice, notice.conversation_id), whoOf(notice));
}

function applyConversation(draft: Draft, key: string, notice: ConversationNotice): void {
  if (notice.conversation_id === null) return;
  const found = draft.find(notice.conversation_id);
  const call = found?.call ?? newCall(notice.conversation_id, whoOf(notice), draft.sequence);
  const updated: LiveCall = {
    ...call,
    service_name: notice.service_name ?? call.service_name,
    agent_name: notice.agent_name ?? call.agent_name,
    channel: notice.channel ?? call.channel,
    user_id: notice.user_id ?? call.user_id,
    status: notice.status,
    started_at: notice.started_at ?? call.started_at,
    ended_at: notice.ended_at,
    end_reason: notice.end_reason,
    turn_count: Math.max(notice.turns, call.turns.length),
    cost_usd: notice.cost_usd,
    errors: notice.errors,
    touched: draft.sequence,
  };
  const hasEnded = isEnded(updated) && (found === undefined || found.endedAt === -1);
  if (found === undefined || hasEnded) {
    draft.event({
      key,
      type: 'conversation',
      at: notice.ended_at ?? notice.at,
      conversation_id: notice.conversation_id,
      trace_id: null,
      agent_name: notice.agent_name,
      isError: notice.status === 'error',
      summary: hasEnded ? `call ended (${notice.end_reason ?? notice.status})` : 'call started',
      message: null,
    });
  }
  draft.put(updated, found?.endedAt ?? -1);
}

function applyError(draft: Draft, key: string, notice: ErrorNotice): void {
  // A failed turn announces itself twice (turn, then error of source turn): one row says it.
  if (notice.source === 'turn' && draft.hasErrorFor(notice.trace_id)) return;
  draft.event({
    key,
    type: 'error',
    at: notice.time ?? notice.at,
    conversation_id: notice.conversation_id,
    trace_id: notice.trace_id,
    agent_name: notice.agent_name,
    isError: true,
    summary: [notice.source === 'event' ? (notice.component ?? 'event') : 'turn', notice.error_type].filter((part) => part !== null).join(' · '),
    message: text(notice.message) ?? text(notice.error_type),
  });
}

/** `state` after `messages`, in order. */
export function applyMessages(state: LiveState, messages: readonly FeedMessage[]): LiveState {
  if (messages.length === 0) return state;
  const draft = new Draft(state);
  for (const message of messages) {
    draft.sequence += 1;
    const key = message.id ?? `local-${draft.sequence}`;
    const data = message.data;
    switch (message.type) {
      case 'turn':
        applyTurn(draft, key, data as unknown as TurnNotice);
        break;
      case 'conversation':
        applyConversation(draft, key, data as unknown as ConversationNotice);
        break;
      case 'error':
        applyError(draft, key, data as unknown as ErrorNotice);
        break;
      case 'gap':
        draft.gaps += 1;
        draft.event({
          key,
          type: 'gap',
          at: new Date().toISOString(),
          conversation_id: null,
          trace_id: null,
          agent_name: null,
          isError: false,
          summary: `events may be missing (${text(data['reason']) ?? 'unknown reason'})`,
          message: null,
        });
        break;
      default:
        break;
    }
  }
  return draft.freeze();
}

/**
 * `state` with the calls in progress when the page opened (the API's active conversations and
 * their turns so far). What the feed already said wins: an ended call stays ended.
 */
export function applySnapshot(state: LiveState, conversations: readonly ConversationSummaryAnswer[], turnsOf: ReadonlyMap<string, readonly TurnAnswer[]>): LiveState {
  const draft = new Draft(state);
  for (const conversation of conversations) {
    if (conversation.status !== 'active') continue;
    draft.sequence += 1;
    const found = draft.find(conversation.conversation_id);
    if (found?.endedAt !== undefined && found.endedAt >= 0) continue;
    const call =
      found?.call ??
      newCall(
        conversation.conversation_id,
        { ...whoOf(conversation), status: conversation.status, started_at: conversation.started_at, turn_count: conversation.turns, cost_usd: conversation.cost_usd, errors: conversation.errors },
        // Older than anything the feed brought.
        0,
      );
    draft.put({ ...call, turn_count: Math.max(call.turn_count, conversation.turns) }, -1);
    for (const turn of turnsOf.get(conversation.conversation_id) ?? []) {
      draft.addTurn(
        {
          trace_id: turn.trace_id,
          conversation_id: conversation.conversation_id,
          turn_index: turn.index,
          started_at: turn.started_at,
          ended_at: turn.ended_at,
          duration_ms: turn.duration_ms,
          perceived_latency_ms: turn.perceived_latency_ms,
          cost_usd: turn.cost_usd,
          status: turn.status,
          interrupted: turn.interrupted,
          error_type: turn.error_type,
          error_message: turn.error_message,
        },
        whoOf(conversation),
      );
    }
  }
  return draft.freeze();
}
