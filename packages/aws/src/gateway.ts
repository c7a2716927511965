// The one small wrapper around the SDK's ImagebuilderClient: every call Waybill makes to EC2 Image Builder.
import {
  CreateDistributionConfigurationCommand,
  type CreateDistributionConfigurationCommandInput,
  CreateImagePipelineCommand,
  type CreateImagePipelineCommandInput,
  DeleteDistributionConfigurationCommand,
  DistributeImageCommand,
  type DistributeImageCommandInput,
  type DistributionConfiguration,
  type DistributionConfigurationSummary,
  GetDistributionConfigurationCommand,
  GetImageCommand,
  type Image,
  type ImagebuilderClient,
  type ImagePipeline,
  type ImageSummary,
  ListDistributionConfigurationsCommand,
  ListImageBuildVersionsCommand,
  ListImagePipelineImagesCommand,
  ListImagePipelinesCommand,
  StartImagePipelineExecutionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateDistributionConfigurationCommand,
  type UpdateDistributionConfigurationCommandInput,
} from "@aws-sdk/client-imagebuilder";
import { parseDistributionConfigurationArn } from "@waybill/core";
import { Pacer } from "./pacer.js";
import type { RateLimiterOptions } from "./rate-limiter.js";

/** The service operations the gateway calls, as named in the API model. */
export type GatewayOperation =
  | "ListDistributionConfigurations"
  | "GetDistributionConfiguration"
  | "CreateDistributionConfiguration"
  | "UpdateDistributionConfiguration"
  | "DeleteDistributionConfiguration"
  | "TagResource"
  | "UntagResource"
  | "ListImagePipelines"
  | "ListImagePipelineImages"
  | "ListImageBuildVersions"
  | "GetImage"
  | "DistributeImage"
  | "CreateImagePipeline"
  | "StartImagePipelineExecution";

const verbs: Record<GatewayOperation, string> = {
  ListDistributionConfigurations: "list distribution configurations",
  GetDistributionConfiguration: "read distribution configuration",
  CreateDistributionConfiguration: "create distribution configuration",
  UpdateDistributionConfiguration: "update distribution configuration",
  DeleteDistributionConfiguration: "delete distribution configuration",
  TagResource: "tag distribution configuration",
  UntagResource: "untag distribution configuration",
  ListImagePipelines: "list image pipelines",
  ListImagePipelineImages: "list the images of image pipeline",
  ListImageBuildVersions: "list the build versions of image",
  GetImage: "read image",
  DistributeImage: "distribute image",
  CreateImagePipeline: "create image pipeline",
  StartImagePipelineExecution: "start a build of image pipeline",
};

/**
 * A failed call to EC2 Image Builder, after the SDK's retries. `type` is the service's error type
 * (`ResourceNotFoundException`, `CallRateLimitExceededException`, ...) or, when no response came back,
 * the error's name (`TimeoutError`, ...). `message` reads
 * "Could not update distribution configuration web-base in us-west-2: <service message>".
 */
export class GatewayError extends Error {
  override readonly name = "GatewayError";
  readonly type: string;
  readonly serviceMessage: string;
  readonly operation: GatewayOperation;
  readonly region: string;
  readonly configurationName: string | undefined;
  readonly httpStatusCode: number | undefined;

  constructor(options: {
    operation: GatewayOperation;
    region: string;
    configurationName?: string | undefined;
    type: string;
    serviceMessage: string;
    httpStatusCode?: number | undefined;
    cause?: unknown;
  }) {
    const subject = options.configurationName
      ? `${verbs[options.operation]} ${options.configurationName}`
      : verbs[options.operation];
    super(`Could not ${subject} in ${options.region}: ${options.serviceMessage}`, { cause: options.cause });
    this.type = options.type;
    this.serviceMessage = options.serviceMessage;
    this.operation = options.operation;
    this.region = options.region;
    this.configurationName = options.configurationName;
    this.httpStatusCode = options.httpStatusCode;
  }
}

/** Calls and HTTP requests (SDK retries included) per operation, as seen by one gateway. */
export interface CallCounts {
  /** Logical calls: one per gateway method invocation (one per page for List). */
  calls: Partial<Record<GatewayOperation, number>>;
  /** HTTP attempts sent, retries included. */
  requests: Partial<Record<GatewayOperation, number>>;
}

