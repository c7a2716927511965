// Builds the per-region gateways a run uses: endpoint, credentials and retry settings in one place.
import { ImagebuilderClient } from "@aws-sdk/client-imagebuilder";
import type { StaticCredentials } from "./credentials.js";
import {
  type CallCounts,
  type GatewayOperation,
  type GatewayOptions,
  ImageBuilderGateway,
} from "./gateway.js";
import { Pacer } from "./pacer.js";
import type { PreflightGatherer, PreflightGathererOptions } from "./preflight/gather.js";
import { proxyAgents, proxyConfigured } from "./proxy.js";

/** Everything the engine needs to reach EC2 Image Builder. */
export interface AwsAccess {
  /** The gateway for one home region; the same instance for the same region. */
  clientFor(region: string): ImageBuilderGateway;
  /**
   * The account, when the caller knows it. Waybill only has the Image Builder API (no STS), so
   * otherwise the engine derives it from the ARNs the service returns; see `accountFromArn`.
   */
  accountId?: string | undefined;
  /**
   * The region of the profile (`AWS_PROFILE` of `env`, else the SDK's default) by the SDK's own
   * loader, which also reads the process's environment (`AWS_CONFIG_FILE`, and its own
   * `AWS_REGION` first); undefined when none is configured. The run's `AWS_REGION` and
   * `AWS_DEFAULT_REGION` come before it, read and checked once by the engine's `openRun`.
   */
  defaultRegion(): Promise<string | undefined>;
  /** Calls and requests per operation, summed over every region's gateway so far. */
  callCounts(): CallCounts;
  /**
   * A preflight reader with the run's environment (endpoints `AWS_ENDPOINT_URL_<SERVICE>`, else
   * `AWS_ENDPOINT_URL`) and credentials. Its SDK clients (IAM, KMS, EC2, S3, STS, Organizations)
   * are loaded by a dynamic import on the first call, so runs without preflight never load them.
   */
  openPreflight(
    options: Pick<PreflightGathererOptions, "region" | "concurrency" | "readRoleFor" | "timeoutMs">,
  ): Promise<PreflightGatherer>;
}

export interface AwsAccessOptions {
  /**
   * The endpoint, already chosen and checked by the caller (the engine's `openRun` picks
   * `--endpoint-url`, else `AWS_ENDPOINT_URL_IMAGEBUILDER`, else `AWS_ENDPOINT_URL`); without it
   * the SDK's own endpoint for the region.
   */
  endpointUrl?: string | undefined;
  /**
   * The run's environment: `AWS_PROFILE` for {@link AwsAccess.defaultRegion}, the endpoints for
   * preflight's clients. The SDK's clients still read their own credential variables from
   * `process.env` (pass `credentials` to use the run's).
   */
  env?: Readonly<Record<string, string | undefined>>;
  credentials?: StaticCredentials | undefined;
  /** Attempts per request including the first (the SDK's standard retry, with its retry quota). Default 8. */
  maxAttempts?: number | undefined;
  /** Options of each pacing budget (see `Pacer`, `RateLimiter`); defaults suit the real service. */
  rateLimiter?: GatewayOptions["rateLimiter"];
  accountId?: string | undefined;
}

/**
 * Builds {@link AwsAccess}: one `ImagebuilderClient` per region, with the SDK's standard retry
 * (and its retry quota) and Waybill's own pacing (one `Pacer` for the account: budgets per
 * operation, region and account, learned from throttles) instead of the SDK's adaptive mode,
 * which paces per client, cold-starts at a low rate and recovers slowly (see `RateLimiter`).
 */
export function createAwsAccess(options: AwsAccessOptions = {}): AwsAccess {
  const env = options.env ?? {};
  const endpoint = options.endpointUrl;
  const gateways = new Map<string, ImageBuilderGateway>();
  const clientConfig = {
    ...(endpoint ? { endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts ?? 8,
    retryMode: "standard",
    // HTTPS_PROXY / HTTP_PROXY / NO_PROXY, as curl reads them (the SDK reads none of them).
    ...(proxyConfigured() ? { requestHandler: proxyAgents() } : {}),
  };
  // One pacer for every region: the service's limit may be shared by the whole account.
  const gatewayOptions: GatewayOptions = { pacer: new Pacer(options.rateLimiter) };
  return {
    accountId: options.accountId,
    clientFor(region) {
      let gateway = gateways.get(region);
      if (!gateway) {
        gateway = new ImageBuilderGateway(
          new ImagebuilderClient({ ...clientConfig, region }),
          region,
          gatewayOptions,
        );
        gateways.set(region, gateway);
      }
      return gateway;
    },
    async defaultRegion() {
      const profile = env.AWS_PROFILE?.trim();
      const probe = new ImagebuilderClient(profile ? { profile } : {});
      try {
        return await probe.config.region();
      } catch {
        // No region configured anywhere: the caller reports it as a user mistake.
        return undefined;
      } finally {
        probe.destroy();
      }
    },
    callCounts() {
      return sumCallCounts([...gateways.values()].map((gateway) => gateway.callCounts()));
    },
    async openPreflight(preflight) {
      const { PreflightGatherer } = await import("./preflight/gather.js");
      return new PreflightGatherer({
        ...preflight,
        env,
        credentials: options.credentials,
        ...(options.maxAttempts === undefined ? {} : { maxAttempts: Math.min(options.maxAttempts, 4) }),
      });
    },
  };
}

/**
 * Turns off the SDK's "node >=22" deprecation warning (printed to stderr once per process on
 * Node 20) the way the SDK documents (aws/aws-sdk-js-v3#7983): the environment variable
 * `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true`, read when a client is constructed.
 * Waybill supports Node 20 on purpose, so its users should not see it. A value the user set
 * (even "false") is left alone. For entry points (the CLI's, the Action's) to call once, before
 * any client is built: a library does not write the process's environment.
 */
export function silenceNodeVersionWarning(env: Record<string, string | undefined> = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}

/** Adds several gateways' counts together. */
export function sumCallCounts(counts: CallCounts[]): CallCounts {
  const total: CallCounts = { calls: {}, requests: {} };
  for (const count of counts) {
    for (const kind of ["calls", "requests"] as const) {
      for (const [operation, n] of Object.entries(count[kind]) as [GatewayOperation, number][]) {
        total[kind][operation] = (total[kind][operation] ?? 0) + n;
      }
    }
  }
  return total;
}
