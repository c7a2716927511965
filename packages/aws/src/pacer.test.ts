// The pacer against a simulated service, on a simulated clock: deterministic, no sleeps, no wall clock.
import { describe, expect, test } from "vitest";
import { type PacedRequest, Pacer } from "./pacer.js";
import type { RateLimiterClock } from "./rate-limiter.js";

/** A clock of timers only: `run` moves time to each next timer and lets what it wakes run. */
class SimulatedClock implements RateLimiterClock {
  #now = 0;
  #sequence = 0;
  readonly #timers: { at: number; sequence: number; wake: () => void }[] = [];

  now(): number {
    return this.#now;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => {
      this.#timers.push({ at: this.#now + Math.max(0, ms), sequence: this.#sequence++, wake });
    });
  }

  /** Runs timers in time order until none is left before `until`. */
  async run(until: number): Promise<void> {
    for (;;) {
      // Everything woken so far runs (and sets its next timers) before time moves on.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.#timers.length === 0) return;
      let next = 0;
      for (let index = 1; index < this.#timers.length; index++) {
        const timer = this.#timers[index];
        const best = this.#timers[next];
        if (timer && best && (timer.at < best.at || (timer.at === best.at && timer.sequence < best.sequence)))
          next = index;
      }
      const [timer] = this.#timers.splice(next, 1);
      if (timer === undefined || timer.at >= until) return;
      this.#now = timer.at;
      timer.wake();
    }
  }
}

type Scope = "operation" | "region" | "account";

/** The service: a token bucket of `rps` (one second of burst) per scope key, as the emulator's. */
function service(clock: SimulatedClock, rps: number, scope: Scope) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (request: PacedRequest): boolean => {
    const key =
      scope === "account"
        ? "account"
        : scope === "region"
          ? request.region
          : `${request.region}|${request.operation}`;
    const now = clock.now();
    const bucket = buckets.get(key) ?? { tokens: rps, at: now };
    bucket.tokens = Math.min(rps, bucket.tokens + ((now - bucket.at) / 1000) * rps);
    bucket.at = now;
    buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };
}

interface Simulation {
  scope: Scope;
  rps: number;
  regions: string[];
  /** Operations each worker cycles through, by the time (ms) they are sent until. */
  operations: { name: string; until: number }[];
  seconds: number;
}

/** Runs 8 workers per region (40 ms a call) through a pacer; accepted requests per second in the last third. */
async function simulate(simulation: Simulation) {
  const clock = new SimulatedClock();
  const pacer = new Pacer({ clock });
  const accepts = service(clock, simulation.rps, simulation.scope);
  const end = simulation.seconds * 1000;
  const measuredFrom = (end * 2) / 3;
  const accepted = new Map<string, number>();
  let throttled = 0;
  const worker = async (region: string, offset: number) => {
    for (let call = offset; clock.now() < end; call++) {
      const live = simulation.operations.filter((operation) => clock.now() < operation.until);
      if (live.length === 0) return;
      const request = { region, operation: live[call % live.length]?.name ?? "" };
      const ticket = await pacer.acquire(request);
      const ok = accepts(request);
      const sentAt = clock.now();
      await clock.sleep(40);
      if (!ok) {
        throttled++;
        pacer.onThrottle(request, ticket);
        continue;
      }
      pacer.onSuccess(request);
      if (sentAt >= measuredFrom) accepted.set(request.operation, (accepted.get(request.operation) ?? 0) + 1);
    }
  };
  const workers = simulation.regions.flatMap((region) =>
    Array.from({ length: 8 }, (_, index) => worker(region, index)),
  );
  await clock.run(end + 1000);
  await Promise.all(workers);
  const seconds = (end - measuredFrom) / 1000;
  const perSecond = (count: number) => count / seconds;
  return {
    total: perSecond([...accepted.values()].reduce((a, b) => a + b, 0)),
    byOperation: Object.fromEntries([...accepted].map(([operation, count]) => [operation, perSecond(count)])),
    throttled,
  };
}

const regions = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"];
const apply = [
  { name: "Create", until: Number.POSITIVE_INFINITY },
  { name: "Get", until: Number.POSITIVE_INFINITY },
  { name: "Tag", until: Number.POSITIVE_INFINITY },
];

