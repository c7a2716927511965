import { describe, expect, test } from "vitest";
import { RateLimiter, type RateLimiterClock } from "./rate-limiter.js";

/** A clock that only moves when told; sleeps are recorded and advance it. */
function fakeClock(): RateLimiterClock & { sleeps: number[]; advance(ms: number): void } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance(ms) {
      now += ms;
    },
    async sleep(ms) {
      sleeps.push(ms);
      now += ms;
    },
  };
}

describe("RateLimiter", () => {
  test("is unpaced until the first throttle, so a cold run uses the service's burst", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ clock });
    for (let index = 0; index < 100; index++) await limiter.acquire();
    expect(clock.sleeps).toEqual([]);
    expect(limiter.rate()).toBe(Number.POSITIVE_INFINITY);
  });

  test("a throttle sets the rate to 0.9 × the successes of the last second, then paces to it", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ clock });
    // 66 successes in the first 330 ms (a 50-token bucket plus its refill), 10 more long before.
    for (let index = 0; index < 10; index++) limiter.onSuccess();
    clock.advance(2000);
    for (let index = 0; index < 66; index++) {
      limiter.onSuccess();
      clock.advance(5);
    }
    const ticket = await limiter.acquire();
    limiter.onThrottle(ticket);
    expect(limiter.rate()).toBeCloseTo(0.9 * 66, 5);
    clock.sleeps.length = 0;
    for (let index = 0; index < 5; index++) await limiter.acquire();
    // The first waits a full interval after the decrease, the others one interval each.
    expect(clock.sleeps).toHaveLength(5);
    for (const sleep of clock.sleeps) expect(sleep).toBeCloseTo(1000 / (0.9 * 66), 0);
  });

  test("ignores throttles of requests sent before the last decrease", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ clock });
    for (let index = 0; index < 40; index++) limiter.onSuccess();
    const early = await limiter.acquire();
    const alsoEarly = await limiter.acquire();
    limiter.onThrottle(early);
    const lowered = limiter.rate();
    expect(lowered).toBeCloseTo(36, 5);
    limiter.onThrottle(alsoEarly);
    expect(limiter.rate()).toBe(lowered);
    const late = await limiter.acquire();
    limiter.onThrottle(late);
    expect(limiter.rate()).toBeLessThan(lowered);
    expect(limiter.throttleCount()).toBe(3);
  });

  test("regains rate linearly without throttles, and never paces below its minimum", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ clock, increase: 0.05, minRate: 2 });
    for (let index = 0; index < 20; index++) limiter.onSuccess();
    limiter.onThrottle(await limiter.acquire());
    expect(limiter.rate()).toBeCloseTo(18, 5);
    clock.advance(10_000);
    expect(limiter.rate()).toBeCloseTo(18 * 1.5, 5);
    // Nothing succeeded in the last second: the floor holds.
    limiter.onThrottle(await limiter.acquire());
    expect(limiter.rate()).toBe(2);
  });
});
