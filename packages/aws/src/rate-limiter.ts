// Client-side pacing of one operation in one region: start at full speed, learn the service's rate from throttling.

/** Clock and timer, replaceable in tests. Milliseconds. */
export interface RateLimiterClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: RateLimiterClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RateLimiterOptions {
  clock?: RateLimiterClock;
  /** Lowest rate it ever paces to, requests a second. Default 1. */
  minRate?: number;
  /** Share of the observed success rate kept on a throttle. Default 0.9. */
  decrease?: number;
  /** Rate regained per second without throttling, as a share of the rate set at the last decrease. Default 0.05. */
  increase?: number;
  /** Window over which successes are counted, ms. Default 1000. */
  windowMs?: number;
}

/**
 * Paces the requests of one operation (EC2 Image Builder limits each API per account and region).
 * The client cannot know the limit, so it learns it:
 *
 * - It starts unpaced: concurrency alone bounds it, so a cold run uses the service's burst.
 * - On a throttle it sets its rate to `decrease` × the successes of the last `windowMs` (or of
 *   its current rate, if lower). Once a token bucket is empty its successes arrive exactly at
 *   the refill rate, so this lands just under the service's rate in one or two steps, instead of
 *   a blind multiplicative cut. Throttles of requests sent before the last decrease are ignored:
 *   they say nothing about the new rate.
 * - Without throttles the rate grows linearly (`increase` × the rate set at the last decrease,
 *   per second), so it probes back up slowly and a lowered limit is found again.
 *
 * `acquire` waits for the next send slot and returns a ticket (the send time) for `onThrottle`.
 */
export class RateLimiter {
  readonly #clock: RateLimiterClock;
  readonly #minRate: number;
  readonly #decrease: number;
  readonly #increase: number;
  readonly #windowMs: number;
  /** Requests a second at the last decrease; Infinity until the first throttle. */
  #baseRate = Number.POSITIVE_INFINITY;
  #lastDecreaseAt = Number.NEGATIVE_INFINITY;
  #nextSendAt = Number.NEGATIVE_INFINITY;
  /** Times of recent successes, oldest first (pruned to the window). */
  readonly #successes: number[] = [];
  #successHead = 0;
  #throttles = 0;
  #decreases = 0;

  constructor(options: RateLimiterOptions = {}) {
    this.#clock = options.clock ?? realClock;
    this.#minRate = options.minRate ?? 1;
    this.#decrease = options.decrease ?? 0.9;
    this.#increase = options.increase ?? 0.05;
    this.#windowMs = options.windowMs ?? 1000;
  }

  /** The rate it paces to now, requests a second (Infinity while unpaced). */
  rate(now = this.#clock.now()): number {
    if (!Number.isFinite(this.#baseRate)) return this.#baseRate;
    const seconds = Math.max(0, now - this.#lastDecreaseAt) / 1000;
    return this.#baseRate + this.#baseRate * this.#increase * seconds;
  }

  /** Throttles that lowered the rate or were seen while paced, for diagnostics and tests. */
  throttleCount(): number {
    return this.#throttles;
  }

  /** How many throttles lowered the rate (the others came from requests sent before a decrease). */
  decreases(): number {
    return this.#decreases;
  }

  /** When the rate was last lowered (-Infinity: never); requests sent before then went at the old rate. */
  lastDecreaseAt(): number {
    return this.#lastDecreaseAt;
  }

  /** Back to unpaced, as new (successes seen are kept: they are still the recent rate). */
  reset(): void {
    this.#baseRate = Number.POSITIVE_INFINITY;
    this.#lastDecreaseAt = Number.NEGATIVE_INFINITY;
    this.#nextSendAt = Number.NEGATIVE_INFINITY;
  }

  /** Waits until the request may be sent; returns its ticket. */
  async acquire(): Promise<number> {
    const now = this.#clock.now();
    const rate = this.rate(now);
    if (!Number.isFinite(rate)) return now;
    const slot = Math.max(now, this.#nextSendAt);
    this.#nextSendAt = slot + 1000 / rate;
    if (slot > now) await this.#clock.sleep(slot - now);
    return slot;
  }

  /** A request was answered (anything but a throttle: the service accepted its rate). */
  onSuccess(): void {
    const now = this.#clock.now();
    this.#successes.push(now);
    this.#prune(now);
  }

  /** A request sent with `ticket` was throttled. */
  onThrottle(ticket: number): void {
    this.#throttles++;
    if (ticket <= this.#lastDecreaseAt) return;
    const now = this.#clock.now();
    this.#prune(now);
    const observed = (this.#successes.length - this.#successHead) * (1000 / this.#windowMs);
    this.#baseRate = Math.max(this.#minRate, this.#decrease * Math.min(this.rate(now), observed));
    this.#lastDecreaseAt = now;
    this.#decreases++;
    // Slots handed out at the old rate are not revoked; the next one waits a full new interval.
    this.#nextSendAt = Math.max(this.#nextSendAt, now + 1000 / this.#baseRate);
  }

  #prune(now: number): void {
    const oldest = now - this.#windowMs;
    while (this.#successHead < this.#successes.length && (this.#successes[this.#successHead] ?? 0) < oldest) {
      this.#successHead++;
    }
    if (this.#successHead > 1024 && this.#successHead * 2 > this.#successes.length) {
      this.#successes.splice(0, this.#successHead);
      this.#successHead = 0;
    }
  }
}
