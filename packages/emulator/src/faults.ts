// Seeded, repeatable fault injection: latency, per-operation throttling, server errors, dropped
// connections, denied operations and failed distributions.
import type { OperationName } from "./api-model.js";

/** Faults to inject; every field is optional and off when absent or 0. */
export interface FaultSettings {
  /** Milliseconds added to every request before it is answered. */
  latencyMs?: number;
  /** Requests per second allowed per `throttleScope`; more get 429 CallRateLimitExceededException. */
  throttleRps?: number;
  /**
   * What one `throttleRps` budget covers: `operation` (default: each operation per account and
   * region, as AWS documents Image Builder's limits), `region` (all operations of an account in a
   * region) or `account` (all operations and regions of an account, as an account-wide quota or a
   * proxy may impose).
   */
  throttleScope?: ThrottleScope;
  /** Share of requests (0..1) answered 500 ServiceException or 503 ServiceUnavailableException. */
  errorRate?: number;
  /** Share of requests (0..1) whose connection is closed without an answer. */
  dropRate?: number;
  /**
   * Operations answered 403 `AccessDeniedException`, as IAM answers a caller without the permission
   * (for example `ListImagePipelines`, to see a run go on without pipeline reads).
   */
  deniedOperations?: readonly OperationName[];
  /** Share of simulated distributions (0..1), of builds and of DistributeImage, that end FAILED with a reason. */
  distributionFailureRate?: number;
  /** Seed of the random choices; the same seed and request order give the same faults. */
  seed?: number;
}

/** What one throttling budget covers; see {@link FaultSettings.throttleScope}. */
export type ThrottleScope = "operation" | "region" | "account";

/** The scopes `throttleScope` takes, for flags and checks. */
export const throttleScopes: readonly ThrottleScope[] = ["operation", "region", "account"];

/** What to do with one request. */
export type FaultDecision =
  | { kind: "none" }
  | { kind: "drop" }
  | { kind: "error"; type: "ServiceException" | "ServiceUnavailableException" }
  | { kind: "throttle" };

/** mulberry32: a small, fast 32-bit PRNG; returns numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface TokenBucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Decides, request by request, which fault (if any) to inject. Random draws happen in the order
 * requests arrive, three per request whatever the settings, so a seed replays the same faults for
 * the same sequence of requests. Throttling is a token bucket per `throttleScope` (by default per
 * operation and account+region, as AWS limits each API per account and region), holding one
 * second of requests.
 */
export class FaultInjector {
  private settings: Required<FaultSettings>;
  private random: () => number;
  // A stream of its own, so distribution faults do not shift the per-request draws.
  private distributionRandom: () => number;
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    settings: FaultSettings = {},
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.settings = normalise(settings);
    this.random = mulberry32(this.settings.seed);
    this.distributionRandom = mulberry32(this.settings.seed ^ 0x5eed);
  }

  /** The settings in force. */
  current(): Required<FaultSettings> {
    return { ...this.settings };
  }

  /** Changes faults at run time; fields left out keep their value. A new seed restarts the random sequence. */
  update(settings: FaultSettings): void {
    this.settings = normalise({ ...this.settings, ...settings });
    if (settings.seed !== undefined) {
      this.random = mulberry32(this.settings.seed);
      this.distributionRandom = mulberry32(this.settings.seed ^ 0x5eed);
    }
    if (settings.throttleRps !== undefined || settings.throttleScope !== undefined) this.buckets.clear();
  }

  /** Decides the fate of a request to `operation` made in `scopeKey` (`<account>:<region>`). */
  decide(operation: string, scopeKey: string): FaultDecision {
    const dropDraw = this.random();
    const errorDraw = this.random();
    const errorKind = this.random();
    if (dropDraw < this.settings.dropRate) return { kind: "drop" };
    if (errorDraw < this.settings.errorRate) {
      return { kind: "error", type: errorKind < 0.5 ? "ServiceException" : "ServiceUnavailableException" };
    }
    if (
      this.settings.throttleRps > 0 &&
      !this.take(budgetKey(this.settings.throttleScope, operation, scopeKey))
    )
      return { kind: "throttle" };
    return { kind: "none" };
  }

  /** Whether the simulated distribution starting now fails (one draw per build or DistributeImage). */
  failDistribution(): boolean {
    return this.distributionRandom() < this.settings.distributionFailureRate;
  }

  private take(key: string): boolean {
    const now = this.clock();
    const rate = this.settings.throttleRps;
    const capacity = Math.max(1, rate);
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updatedAt) / 1000) * rate);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

/** The token bucket a request draws from under `scope`. */
function budgetKey(scope: ThrottleScope, operation: string, scopeKey: string): string {
  switch (scope) {
    case "operation":
      return `${scopeKey}|${operation}`;
    case "region":
      return scopeKey;
    case "account":
      return scopeKey.split(":")[0] ?? scopeKey;
  }
}

function normalise(settings: FaultSettings): Required<FaultSettings> {
  return {
    throttleScope: settings.throttleScope ?? "operation",
    latencyMs: Math.max(0, settings.latencyMs ?? 0),
    throttleRps: Math.max(0, settings.throttleRps ?? 0),
    errorRate: Math.min(1, Math.max(0, settings.errorRate ?? 0)),
    dropRate: Math.min(1, Math.max(0, settings.dropRate ?? 0)),
    distributionFailureRate: Math.min(1, Math.max(0, settings.distributionFailureRate ?? 0)),
    deniedOperations: [...(settings.deniedOperations ?? [])],
    seed: settings.seed ?? 1,
  };
}
