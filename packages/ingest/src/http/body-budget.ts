// A byte budget shared by the request bodies being read, inflated and decoded. The write queue
// bounds what waits for the database; this bounds what comes before it, where a small gzip body
// can stand for 64 MiB of protobuf and several times that once decoded.

/** Bytes one request holds in the budget; grows as its body is read and inflated. */
export interface BodyReservation {
  /** Bytes held. */
  readonly bytes: number;
  /** Holds `bytes` in all (more or fewer than now); false, holding what it held, when they do not fit. */
  resize(bytes: number): boolean;
  /** Gives everything back; later calls do nothing. */
  release(): void;
}

/** The budget. A lone request may exceed it, so a single body is never refused for its size alone (the size caps do that). */
export class BodyBudget {
  readonly #limitBytes: number;
  #heldBytes = 0;

  constructor(limitBytes: number) {
    this.#limitBytes = limitBytes;
  }

  /** Bytes held by all requests. */
  get heldBytes(): number {
    return this.#heldBytes;
  }

  /** A reservation of `bytes`, or undefined when they do not fit beside what others hold. */
  reserve(bytes: number): BodyReservation | undefined {
    if (!this.#fits(0, bytes)) return undefined;
    this.#heldBytes += bytes;
    let held = bytes;
    let isReleased = false;
    return {
      get bytes() {
        return held;
      },
      resize: (next: number): boolean => {
        if (isReleased) return false;
        if (next > held && !this.#fits(held, next - held)) return false;
        this.#heldBytes += next - held;
        held = next;
        return true;
      },
      release: (): void => {
        if (isReleased) return;
        isReleased = true;
        this.#heldBytes -= held;
      },
    };
  }

  /** Whether `extra` more bytes fit for a holder that already holds `own`. */
  #fits(own: number, extra: number): boolean {
    const othersHold = this.#heldBytes - own;
    return othersHold === 0 || this.#heldBytes + extra <= this.#limitBytes;
  }
}
