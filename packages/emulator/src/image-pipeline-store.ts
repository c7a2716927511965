// Image pipelines and images, in memory and without I/O: pipelines as stored, builds and distributions
// simulated, their status computed from timestamps when read (so no timers run).
import { randomBytes } from "node:crypto";
import type { PipelineOperationName } from "./api-model.js";
import type { ClientTokenLedger } from "./client-tokens.js";
import { invalidPageToken, pageOf, passesFilters, readFilters } from "./listing.js";
import { isKnownTimezone, nextRun, parseScheduleExpression } from "./schedule.js";
import { inScope, type Scope, scopeKey, scopeOfArn } from "./scope.js";
import {
  dryRunSucceeded,
  invalidParameterValue,
  resourceNotFound,
  type ServiceError,
  serviceError,
} from "./service-error.js";
import type { StoredDistributionConfiguration } from "./stored-configuration.js";

/** An image pipeline as the emulator keeps it (recipe and infrastructure ARNs taken as given). */
export interface StoredImagePipeline {
  arn: string;
  name: string;
  description?: string;
  imageRecipeArn?: string;
  containerRecipeArn?: string;
  infrastructureConfigurationArn: string;
  distributionConfigurationArn?: string;
  executionRole?: string;
  schedule?: Record<string, unknown>;
  status: "ENABLED" | "DISABLED";
  enhancedImageMetadataEnabled: boolean;
  imageTestsConfiguration: Record<string, unknown>;
  imageScanningConfiguration?: Record<string, unknown>;
  imageTags?: Record<string, string>;
  loggingConfiguration?: Record<string, unknown>;
  workflows?: unknown[];
  tags: Record<string, string>;
  platform: string;
  dateCreated: string;
  dateUpdated?: string;
  dateLastRun?: string;
}

/** One AMI an image put in a region and account. */
export interface StoredAmi {
  region: string;
  accountId: string;
  image: string;
  name: string;
  description?: string;
}

/** An image build version: a pipeline build or a `DistributeImage`. */
export interface StoredImage {
  arn: string;
  /** Orders images by creation, for listing. */
  sequence: number;
  name: string;
  version: string;
  type: "AMI" | "DOCKER";
  platform: string;
  buildType: "USER_INITIATED";
  sourcePipelineArn?: string;
  sourcePipelineName?: string;
  imageRecipeArn?: string;
  containerRecipeArn?: string;
  infrastructureConfigurationArn?: string;
  executionRole?: string;
  tags: Record<string, string>;
  dateCreated: string;
  /** Milliseconds each phase lasts; the status follows from `dateCreated` and this. */
  phaseMs: number;
  phases: ("BUILDING" | "DISTRIBUTING")[];
  /** Set when an injected fault fails the distribution: the image ends FAILED with this reason. */
  failureReason?: string;
  /** The distribution configuration as it was when the image started (absent: none). */
  distributionConfiguration?: StoredDistributionConfiguration;
  /** The AMIs it ends with when AVAILABLE (none when FAILED). */
  amis: StoredAmi[];
}

type Outcome =
  | { ok: true; output: Record<string, unknown>; changed: boolean }
  | { ok: false; error: ServiceError };

type Input = Record<string, unknown>;

export interface ImagePipelineStoreOptions {
  now: () => Date;
  newRequestId: () => string;
  clientTokens: ClientTokenLedger;
  /** A distribution configuration of this account and region, or undefined. */
  configuration: (scope: Scope, arn: string) => StoredDistributionConfiguration | undefined;
  /** Milliseconds each phase of a build or distribution lasts (read when one starts). */
  phaseMs: () => number;
  /** Whether an injected fault fails the distribution starting now (asked once per image). */
  failDistribution: () => boolean;
  /** Makes an AMI id; default `ami-` and 17 random hex digits. */
  newAmiId?: () => string;
}

const PAGE_SIZE = 25;

/** The ARN the service derives from a pipeline name: lowercased, spaces and underscores to hyphens. */
export function imagePipelineArn(scope: Scope, name: string): string {
  const resource = name.toLowerCase().replaceAll(/[ _]/g, "-");
  return `arn:aws:imagebuilder:${scope.region}:${scope.accountId}:image-pipeline/${resource}`;
}