describe("Pacer converges near the service's limit whatever its scope", () => {
  test("one limit shared by every operation and region of the account", async () => {
    const result = await simulate({ scope: "account", rps: 100, regions, operations: apply, seconds: 30 });
    expect(result.total).toBeGreaterThanOrEqual(85);
    expect(result.total).toBeLessThanOrEqual(100);
  });

  test("a limit per region, shared by its operations", async () => {
    const result = await simulate({ scope: "region", rps: 50, regions, operations: apply, seconds: 30 });
    expect(result.total).toBeGreaterThanOrEqual(0.85 * 4 * 50);
  });

  test("a limit per operation and region", async () => {
    const result = await simulate({ scope: "operation", rps: 20, regions, operations: apply, seconds: 30 });
    // 12 buckets of 20 a second.
    expect(result.total).toBeGreaterThanOrEqual(0.85 * 12 * 20);
    for (const rate of Object.values(result.byOperation)) expect(rate).toBeGreaterThanOrEqual(0.85 * 4 * 20);
  });

  test("a shared budget freed by one operation is taken up by the others", async () => {
    // Creates stop after 10 s; Gets and Tags go on alone and climb back to the whole limit.
    const result = await simulate({
      scope: "account",
      rps: 100,
      regions,
      operations: [
        { name: "Create", until: 10_000 },
        { name: "Get", until: Number.POSITIVE_INFINITY },
        { name: "Tag", until: Number.POSITIVE_INFINITY },
      ],
      seconds: 45,
    });
    expect(result.byOperation.Create).toBeUndefined();
    expect(result.total).toBeGreaterThanOrEqual(85);
  });

  test("one operation over its own limit is paced alone; the others keep their rate", async () => {
    // Per operation: Lists are cheap to the service (high limit), Creates limited at 10 a second.
    const clock = new SimulatedClock();
    const pacer = new Pacer({ clock });
    const creates = service(clock, 10, "operation");
    let listed = 0;
    let created = 0;
    const end = 20_000;
    const loop = async (operation: string) => {
      while (clock.now() < end) {
        const request = { region: "us-east-1", operation };
        const ticket = await pacer.acquire(request);
        const ok = operation === "List" || creates(request);
        await clock.sleep(40);
        if (!ok) pacer.onThrottle(request, ticket);
        else {
          pacer.onSuccess(request);
          if (clock.now() > end / 2) {
            if (operation === "List") listed++;
            else created++;
          }
        }
      }
    };
    const done = Promise.all([loop("List"), loop("List"), loop("Create"), loop("Create"), loop("Create")]);
    await clock.run(end + 1000);
    await done;
    // Two Lists in flight, 40 ms each, unthrottled: 50 a second; Creates near their 10.
    expect(listed / 10).toBeGreaterThanOrEqual(45);
    expect(created / 10).toBeGreaterThanOrEqual(8.5);
    expect(created / 10).toBeLessThanOrEqual(10.5);
  });

  test("an apply under limits per operation in 4 regions finishes near its bound", async () => {
    // As packages/aws/src/apply.ts runs the bench's apply: per region, 250 Creates 8 at a time, each
    // created configuration's record (a Get, then a Tag) in a queue of its own, 8 at a time; 40 ms a
    // call, 50 requests a second per operation and region. Only the Creates outrun their limit, in
    // every region at once: that must not be read as one limit shared by the account.
    const clock = new SimulatedClock();
    const pacer = new Pacer({ clock });
    const accepts = service(clock, 50, "operation");
    const perRegion = 250;
    let finishedAt = 0;
    const send = async (request: PacedRequest) => {
      for (;;) {
        const ticket = await pacer.acquire(request);
        const ok = accepts(request);
        await clock.sleep(40);
        if (ok) return pacer.onSuccess(request);
        pacer.onThrottle(request, ticket);
      }
    };
    const region = async (name: string, index: number) => {
      // Regions start a few milliseconds apart, as their Lists come back.
      await clock.sleep(index * 7);
      let created = 0;
      const records: (() => Promise<void>)[] = [];
      let recording = 0;
      const recorder = async () => {
        for (let record = records.shift(); record; record = records.shift()) await record();
        recording--;
      };
      const creator = async () => {
        while (created < perRegion) {
          created++;
          await send({ region: name, operation: "Create" });
          records.push(async () => {
            await send({ region: name, operation: "Get" });
            await send({ region: name, operation: "Tag" });
            finishedAt = Math.max(finishedAt, clock.now());
          });
          if (recording < 8) {
            recording++;
            void recorder();
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, creator));
    };
    const done = Promise.all(regions.map(region));
    await clock.run(120_000);
    await done;
    // The bound: the first second's burst of 50 Creates, then 50 a second, one latency (4,040 ms).
    const bound = 40 + ((perRegion - 50) / 50) * 1000;
    expect(finishedAt / bound).toBeLessThanOrEqual(1.3);
  });
});
