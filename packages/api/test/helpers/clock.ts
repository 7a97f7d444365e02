// A clock the test moves by hand while the real SDK records spans, so every duration and
// timestamp of the generated traffic is known exactly. OpenTelemetry reads time from
// Date.now(), performance.now() and performance.timeOrigin; all three follow this clock while
// it is installed. Only the clock is replaced: timers, I/O and the SDK itself are real.
import { performance } from 'node:perf_hooks';

export class ManualClock {
  #nowMs = 0;
  #originMs = 0;
  #restore: (() => void) | undefined;

  /** Installs the clock at `startMs` (epoch ms, whole). */
  install(startMs: number): void {
    if (this.#restore !== undefined) throw new Error('clock already installed');
    this.#nowMs = startMs;
    // A time origin before every time this clock will show keeps performance.now() positive.
    this.#originMs = startMs - 60_000;
    const realDateNow = Date.now;
    const realPerformanceNow = performance.now;
    Date.now = () => this.#nowMs;
    performance.now = () => this.#nowMs - this.#originMs;
    Object.defineProperty(performance, 'timeOrigin', { configurable: true, get: () => this.#originMs });
    this.#restore = () => {
      Date.now = realDateNow;
      performance.now = realPerformanceNow;
      delete (performance as { timeOrigin?: number }).timeOrigin;
    };
  }

  get nowMs(): number {
    return this.#nowMs;
  }

  /** Moves forward `ms` (whole milliseconds). */
  advance(ms: number): void {
    if (!Number.isInteger(ms) || ms < 0) throw new Error(`advance by a whole, non-negative ms, not ${ms}`);
    this.#nowMs += ms;
  }

  /** Jumps forward to `ms`. */
  set(ms: number): void {
    if (ms < this.#nowMs) throw new Error('the clock only moves forward');
    this.#nowMs = ms;
  }

  uninstall(): void {
    this.#restore?.();
    this.#restore = undefined;
  }
}