/** Recipe name and semantic version from a recipe ARN (`.../image-recipe/<name>/<x.y.z>`). */
function recipeOf(arn: string): { name: string; version: string } | undefined {
  const match = /:(?:image|container)-recipe\/([a-z0-9-_]+)\/(\d+\.\d+\.\d+)$/.exec(arn);
  if (match === null) return undefined;
  return { name: match[1] as string, version: match[2] as string };
}

/** Every place a configuration puts an AMI: each distribution's region, in the owner's account and each target account. */
export function amiTargets(
  configuration: StoredDistributionConfiguration,
  ownerAccountId: string,
): { region: string; accountId: string; distribution: Record<string, unknown> }[] {
  const targets: { region: string; accountId: string; distribution: Record<string, unknown> }[] = [];
  for (const distribution of configuration.distributions) {
    const ami = distribution.amiDistributionConfiguration as { targetAccountIds?: string[] } | undefined;
    const accounts = new Set([ownerAccountId, ...(ami?.targetAccountIds ?? [])]);
    for (const accountId of accounts) targets.push({ region: distribution.region, accountId, distribution });
  }
  return targets;
}

// `{{imagebuilder:buildDate}}` renders as the ISO-8601 UTC date with ':' turned into '-'.
function renderAmiName(template: string, date: string, build: number): string {
  return template
    .replaceAll(/\{\{\s*imagebuilder:buildDate\s*\}\}/g, date.replaceAll(":", "-"))
    .replaceAll(/\{\{\s*imagebuilder:buildVersion\s*\}\}/g, String(build));
}

function randomAmiId(): string {
  return `ami-${randomBytes(9).toString("hex").slice(0, 17)}`;
}

const versionNodes = (version: string) => version.split(/[./]/).map(Number);