/** The configuration's name as the ARN keys it, for messages when the caller gave none. */
function nameInArn(arn: string): string {
  const parsed = parseDistributionConfigurationArn(arn);
  return parsed.ok ? parsed.arn.resourceName : arn;
}

/** Largest page the service returns. */
const pageSize = 25;

/** Error types by which AWS services say "too fast" (the SDK's throttling codes, and Image Builder's). */
const throttlingTypes = new Set([
  "CallRateLimitExceededException",
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "RequestThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "SlowDown",
]);

/** Whether an SDK error is the service throttling the request. */
export function isThrottlingError(error: unknown): boolean {
  const fields = (typeof error === "object" && error !== null ? error : {}) as {
    name?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  return (
    fields.$metadata?.httpStatusCode === 429 ||
    (typeof fields.name === "string" && throttlingTypes.has(fields.name))
  );
}

/**
 * Sends of one attempt after a throttle, paced by the operation's limiter, before the throttle is
 * handed to the SDK's retry (which charges its retry quota and backs off). A throttle here means
 * "later", not "broken": the limiter has just slowed down, so the next send usually passes.
 */
const resendsAfterThrottle = 4;

type MiddlewareOf<Client extends ImagebuilderClient> = Parameters<
  Client["middlewareStack"]["addRelativeTo"]
>[0];
/** The shape of a finalizeRequest-step middleware, as much of it as Waybill uses. */
type FinalizeMiddleware = (
  next: (args: { request: unknown }) => Promise<{ output: unknown; response: unknown }>,
  context: { commandName?: string },
) => (args: { request: unknown }) => Promise<{ output: unknown; response: unknown }>;

export interface GatewayOptions {
  /** Options of each budget's {@link RateLimiter} (when the gateway makes its own pacer). */
  rateLimiter?: RateLimiterOptions;
  /** The account's pacer, shared by the gateways of every region (default: one of its own). */
  pacer?: Pacer;
}

/**
 * One region's Image Builder client behind the operations Waybill uses. Every method re-throws
 * service and network failures as a {@link GatewayError} carrying context; nothing else in Waybill
 * calls the SDK.
 */
export class ImageBuilderGateway {
  readonly region: string;
  readonly #client: ImagebuilderClient;
  readonly #calls: Partial<Record<GatewayOperation, number>> = {};
  readonly #requests: Partial<Record<GatewayOperation, number>> = {};
  readonly #pacer: Pacer;

  constructor(client: ImagebuilderClient, region: string, options: GatewayOptions = {}) {
    this.#client = client;
    this.region = region;
    const requests = this.#requests;
    const pacer = options.pacer ?? new Pacer(options.rateLimiter);
    this.#pacer = pacer;
    // Inside the SDK's retry loop (once per attempt), before signing: pace every request within
    // the account's budgets (see Pacer: the limit may be per operation, per region or shared).
    const pacing: FinalizeMiddleware = (next, context) => async (args) => {
      const request = { region, operation: (context.commandName ?? "").replace(/Command$/, "") };
      for (let resend = 0; ; resend++) {
        const ticket = await pacer.acquire(request);
        try {
          const result = await next(args);
          pacer.onSuccess(request);
          return result;
        } catch (error) {
          if (!isThrottlingError(error)) {
            // Answered (a service or client error) or no answer at all: not about the rate.
            if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode)
              pacer.onSuccess(request);
            throw error;
          }
          pacer.onThrottle(request, ticket);
          if (resend >= resendsAfterThrottle) throw error;
        }
      }
    };
    // FinalizeMiddleware is the SDK's finalizeRequest middleware type, narrowed to what is used.
    client.middlewareStack.addRelativeTo(pacing as unknown as MiddlewareOf<ImagebuilderClient>, {
      relation: "before",
      toMiddleware: "httpSigningMiddleware",
      name: "waybillRateLimiter",
      override: true,
    });
    // The deserialize step runs once per HTTP attempt, inside the SDK's retry loop.
    client.middlewareStack.add(
      (next, context) => (args) => {
        const operation = context.commandName?.replace(/Command$/, "") as GatewayOperation | undefined;
        if (operation) requests[operation] = (requests[operation] ?? 0) + 1;
        return next(args);
      },
      { step: "deserialize", name: "waybillRequestCounter", override: true },
    );
  }

  /** Throttles seen per operation so far (resends included). */
  throttleCounts(): Partial<Record<GatewayOperation, number>> {
    return this.#pacer.throttleCounts(this.region);
  }

  /** A copy of the counts so far. */
  callCounts(): CallCounts {
    return { calls: { ...this.#calls }, requests: { ...this.#requests } };
  }

  /**
   * Every configuration summary in this region, all pages (tags included, as List returns them).
   * `onPage` is called with each page's summaries as it arrives, before the next page is asked for.
   * `signal` abandons the listing: the request in flight is aborted and no further page is asked for.
   */
  async listAll(
    onPage?: (summaries: DistributionConfigurationSummary[]) => void,
    signal?: AbortSignal,
  ): Promise<DistributionConfigurationSummary[]> {
    const summaries: DistributionConfigurationSummary[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.#call("ListDistributionConfigurations", undefined, (client) =>
        client.send(
          new ListDistributionConfigurationsCommand({ maxResults: pageSize, nextToken }),
          signal ? { abortSignal: signal } : {},
        ),
      );
      const listed = page.distributionConfigurationSummaryList ?? [];
      summaries.push(...listed);
      onPage?.(listed);
      nextToken = page.nextToken;
    } while (nextToken);
    return summaries;
  }

  /** One configuration in full. `name` only improves the error message. */
  async get(arn: string, name?: string): Promise<DistributionConfiguration> {
    const output = await this.#call("GetDistributionConfiguration", name ?? nameInArn(arn), (client) =>
      client.send(new GetDistributionConfigurationCommand({ distributionConfigurationArn: arn })),
    );
    if (!output.distributionConfiguration) {
      throw new GatewayError({
        operation: "GetDistributionConfiguration",
        region: this.region,
        configurationName: name ?? nameInArn(arn),
        type: "EmptyResponse",
        serviceMessage: "the response held no distribution configuration",
      });
    }
    return output.distributionConfiguration;
  }

  /** Creates a configuration; returns its ARN. */
  async create(input: CreateDistributionConfigurationCommandInput): Promise<string> {
    const output = await this.#call("CreateDistributionConfiguration", input.name, (client) =>
      client.send(new CreateDistributionConfigurationCommand(input)),
    );
    if (!output.distributionConfigurationArn) {
      throw new GatewayError({
        operation: "CreateDistributionConfiguration",
        region: this.region,
        configurationName: input.name,
        type: "EmptyResponse",
        serviceMessage: "the response held no ARN",
      });
    }
    return output.distributionConfigurationArn;
  }

  /** Replaces a configuration's description and distributions (the API takes the list whole). */
  async update(input: UpdateDistributionConfigurationCommandInput, name?: string): Promise<void> {
    await this.#call(
      "UpdateDistributionConfiguration",
      name ?? nameInArn(input.distributionConfigurationArn ?? ""),
      (client) => client.send(new UpdateDistributionConfigurationCommand(input)),
    );
  }

  /** Adds or overwrites tags. */
  async tag(arn: string, tags: Record<string, string>, name?: string): Promise<void> {
    await this.#call("TagResource", name ?? nameInArn(arn), (client) =>
      client.send(new TagResourceCommand({ resourceArn: arn, tags })),
    );
  }

  /** Removes tags by key. */
  async untag(arn: string, tagKeys: string[], name?: string): Promise<void> {
    await this.#call("UntagResource", name ?? nameInArn(arn), (client) =>
      client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys })),
    );
  }

  /** Deletes a configuration. */
  async delete(arn: string, name?: string): Promise<void> {
    await this.#call("DeleteDistributionConfiguration", name ?? nameInArn(arn), (client) =>
      client.send(new DeleteDistributionConfigurationCommand({ distributionConfigurationArn: arn })),
    );
  }

  /** Every image pipeline of this region, all pages (no filter: one paged call covers every configuration). */
  async listImagePipelines(): Promise<ImagePipeline[]> {
    const pipelines: ImagePipeline[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.#call("ListImagePipelines", undefined, (client) =>
        client.send(new ListImagePipelinesCommand({ maxResults: pageSize, nextToken })),
      );
      pipelines.push(...(page.imagePipelineList ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return pipelines;
  }

  /** Every image a pipeline built, all pages. `name` (the pipeline's) only improves the error message. */
  async listImagePipelineImages(pipelineArn: string, name?: string): Promise<ImageSummary[]> {
    return this.#pages("ListImagePipelineImages", name, (nextToken) =>
      this.#client.send(
        new ListImagePipelineImagesCommand({
          imagePipelineArn: pipelineArn,
          maxResults: pageSize,
          nextToken,
        }),
      ),
    );
  }

  /** Every build version of one image version (`…/image/<name>/<x.y.z>`), all pages. */
  async listImageBuildVersions(imageVersionArn: string, name?: string): Promise<ImageSummary[]> {
    return this.#pages("ListImageBuildVersions", name, (nextToken) =>
      this.#client.send(
        new ListImageBuildVersionsCommand({ imageVersionArn, maxResults: pageSize, nextToken }),
      ),
    );
  }

  /** One image build version in full (its state and `outputResources`). */
  async getImage(arn: string, name?: string): Promise<Image> {
    const output = await this.#call("GetImage", name, (client) =>
      client.send(new GetImageCommand({ imageBuildVersionArn: arn })),
    );
    if (!output.image) {
      throw new GatewayError({
        operation: "GetImage",
        region: this.region,
        configurationName: name,
        type: "EmptyResponse",
        serviceMessage: "the response held no image",
      });
    }
    return output.image;
  }

  /** Starts distributing an existing image with a configuration; returns the new build version's ARN. */
  async distributeImage(input: DistributeImageCommandInput, name?: string): Promise<string> {
    const output = await this.#call("DistributeImage", name, (client) =>
      client.send(new DistributeImageCommand(input)),
    );
    if (!output.imageBuildVersionArn) {
      throw new GatewayError({
        operation: "DistributeImage",
        region: this.region,
        configurationName: name,
        type: "EmptyResponse",
        serviceMessage: "the response held no image build version ARN",
      });
    }
    return output.imageBuildVersionArn;
  }

  /**
   * Creates an image pipeline; returns its ARN. Waybill manages no pipeline: only the demo (and
   * tests) make one, to show what a build and a rollout do.
   */
  async createImagePipeline(input: CreateImagePipelineCommandInput): Promise<string> {
    const output = await this.#call("CreateImagePipeline", input.name, (client) =>
      client.send(new CreateImagePipelineCommand(input)),
    );
    return output.imagePipelineArn ?? "";
  }

  /** Starts a build of a pipeline; returns the new image build version's ARN. */
  async startImagePipelineExecution(
    pipelineArn: string,
    clientToken: string,
    name?: string,
  ): Promise<string> {
    const output = await this.#call("StartImagePipelineExecution", name, (client) =>
      client.send(new StartImagePipelineExecutionCommand({ imagePipelineArn: pipelineArn, clientToken })),
    );
    return output.imageBuildVersionArn ?? "";
  }

  async #pages(
    operation: "ListImagePipelineImages" | "ListImageBuildVersions",
    name: string | undefined,
    send: (
      nextToken: string | undefined,
    ) => Promise<{ imageSummaryList?: ImageSummary[]; nextToken?: string }>,
  ): Promise<ImageSummary[]> {
    const summaries: ImageSummary[] = [];
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const page = await this.#call(operation, name, () => send(token));
      summaries.push(...(page.imageSummaryList ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return summaries;
  }

  async #call<T>(
    operation: GatewayOperation,
    configurationName: string | undefined,
    send: (client: ImagebuilderClient) => Promise<T>,
  ): Promise<T> {
    this.#calls[operation] = (this.#calls[operation] ?? 0) + 1;
    try {
      return await send(this.#client);
    } catch (error) {
      throw toGatewayError(error, operation, this.region, configurationName);
    }
  }
}

function toGatewayError(
  error: unknown,
  operation: GatewayOperation,
  region: string,
  configurationName: string | undefined,
): GatewayError {
  const fields = (typeof error === "object" && error !== null ? error : {}) as {
    name?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const type = typeof fields.name === "string" && fields.name !== "" ? fields.name : "UnknownError";
  const serviceMessage =
    typeof fields.message === "string" && fields.message !== "" ? fields.message : String(error);
  return new GatewayError({
    operation,
    region,
    configurationName,
    type,
    serviceMessage,
    httpStatusCode: fields.$metadata?.httpStatusCode,
    cause: error,
  });
}
