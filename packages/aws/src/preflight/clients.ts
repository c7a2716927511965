// The SDK clients preflight reads with: per service, region and account, with timeouts, pacing and call counts.
import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { StaticCredentials } from "../credentials.js";
import { isThrottlingError } from "../gateway.js";
import { proxyAgents } from "../proxy.js";
import { RateLimiter, type RateLimiterOptions } from "../rate-limiter.js";

/** The services preflight reads, with the suffix of their endpoint variable (`AWS_ENDPOINT_URL_<X>`). */
export const preflightServices = {
  iam: "IAM",
  kms: "KMS",
  ec2: "EC2",
  s3: "S3",
  sts: "STS",
  organizations: "ORGANIZATIONS",
} as const;
export type PreflightService = keyof typeof preflightServices;

type ClientOf = {
  iam: IAMClient;
  kms: KMSClient;
  ec2: EC2Client;
  s3: S3Client;
  sts: STSClient;
  organizations: OrganizationsClient;
};

export interface PreflightClientOptions {
  /** The run's environment: `AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL`. */
  env: Readonly<Record<string, string | undefined>>;
  /** The run's credentials; without them the SDK's standard chain. */
  credentials?: StaticCredentials | undefined;
  /** Each call's limit, retries included, in milliseconds. Default 10,000. */
  timeoutMs?: number | undefined;
  /** Attempts per request (the SDK's standard retry). Default 4. */
  maxAttempts?: number | undefined;
  rateLimiter?: RateLimiterOptions | undefined;
}

/** Where each service's requests go when an endpoint is configured (tests, the fake). */
export function preflightEndpoint(
  service: PreflightService,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const specific = env[`AWS_ENDPOINT_URL_${preflightServices[service]}`]?.trim();
  if (specific) return specific;
  return env.AWS_ENDPOINT_URL?.trim() || undefined;
}

/** The account a client reads in: the run's own (`source`) or a target account through its read role. */
export type AccountScope = { account: "source" } | { account: string; roleArn: string };

/**
 * Builds and caches clients; every `send` goes through the pacing of its service and region (a
 * {@link RateLimiter} each, as Image Builder's operations have), a timeout and the call count.
 */
export class PreflightClients {
  readonly #options: PreflightClientOptions;
  readonly #clients = new Map<string, ClientOf[PreflightService]>();
  readonly #limiters = new Map<string, RateLimiter>();
  readonly #assumed = new Map<string, Promise<StaticCredentials>>();
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY, as curl reads them (the SDK reads none of them): one agent for every client. */
  readonly #proxy = proxyAgents();
  #calls = 0;

  constructor(options: PreflightClientOptions) {
    this.#options = options;
  }

  /** Read calls sent so far (retries not counted). */
  calls(): number {
    return this.#calls;
  }

  /** Sends `command` with `service`'s client for `region` in `scope`. Errors are the SDK's. */
  async send<S extends PreflightService, Output>(
    service: S,
    region: string,
    scope: AccountScope,
    /** A command of `service`'s client (the SDK's command types do not unify across services). */
    command: unknown,
  ): Promise<Output> {
    const credentials = "roleArn" in scope ? await this.#assume(scope.roleArn) : this.#options.credentials;
    const client = this.#client(service, region, scope.account, credentials);
    const limiterKey = `${service}/${region}`;
    let limiter = this.#limiters.get(limiterKey);
    if (!limiter) {
      limiter = new RateLimiter(this.#options.rateLimiter);
      this.#limiters.set(limiterKey, limiter);
    }
    const ticket = await limiter.acquire();
    this.#calls++;
    try {
      const output = await (client.send as (c: unknown, o: unknown) => Promise<Output>)(command, {
        abortSignal: AbortSignal.timeout(this.#options.timeoutMs ?? 10_000),
      });
      limiter.onSuccess();
      return output;
    } catch (error) {
      if (isThrottlingError(error)) limiter.onThrottle(ticket);
      throw error;
    }
  }

  /** Credentials of `roleArn`, assumed once per run with the run's own credentials. */
  credentialsFor(roleArn: string): Promise<StaticCredentials> {
    return this.#assume(roleArn);
  }

  #assume(roleArn: string): Promise<StaticCredentials> {
    let pending = this.#assumed.get(roleArn);
    if (!pending) {
      pending = this.send<
        "sts",
        { Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } }
      >(
        "sts",
        "us-east-1",
        { account: "source" },
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: "waybill-preflight",
          DurationSeconds: 900,
        }),
      ).then((output) => {
        const c = output.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey)
          throw new Error(`AssumeRole ${roleArn} returned no credentials`);
        return {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
        };
      });
      this.#assumed.set(roleArn, pending);
    }
    return pending;
  }

  #client<S extends PreflightService>(
    service: S,
    region: string,
    account: string,
    credentials: StaticCredentials | undefined,
  ): ClientOf[S] {
    const key = `${service}/${region}/${account}`;
    const cached = this.#clients.get(key);
    if (cached) return cached as ClientOf[S];
    const endpoint = preflightEndpoint(service, this.#options.env);
    const timeout = this.#options.timeoutMs ?? 10_000;
    const config = {
      region,
      ...(endpoint ? { endpoint } : {}),
      ...(credentials ? { credentials } : {}),
      maxAttempts: this.#options.maxAttempts ?? 4,
      retryMode: "standard",
      requestHandler: {
        requestTimeout: timeout,
        connectionTimeout: Math.min(timeout, 5_000),
        ...this.#proxy,
      },
    };
    const client = {
      iam: () => new IAMClient(config),
      kms: () => new KMSClient(config),
      ec2: () => new EC2Client(config),
      s3: () =>
        new S3Client({ ...config, forcePathStyle: endpoint !== undefined, followRegionRedirects: true }),
      sts: () => new STSClient(config),
      organizations: () => new OrganizationsClient(config),
    }[service]() as ClientOf[S];
    this.#clients.set(key, client);
    return client;
  }

  /** Closes every client's connections. */
  destroy(): void {
    for (const client of this.#clients.values()) client.destroy();
    this.#clients.clear();
  }
}
