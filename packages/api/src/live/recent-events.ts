// The last N live events of this process, for `Last-Event-ID` resumes: a ring of fixed size
// (memory bounded by N × the 8000-byte NOTIFY limit), searchable by event id. Gaps (the
// listening connection was lost and notices may be missing) are entries too, so a resume that
// spans one says so.

/** A notice relayed by the feed. */
export interface LiveEvent {
  readonly kind: 'event';
  /** The notice's id (`<transaction>-<n>`), the same in every API process. */
  readonly id: string;
  /** SSE event name: turn, error or conversation. */
  readonly type: string;
  /** The notice as JSON text, relayed as it came. */
  readonly data: string;
  /** The fields the stream filters on. */
  readonly conversationId: string | null;
  readonly agentName: string | null;
  readonly serviceName: string | null;
}

/** Notices may be missing here (the listening connection was lost meanwhile). */
export interface LiveGap {
  readonly kind: 'gap';
  readonly reason: GapReason;
}

/** Why a subscriber may have missed events. */
export type GapReason = 'listener_lost' | 'unknown_last_event_id';

export type LiveEntry = LiveEvent | LiveGap;

export class RecentEvents {
  readonly #capacity: number;
  readonly #entries: (LiveEntry | undefined)[];
  /** Sequence number of each event id in the ring. */
  readonly #sequenceOf = new Map<string, number>();
  /** Sequence number the next entry gets. */
  #next = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a whole number ≥ 1, got ${capacity}`);
    this.#capacity = capacity;
    this.#entries = new Array<LiveEntry | undefined>(capacity);
  }

  push(entry: LiveEntry): void {
    const slot = this.#next % this.#capacity;
    const evicted = this.#entries[slot];
    if (evicted?.kind === 'event') this.#sequenceOf.delete(evicted.id);
    this.#entries[slot] = entry;
    if (entry.kind === 'event') this.#sequenceOf.set(entry.id, this.#next);
    this.#next += 1;
  }

  /** The entries after the event `id`, oldest first; undefined when `id` is not (or no longer) here. */
  after(id: string): LiveEntry[] | undefined {
    const sequence = this.#sequenceOf.get(id);
    if (sequence === undefined) return undefined;
    const entries: LiveEntry[] = [];
    for (let s = sequence + 1; s < this.#next; s += 1) entries.push(this.#entries[s % this.#capacity] as LiveEntry);
    return entries;
  }

  get size(): number {
    return Math.min(this.#next, this.#capacity);
  }
}
