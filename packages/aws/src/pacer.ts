// Pacing of every Image Builder request of one account: one learned budget per scope the service's
// limit may have (the account, a region, one operation in one region), narrowest first.
import { RateLimiter, type RateLimiterClock, type RateLimiterOptions } from "./rate-limiter.js";

/** Where a request goes: its home region and operation. */
export interface PacedRequest {
  region: string;
  operation: string;
}

/**
 * Paces the requests of one account whatever the scope of the service's limit: per operation and
 * region (as Image Builder documents its limits), per region, or shared by the whole account (as a
 * proxy or an account-wide quota may impose). Waybill cannot know which, so it learns it from where
 * throttles land:
 *
 * - Every request draws from three {@link RateLimiter}s: the account's, its region's and its
 *   operation's in that region. Each starts unpaced and learns only from a throttle it is blamed for.
 * - A throttle is blamed on the narrowest scope that explains every request throttled in the last
 *   window (`windowMs`): throttles of one operation only, while others pass, mean that operation's
 *   own limit, in one region or in several at once (each region's Creates outrun their own limit
 *   together; a limit shared by the account would throttle whatever else is sent too); throttles
 *   spread over the operations of one region mean the region's; over operations and regions, the
 *   account's. The blamed limiter drops to `decrease` × the successes it saw in the window.
 * - A throttle of a request sent before the last cut of a budget it draws from says nothing about
 *   the new rates (it was sent at the old one): it cuts no budget, not even a narrower one, and
 *   is not counted as a place where throttles land.
 * - Blaming a scope resets the narrower limiters inside it to unpaced: the wider limit explains
 *   their throttles, and a budget they learned from a share of it would otherwise hold them down
 *   once the other operations stop (the apply's Creates end, its records go on).
 *
 * Each limiter then regains rate additively, so a shared budget freed by one operation is taken up
 * by the others, and a lowered limit is found again.
 */
export class Pacer {
  readonly #options: RateLimiterOptions;
  readonly #clock: RateLimiterClock;
  readonly #windowMs: number;
  readonly #limiters = new Map<string, RateLimiter>();
  /** Recent throttles (time and scope keys), oldest first, pruned to the window. */
  #throttles: { at: number; region: string; operation: string }[] = [];
  readonly #throttleCounts = new Map<string, number>();

  constructor(options: RateLimiterOptions = {}) {
    this.#options = options;
    this.#clock = options.clock ?? {
      now: () => performance.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    };
    this.#windowMs = options.windowMs ?? 1000;
  }

  /** Waits until the request may be sent, within every budget it draws from; returns its ticket. */
  async acquire(request: PacedRequest): Promise<number> {
    for (const key of scopes(request)) {
      const limiter = this.#limiters.get(key);
      if (limiter !== undefined) await limiter.acquire();
    }
    return this.#clock.now();
  }

  /** The request was answered (anything but a throttle). */
  onSuccess(request: PacedRequest): void {
    for (const key of scopes(request)) this.#limiter(key).onSuccess();
  }

  /** The request sent with `ticket` was throttled. */
  onThrottle(request: PacedRequest, ticket: number): void {
    const counted = `${request.region}|${request.operation}`;
    this.#throttleCounts.set(counted, (this.#throttleCounts.get(counted) ?? 0) + 1);
    if (this.#sentBeforeCut(request, ticket)) return;
    const now = this.#clock.now();
    this.#throttles = this.#throttles.filter((throttle) => throttle.at >= now - this.#windowMs);
    this.#throttles.push({ at: now, ...request });
    const sameRegion = this.#throttles.every((throttle) => throttle.region === request.region);
    const sameOperation = this.#throttles.every((throttle) => throttle.operation === request.operation);
    const [account, region, operation] = scopes(request);
    const blamed = sameOperation ? operation : sameRegion ? region : account;
    const limiter = this.#limiter(blamed);
    const before = limiter.decreases();
    limiter.onThrottle(ticket);
    if (limiter.decreases() === before) return;
    // The wider budget explains the throttles: the narrower ones inside it start over.
    const inside = blamed === account ? "" : `${blamed}|`;
    for (const [key, narrower] of this.#limiters) {
      if (key !== blamed && key.startsWith(inside) && key.length > blamed.length) narrower.reset();
    }
  }

  /** Whether a request was sent before the last cut of a budget it draws from (at the old rate). */
  #sentBeforeCut(request: PacedRequest, ticket: number): boolean {
    return scopes(request).some(
      (key) => ticket <= (this.#limiters.get(key)?.lastDecreaseAt() ?? Number.NEGATIVE_INFINITY),
    );
  }

  /** Throttles seen per region and operation so far (resends included). */
  throttleCounts(region: string): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [key, count] of this.#throttleCounts) {
      const [where, operation] = key.split("|");
      if (where === region && operation !== undefined) counts[operation] = count;
    }
    return counts;
  }

  /** The rate each scope paces to now (Infinity: unpaced), for diagnostics and tests. */
  rates(): Record<string, number> {
    return Object.fromEntries(
      [...this.#limiters].map(([key, limiter]) => [key || "account", limiter.rate()]),
    );
  }

  #limiter(key: string): RateLimiter {
    let limiter = this.#limiters.get(key);
    if (limiter === undefined) {
      limiter = new RateLimiter({ ...this.#options, clock: this.#clock });
      this.#limiters.set(key, limiter);
    }
    return limiter;
  }
}

/** The keys of the budgets a request draws from, widest first: account (""), region, operation. */
function scopes(request: PacedRequest): [string, string, string] {
  return ["", request.region, `${request.region}|${request.operation}`];
}
