// Builds the per-region gateways a run uses: endpoint, credentials and retry settings in one place.
import { ImagebuilderClient } from "@aws-sdk/client-imagebuilder";
import { type CallCounts, type GatewayOperation, ImageBuilderGateway } from "./gateway.js";

/** Static credentials (the emulator accepts any); without them the SDK's standard chain is used. */
export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Everything the engine needs to reach EC2 Image Builder. */
export interface AwsAccess {
  /** The gateway for one home region; the same instance for the same region. */
  clientFor(region: string): ImageBuilderGateway;
  /**
   * The account, when the caller knows it. Waybill only has the Image Builder API (no STS), so
   * otherwise the engine derives it from the ARNs the service returns; see `accountFromArn`.
   */
  accountId?: string | undefined;
  /** The region from the SDK's standard chain (`AWS_REGION`, profile), if any. */
  defaultRegion(): Promise<string | undefined>;
  /** Calls and requests per operation, summed over every region's gateway so far. */
  callCounts(): CallCounts;
}

export interface AwsAccessOptions {
  /** An explicit endpoint (`--endpoint-url`); wins over the environment. */
  endpointUrl?: string | undefined;
  /**
   * The environment to read `AWS_ENDPOINT_URL_IMAGEBUILDER` / `AWS_ENDPOINT_URL` from. The SDK still
   * reads its own credential and region variables from `process.env`.
   */
  env?: Readonly<Record<string, string | undefined>>;
  credentials?: StaticCredentials | undefined;
  /** Attempts per request including the first (SDK adaptive retry). Default 8. */
  maxAttempts?: number | undefined;
  accountId?: string | undefined;
}

/** The endpoint to use: the explicit option, else the service-specific variable, else the global one. */
export function resolveEndpointUrl(
  endpointUrl: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const candidates = [endpointUrl, env.AWS_ENDPOINT_URL_IMAGEBUILDER, env.AWS_ENDPOINT_URL];
  return candidates.find((value) => value !== undefined && value.trim() !== "")?.trim();
}

/** Builds {@link AwsAccess}: one `ImagebuilderClient` per region with adaptive retry. */
export function createAwsAccess(options: AwsAccessOptions = {}): AwsAccess {
  const endpoint = resolveEndpointUrl(options.endpointUrl, options.env ?? {});
  const gateways = new Map<string, ImageBuilderGateway>();
  const clientConfig = {
    ...(endpoint ? { endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts ?? 8,
    retryMode: "adaptive",
  };
  return {
    accountId: options.accountId,
    clientFor(region) {
      let gateway = gateways.get(region);
      if (!gateway) {
        gateway = new ImageBuilderGateway(new ImagebuilderClient({ ...clientConfig, region }), region);
        gateways.set(region, gateway);
      }
      return gateway;
    },
    async defaultRegion() {
      const probe = new ImagebuilderClient({});
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
  };
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