function compareVersions(a: string, b: string): number {
  const left = versionNodes(a);
  const right = versionNodes(b);
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

function copyDefined(target: Record<string, unknown>, source: Input, members: readonly string[]): void {
  for (const member of members)
    if (source[member] !== undefined) target[member] = structuredClone(source[member]);
}

// Members Create and Update both set (Update replaces the pipeline's settings whole, as the API says).
const settingMembers = [
  "description",
  "imageRecipeArn",
  "containerRecipeArn",
  "infrastructureConfigurationArn",
  "distributionConfigurationArn",
  "executionRole",
  "schedule",
  "imageScanningConfiguration",
  "imageTags",
  "loggingConfiguration",
  "workflows",
] as const;

/**
 * Image pipelines and the images they (and `DistributeImage`) make, per account and region. The store
 * that owns it validates requests against the model first and keeps the distribution configurations.
 */
export class ImagePipelineStore {
  private readonly pipelines = new Map<string, StoredImagePipeline>();
  private readonly images = new Map<string, StoredImage>();
  private nextSequence = 1;
  private readonly newAmiId: () => string;

  constructor(private readonly options: ImagePipelineStoreOptions) {
    this.newAmiId = options.newAmiId ?? randomAmiId;
  }

  execute(operation: PipelineOperationName, scope: Scope, input: Input): Outcome {
    switch (operation) {
      case "CreateImagePipeline":
        return this.createPipeline(scope, input);
      case "UpdateImagePipeline":
        return this.updatePipeline(scope, input);
      case "GetImagePipeline":
        return this.getPipeline(scope, input);
      case "ListImagePipelines":
        return this.listPipelines(scope, input);
      case "DeleteImagePipeline":
        return this.deletePipeline(scope, input);
      case "StartImagePipelineExecution":
        return this.startExecution(scope, input);
      case "ListImagePipelineImages":
        return this.listPipelineImages(scope, input);
      case "GetImage":
        return this.getImage(scope, input);
      case "ListImageBuildVersions":
        return this.listBuildVersions(scope, input);
      case "DistributeImage":
        return this.distributeImage(scope, input);
    }
  }

  /** The pipelines of this account and region whose distribution configuration is `arn`. */
  pipelinesUsing(arn: string): StoredImagePipeline[] {
    return [...this.pipelines.values()].filter((pipeline) => pipeline.distributionConfigurationArn === arn);
  }

  /** A pipeline or image of this account and region (for tagging), or undefined. */
  taggable(scope: Scope, arn: string): { tags: Record<string, string> } | undefined {
    const found = this.pipelines.get(arn) ?? this.images.get(arn);
    return found !== undefined && inScope(scope, found.arn) ? found : undefined;
  }

  toState(): { pipelines: StoredImagePipeline[]; images: StoredImage[] } {
    return { pipelines: [...this.pipelines.values()], images: [...this.images.values()] };
  }

  load(pipelines: readonly StoredImagePipeline[], images: readonly StoredImage[]): void {
    for (const pipeline of structuredClone(pipelines)) this.pipelines.set(pipeline.arn, pipeline);
    for (const image of structuredClone(images)) {
      this.images.set(image.arn, image);
      this.nextSequence = Math.max(this.nextSequence, image.sequence + 1);
    }
  }

  reset(): void {
    this.pipelines.clear();
    this.images.clear();
    this.nextSequence = 1;
  }

  // A new request, or the answer to a replayed or mismatched `clientToken`.
  private checkToken(
    operation: PipelineOperationName,
    scope: Scope,
    input: Input,
  ): { key: string; fingerprint: string } | Outcome {
    const check = this.options.clientTokens.check(operation, scopeKey(scope), input);
    if (check.kind === "mismatch") return { ok: false, error: check.error };
    if (check.kind === "replay") return { ok: true, output: check.output, changed: false };
    return check;
  }

  // The answer to a new request that changed state, remembered under its client token.
  private answerNew(token: { key: string; fingerprint: string }, output: Record<string, unknown>): Outcome {
    this.options.clientTokens.remember(token, output);
    return { ok: true, output, changed: true };
  }

  private pipelineIn(scope: Scope, arn: string): StoredImagePipeline | undefined {
    const pipeline = this.pipelines.get(arn);
    return pipeline !== undefined && inScope(scope, arn) ? pipeline : undefined;
  }

  // The rules Create and Update share, on top of the model's: one recipe, an exact recipe version, a
  // distribution configuration that exists here, a schedule that parses, workflows with a role.
  private checkSettings(scope: Scope, input: Input): ServiceError | undefined {
    const recipes = [input.imageRecipeArn, input.containerRecipeArn].filter((arn) => arn !== undefined);
    if (recipes.length !== 1) {
      return serviceError(
        "InvalidRequestException",
        "You must specify exactly one recipe for the image pipeline: imageRecipeArn or containerRecipeArn.",
      );
    }
    const recipeMember = input.imageRecipeArn !== undefined ? "imageRecipeArn" : "containerRecipeArn";
    if (recipeOf(recipes[0] as string) === undefined) {
      return invalidParameterValue(recipeMember, "A pipeline's recipe must name an exact version (no 'x').");
    }
    const configurationArn = input.distributionConfigurationArn as string | undefined;
    if (configurationArn !== undefined && this.options.configuration(scope, configurationArn) === undefined) {
      return resourceNotFound(configurationArn);
    }
    const schedule = input.schedule as { scheduleExpression?: string; timezone?: string } | undefined;
    if (schedule?.scheduleExpression !== undefined) {
      const parsed = parseScheduleExpression(schedule.scheduleExpression);
      if (!parsed.ok) return invalidParameterValue("schedule.scheduleExpression", parsed.reason);
    }
    if (schedule?.timezone !== undefined && !isKnownTimezone(schedule.timezone)) {
      return invalidParameterValue("schedule.timezone", `'${schedule.timezone}' is not an IANA time zone.`);
    }
    if (input.workflows !== undefined && input.executionRole === undefined) {
      return serviceError(
        "InvalidRequestException",
        "An executionRole is required when workflows are given.",
      );
    }
    return undefined;
  }

  private applySettings(pipeline: StoredImagePipeline, input: Input): void {
    for (const member of settingMembers) delete (pipeline as unknown as Input)[member];
    copyDefined(pipeline as unknown as Input, input, settingMembers);
    pipeline.status = (input.status as "ENABLED" | "DISABLED" | undefined) ?? "ENABLED";
    pipeline.enhancedImageMetadataEnabled =
      (input.enhancedImageMetadataEnabled as boolean | undefined) ?? true;
    // Without test settings the service stores tests enabled (the model's documentation).
    pipeline.imageTestsConfiguration = structuredClone(
      (input.imageTestsConfiguration as Record<string, unknown> | undefined) ?? {
        imageTestsEnabled: true,
        timeoutMinutes: 720,
      },
    );
  }

  private createPipeline(scope: Scope, input: Input): Outcome {
    const name = input.name as string;
    const arn = imagePipelineArn(scope, name);
    const invalid = this.checkSettings(scope, input);
    if (invalid !== undefined) return { ok: false, error: invalid };
    const exists = () => ({
      ok: false as const,
      error: serviceError("ResourceAlreadyExistsException", `The resource '${arn}' already exists.`),
    });
    if (input.dryRun === true) {
      return this.pipelines.has(arn) ? exists() : { ok: false, error: dryRunSucceeded() };
    }
    const token = this.checkToken("CreateImagePipeline", scope, input);
    if ("ok" in token) return token;
    if (this.pipelines.has(arn)) return exists();
    const pipeline: StoredImagePipeline = {
      arn,
      name,
      infrastructureConfigurationArn: input.infrastructureConfigurationArn as string,
      status: "ENABLED",
      enhancedImageMetadataEnabled: true,
      imageTestsConfiguration: {},
      tags: structuredClone((input.tags as Record<string, string> | undefined) ?? {}),
      // The recipe's platform is not known (recipes are taken as given): Linux, the common case.
      platform: "Linux",
      dateCreated: this.options.now().toISOString(),
    };
    this.applySettings(pipeline, input);
    this.pipelines.set(arn, pipeline);
    const output = {
      requestId: this.options.newRequestId(),
      clientToken: input.clientToken,
      imagePipelineArn: arn,
    };
    return this.answerNew(token, output);
  }

  private updatePipeline(scope: Scope, input: Input): Outcome {
    const invalid = this.checkSettings(scope, input);
    if (invalid !== undefined) return { ok: false, error: invalid };
    const token = this.checkToken("UpdateImagePipeline", scope, input);
    if ("ok" in token) return token;
    const arn = input.imagePipelineArn as string;
    const pipeline = this.pipelineIn(scope, arn);
    if (pipeline === undefined) return { ok: false, error: resourceNotFound(arn) };
    this.applySettings(pipeline, input);
    pipeline.dateUpdated = this.options.now().toISOString();
    const output = {
      requestId: this.options.newRequestId(),
      clientToken: input.clientToken,
      imagePipelineArn: arn,
    };
    return this.answerNew(token, output);
  }

  /** A pipeline as the API shows it: with its next run and the status of its latest image. */
  private pipelineOutput(pipeline: StoredImagePipeline, nowMs: number): Record<string, unknown> {
    const output = structuredClone(pipeline) as unknown as Record<string, unknown>;
    const schedule = pipeline.schedule as { scheduleExpression?: string; timezone?: string } | undefined;
    if (pipeline.status === "ENABLED" && schedule?.scheduleExpression !== undefined) {
      const parsed = parseScheduleExpression(schedule.scheduleExpression);
      const anchor = Date.parse(pipeline.dateUpdated ?? pipeline.dateCreated);
      const next = parsed.ok
        ? nextRun(parsed.expression, schedule.timezone ?? "UTC", nowMs, anchor)
        : undefined;
      if (next !== undefined) output.dateNextRun = new Date(next).toISOString();
    }
    let latest: StoredImage | undefined;
    for (const image of this.images.values()) {
      if (
        image.sourcePipelineArn === pipeline.arn &&
        (latest === undefined || image.sequence > latest.sequence)
      ) {
        latest = image;
      }
    }
    if (latest !== undefined) output.lastRunStatus = stateAt(latest, nowMs).status;
    return output;
  }

  private getPipeline(scope: Scope, input: Input): Outcome {
    const arn = input.imagePipelineArn as string;
    const pipeline = this.pipelineIn(scope, arn);
    if (pipeline === undefined) return { ok: false, error: resourceNotFound(arn) };
    return {
      ok: true,
      output: {
        requestId: this.options.newRequestId(),
        imagePipeline: this.pipelineOutput(pipeline, this.options.now().getTime()),
      },
      changed: false,
    };
  }

  private listPipelines(scope: Scope, input: Input): Outcome {
    const filters = readFilters(input.filters as never, [
      "description",
      "distributionConfigurationArn",
      "imageRecipeArn",
      "infrastructureConfigurationArn",
      "name",
      "status",
    ]);
    if (!filters.ok) return filters;
    const pipelines = [...this.pipelines.values()]
      .filter((pipeline) => inScope(scope, pipeline.arn))
      .sort((a, b) => (a.arn < b.arn ? -1 : 1));
    return this.answerPage(
      scope,
      input,
      pipelines,
      (pipeline) => pipeline.arn,
      (pipeline) =>
        passesFilters(filters.filters, (name) => (pipeline as unknown as Record<string, string>)[name]),
      "imagePipelineList",
      (pipeline, nowMs) => this.pipelineOutput(pipeline, nowMs),
    );
  }

  // A pipeline can be deleted while its builds run; its images stay (the model's documentation).
  private deletePipeline(scope: Scope, input: Input): Outcome {
    const arn = input.imagePipelineArn as string;
    if (this.pipelineIn(scope, arn) === undefined) return { ok: false, error: resourceNotFound(arn) };
    this.pipelines.delete(arn);
    return {
      ok: true,
      output: { requestId: this.options.newRequestId(), imagePipelineArn: arn },
      changed: true,
    };
  }

  private nextBuild(scope: Scope, name: string, version: string): number {
    let highest = 0;
    const prefix = `arn:aws:imagebuilder:${scope.region}:${scope.accountId}:image/${name}/${version}/`;
    for (const arn of this.images.keys()) {
      if (arn.startsWith(prefix)) highest = Math.max(highest, Number(arn.slice(prefix.length)));
    }
    return highest + 1;
  }

  /** A new image build version: its ARN, AMIs (decided now, shown once AVAILABLE) and fault. */
  private newImage(
    scope: Scope,
    recipe: { name: string; version: string },
    configuration: StoredDistributionConfiguration | undefined,
    fields: Omit<
      StoredImage,
      | "arn"
      | "sequence"
      | "name"
      | "version"
      | "dateCreated"
      | "phaseMs"
      | "amis"
      | "distributionConfiguration"
    >,
  ): StoredImage {
    const build = this.nextBuild(scope, recipe.name, recipe.version);
    const dateCreated = this.options.now().toISOString();
    const amis: StoredAmi[] = [];
    if (fields.type === "AMI") {
      // Without a distribution configuration the AMI stays where it was built.
      const targets =
        configuration === undefined
          ? [
              {
                region: scope.region,
                accountId: scope.accountId,
                distribution: {} as Record<string, unknown>,
              },
            ]
          : amiTargets(configuration, scope.accountId);
      for (const target of targets) {
        const settings = target.distribution.amiDistributionConfiguration as
          | { name?: string; description?: string }
          | undefined;
        const template = settings?.name ?? `${recipe.name} {{imagebuilder:buildDate}}`;
        const ami: StoredAmi = {
          region: target.region,
          accountId: target.accountId,
          image: this.newAmiId(),
          name: renderAmiName(template, dateCreated, build),
        };
        if (settings?.description !== undefined) ami.description = settings.description;
        amis.push(ami);
      }
    }
    const image: StoredImage = {
      arn: `arn:aws:imagebuilder:${scope.region}:${scope.accountId}:image/${recipe.name}/${recipe.version}/${build}`,
      sequence: this.nextSequence++,
      name: recipe.name,
      version: `${recipe.version}/${build}`,
      dateCreated,
      phaseMs: Math.max(0, this.options.phaseMs()),
      amis,
      ...fields,
    };
    if (configuration !== undefined) image.distributionConfiguration = structuredClone(configuration);
    if (this.options.failDistribution()) {
      const first = amis[0];
      image.failureReason =
        first === undefined
          ? "Distribution failed (injected fault)."
          : `Distribution failed: the AMI copy to ${first.region} in account ${first.accountId} reported failure (injected fault).`;
    }
    this.images.set(image.arn, image);
    return image;
  }

  private startExecution(scope: Scope, input: Input): Outcome {
    const token = this.checkToken("StartImagePipelineExecution", scope, input);
    if ("ok" in token) return token;
    const arn = input.imagePipelineArn as string;
    const pipeline = this.pipelineIn(scope, arn);
    if (pipeline === undefined) return { ok: false, error: resourceNotFound(arn) };
    const recipeArn = (pipeline.imageRecipeArn ?? pipeline.containerRecipeArn) as string;
    const recipe = recipeOf(recipeArn) as { name: string; version: string };
    const configuration =
      pipeline.distributionConfigurationArn === undefined
        ? undefined
        : this.options.configuration(scope, pipeline.distributionConfigurationArn);
    const image = this.newImage(scope, recipe, configuration, {
      type: pipeline.imageRecipeArn !== undefined ? "AMI" : "DOCKER",
      platform: pipeline.platform,
      buildType: "USER_INITIATED",
      sourcePipelineArn: pipeline.arn,
      sourcePipelineName: pipeline.name,
      ...(pipeline.imageRecipeArn !== undefined ? { imageRecipeArn: pipeline.imageRecipeArn } : {}),
      ...(pipeline.containerRecipeArn !== undefined
        ? { containerRecipeArn: pipeline.containerRecipeArn }
        : {}),
      infrastructureConfigurationArn: pipeline.infrastructureConfigurationArn,
      // Manual builds take the request's tags, not the pipeline's imageTags (the model's documentation).
      tags: structuredClone((input.tags as Record<string, string> | undefined) ?? {}),
      phases: ["BUILDING", "DISTRIBUTING"],
    });
    pipeline.dateLastRun = image.dateCreated;
    const output = {
      requestId: this.options.newRequestId(),
      clientToken: input.clientToken,
      imageBuildVersionArn: image.arn,
    };
    return this.answerNew(token, output);
  }

  private listPipelineImages(scope: Scope, input: Input): Outcome {
    const arn = input.imagePipelineArn as string;
    if (this.pipelineIn(scope, arn) === undefined) return { ok: false, error: resourceNotFound(arn) };
    return this.listImages(scope, input, ["name", "version"], (image) => image.sourcePipelineArn === arn);
  }

  private listBuildVersions(scope: Scope, input: Input): Outcome {
    const versionArn = input.imageVersionArn as string | undefined;
    return this.listImages(
      scope,
      input,
      ["name", "osVersion", "platform", "type", "version"],
      (image) => versionArn === undefined || image.arn.startsWith(`${versionArn}/`),
    );
  }

  // Images oldest first (by creation), at most 25 a page.
  private listImages(
    scope: Scope,
    input: Input,
    supported: readonly string[],
    belongs: (image: StoredImage) => boolean,
  ): Outcome {
    const filters = readFilters(input.filters as never, supported);
    if (!filters.ok) return filters;
    const images = [...this.images.values()]
      .filter((image) => inScope(scope, image.arn) && belongs(image))
      .sort((a, b) => a.sequence - b.sequence);
    return this.answerPage(
      scope,
      input,
      images,
      (image) => String(image.sequence).padStart(12, "0"),
      (image) =>
        passesFilters(filters.filters, (name) => {
          if (name === "version") return [image.version, image.version.split("/")[0] as string];
          return (image as unknown as Record<string, string | undefined>)[name];
        }),
      "imageSummaryList",
      imageSummary,
    );
  }

  // One page of a List answer: `items` sorted by `keyOf`, rendered under `listMember`.
  private answerPage<T>(
    scope: Scope,
    input: Input,
    items: readonly T[],
    keyOf: (item: T) => string,
    accept: (item: T) => boolean,
    listMember: string,
    render: (item: T, nowMs: number) => Record<string, unknown>,
  ): Outcome {
    const page = pageOf(items, keyOf, accept, {
      scope: scopeKey(scope),
      maxResults: (input.maxResults as number | undefined) ?? PAGE_SIZE,
      nextToken: input.nextToken as string | undefined,
    });
    if (page === undefined) return { ok: false, error: invalidPageToken };
    const nowMs = this.options.now().getTime();
    const output: Record<string, unknown> = {
      requestId: this.options.newRequestId(),
      [listMember]: page.page.map((item) => render(item, nowMs)),
    };
    if (page.nextToken !== undefined) output.nextToken = page.nextToken;
    return { ok: true, output, changed: false };
  }

  /**
   * The image an ARN names: a build version exactly; a version (`1.0.0`) or wildcard (`1.x.x`, `x.x.x`)
   * the latest matching build that is AVAILABLE (the model's documentation of GetImage).
   */
  private resolveImage(scope: Scope, arn: string, nowMs: number): StoredImage | undefined {
    if (/\/\d+\.\d+\.\d+\/\d+$/.test(arn)) {
      const image = this.images.get(arn);
      return image !== undefined && inScope(scope, arn) ? image : undefined;
    }
    const match = /:image\/([a-z0-9-_]+)\/([0-9x]+)\.([0-9x]+)\.([0-9x]+)$/.exec(arn);
    if (match === null || !inScope(scope, arn)) return undefined;
    const wanted = match.slice(2, 5);
    let best: StoredImage | undefined;
    for (const image of this.images.values()) {
      if (!inScope(scope, image.arn) || image.name !== match[1]) continue;
      const nodes = (image.version.split("/")[0] as string).split(".");
      if (!wanted.every((node, index) => node === "x" || node === nodes[index])) continue;
      if (stateAt(image, nowMs).status !== "AVAILABLE") continue;
      if (best === undefined || compareVersions(image.version, best.version) > 0) best = image;
    }
    return best;
  }

  private getImage(scope: Scope, input: Input): Outcome {
    const arn = input.imageBuildVersionArn as string;
    const nowMs = this.options.now().getTime();
    const image = this.resolveImage(scope, arn, nowMs);
    if (image === undefined) return { ok: false, error: resourceNotFound(arn) };
    return {
      ok: true,
      output: { requestId: this.options.newRequestId(), image: imageOutput(image, nowMs) },
      changed: false,
    };
  }

  // The source image: an image ARN (a version resolves to its latest AVAILABLE build) or an AMI id of
  // an image here; `ssm:` references are not followed.
  private sourceImage(scope: Scope, source: string, nowMs: number): StoredImage | ServiceError {
    if (source.startsWith("arn:")) {
      const scopeOfSource = scopeOfArn(source);
      if (scopeOfSource !== undefined && scopeOfSource.region !== scope.region) {
        return serviceError(
          "InvalidRequestException",
          `The source image '${source}' must resolve to an AMI in the current Region (${scope.region}).`,
        );
      }
      return this.resolveImage(scope, source, nowMs) ?? resourceNotFound(source);
    }
    if (/^ami-[0-9a-f]+$/.test(source)) {
      for (const image of this.images.values()) {
        if (!inScope(scope, image.arn) || stateAt(image, nowMs).status !== "AVAILABLE") continue;
        const here = image.amis.some(
          (ami) => ami.image === source && ami.region === scope.region && ami.accountId === scope.accountId,
        );
        if (here) return image;
      }
      return resourceNotFound(source);
    }
    return serviceError(
      "InvalidRequestException",
      `The source image '${source}' is not supported here: give an image ARN or an AMI id (the emulator does not read SSM parameters).`,
    );
  }

  private distributeImage(scope: Scope, input: Input): Outcome {
    const token = this.checkToken("DistributeImage", scope, input);
    if ("ok" in token) return token;
    const nowMs = this.options.now().getTime();
    const source = this.sourceImage(scope, input.sourceImage as string, nowMs);
    if (!("arn" in source)) return { ok: false, error: source };
    if (stateAt(source, nowMs).status !== "AVAILABLE") {
      return {
        ok: false,
        error: serviceError(
          "InvalidRequestException",
          `The source image '${source.arn}' is not AVAILABLE: only an available image can be distributed.`,
        ),
      };
    }
    const configurationArn = input.distributionConfigurationArn as string;
    const configurationScope = scopeOfArn(configurationArn);
    if (configurationScope?.region !== scope.region) {
      return {
        ok: false,
        error: serviceError(
          "InvalidRequestException",
          `The distribution configuration '${configurationArn}' must be in the same Region as this operation (${scope.region}).`,
        ),
      };
    }
    const configuration = this.options.configuration(scope, configurationArn);
    if (configuration === undefined) return { ok: false, error: resourceNotFound(configurationArn) };
    const [version = ""] = source.version.split("/");
    const image = this.newImage(scope, { name: source.name, version }, configuration, {
      type: "AMI",
      platform: source.platform,
      buildType: "USER_INITIATED",
      ...(source.imageRecipeArn !== undefined ? { imageRecipeArn: source.imageRecipeArn } : {}),
      executionRole: input.executionRole as string,
      tags: structuredClone((input.tags as Record<string, string> | undefined) ?? {}),
      phases: ["DISTRIBUTING"],
    });
    const output = { clientToken: input.clientToken, imageBuildVersionArn: image.arn };
    return this.answerNew(token, output);
  }
}

/** An image's state at `nowMs`: each phase lasts `phaseMs`, then AVAILABLE, or FAILED under a fault. */
export function stateAt(image: StoredImage, nowMs: number): { status: string; reason?: string } {
  const elapsed = nowMs - Date.parse(image.dateCreated);
  if (image.phaseMs > 0 && elapsed < image.phaseMs * image.phases.length) {
    return { status: image.phases[Math.max(0, Math.floor(elapsed / image.phaseMs))] as string };
  }
  if (image.failureReason !== undefined) return { status: "FAILED", reason: image.failureReason };
  return { status: "AVAILABLE" };
}

function outputResources(image: StoredImage, state: { status: string }): Record<string, unknown> {
  if (state.status !== "AVAILABLE") return { amis: [] };
  return {
    amis: image.amis.map((ami) => ({ ...ami, state: { status: "AVAILABLE" } })),
  };
}

// What a summary and the whole image share.
function imageFields(image: StoredImage, nowMs: number): Record<string, unknown> {
  const state = stateAt(image, nowMs);
  return {
    arn: image.arn,
    name: image.name,
    type: image.type,
    version: image.version,
    platform: image.platform,
    state,
    outputResources: outputResources(image, state),
    dateCreated: image.dateCreated,
    tags: structuredClone(image.tags),
    buildType: image.buildType,
    imageSource: "CUSTOM",
  };
}

function imageSummary(image: StoredImage, nowMs: number): Record<string, unknown> {
  return { ...imageFields(image, nowMs), owner: scopeOfArn(image.arn)?.accountId };
}

function imageOutput(image: StoredImage, nowMs: number): Record<string, unknown> {
  const output = { ...imageFields(image, nowMs), enhancedImageMetadataEnabled: true };
  const [version] = image.version.split("/");
  const more: Record<string, unknown> = {};
  if (image.imageRecipeArn !== undefined) {
    more.imageRecipe = { arn: image.imageRecipeArn, name: image.name, version };
  }
  if (image.containerRecipeArn !== undefined) {
    more.containerRecipe = { arn: image.containerRecipeArn, name: image.name, version };
  }
  if (image.infrastructureConfigurationArn !== undefined) {
    more.infrastructureConfiguration = { arn: image.infrastructureConfigurationArn };
  }
  if (image.distributionConfiguration !== undefined) {
    more.distributionConfiguration = structuredClone(image.distributionConfiguration);
  }
  if (image.sourcePipelineArn !== undefined) more.sourcePipelineArn = image.sourcePipelineArn;
  if (image.sourcePipelineName !== undefined) more.sourcePipelineName = image.sourcePipelineName;
  if (image.executionRole !== undefined) more.executionRole = image.executionRole;
  return { ...output, ...more };
}
