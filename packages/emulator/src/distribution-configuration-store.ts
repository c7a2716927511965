// The emulated service's state and behaviour, in memory and without I/O: one call per API operation.
// Distribution configurations and tags live here; image pipelines and images in ImagePipelineStore,
// which this store owns and routes their operations to.
import { randomUUID } from "node:crypto";
import { type OperationName, type PipelineOperationName, pipelineOperationNames } from "./api-model.js";
import { ClientTokenLedger, type ClientTokenRecord } from "./client-tokens.js";
import { checkDistributionRules, type Distribution } from "./distribution-rules.js";
import { ImagePipelineStore, type StoredImage, type StoredImagePipeline } from "./image-pipeline-store.js";
import { decodePageToken, encodePageToken, invalidPageToken, readFilters, upperBound } from "./listing.js";
import { type Scope, scopeKey, scopeOfArn } from "./scope.js";
import {
  dryRunSucceeded,
  invalidParameterValue,
  resourceNotFound,
  type ServiceError,
  serviceError,
} from "./service-error.js";
import { validateShape } from "./shape-validation.js";
import type { StoredDistributionConfiguration } from "./stored-configuration.js";

export type { ClientTokenRecord } from "./client-tokens.js";
export { type Scope, scopeOfArn } from "./scope.js";

/** Everything the store holds, as plain JSON (the state file's content). */
export interface StoreState {
  /** 2 since pipelines and images (a version 1 file is read as one with none). */
  version: 2;
  configurations: StoredDistributionConfiguration[];
  clientTokens: ClientTokenRecord[];
  pipelines: StoredImagePipeline[];
  images: StoredImage[];
}

/** The answer to one operation: its output, and whether state changed (so it must be persisted). */
export type OperationOutcome =
  | { ok: true; output: Record<string, unknown>; changed: boolean }
  | { ok: false; error: ServiceError };

export interface StoreOptions {
  /** The clock for `dateCreated` and `dateUpdated`. */
  now?: () => Date;
  /** Makes the `requestId` of each answer. */
  newRequestId?: () => string;
  /** State to start from (for example, read from a state file). */
  state?: StoreState;
  /** Milliseconds each phase of a simulated build or distribution lasts; default 0 (at once). */
  phaseMs?: () => number;
  /** Whether an injected fault fails the distribution starting now; default never. */
  failDistribution?: () => boolean;
  /** Makes an AMI id; default `ami-` and 17 random hex digits. */
  newAmiId?: () => string;
}

/** Every configuration the service reports has this timeout (the API's maximum; seen in every example). */
export const DEFAULT_TIMEOUT_MINUTES = 720;
const PAGE_SIZE = 25;
const MAX_TAGS = 50;

/** The ARN the service derives from a name: lowercased, spaces turned into hyphens. */
export function distributionConfigurationArn(scope: Scope, name: string): string {
  const resource = name.toLowerCase().replaceAll(" ", "-");
  return `arn:aws:imagebuilder:${scope.region}:${scope.accountId}:distribution-configuration/${resource}`;
}

// The service echoes an empty `targetAccountIds` for an AMI distribution that names none.
function withServiceEchoes(distributions: Distribution[]): Distribution[] {
  return distributions.map((distribution) => {
    const ami = distribution.amiDistributionConfiguration as Record<string, unknown> | undefined;
    if (ami === undefined || ami.targetAccountIds !== undefined) return distribution;
    return { ...distribution, amiDistributionConfiguration: { ...ami, targetAccountIds: [] } };
  });
}

const notFound = resourceNotFound;

const pipelineOperations: ReadonlySet<string> = new Set(pipelineOperationNames);

type Input = Record<string, unknown>;

/**
 * The emulated EC2 Image Builder, per account and region: distribution configurations and tags here,
 * image pipelines and images in the {@link ImagePipelineStore} it owns (which reads the configurations,
 * and whose pipelines keep a configuration from being deleted). Pure and synchronous: the HTTP layer parses requests, calls {@link execute}, and persists
 * {@link toState} when an outcome says state changed.
 */
export class DistributionConfigurationStore {
  private readonly now: () => Date;
  private readonly newRequestId: () => string;
  private readonly scopes = new Map<string, Map<string, StoredDistributionConfiguration>>();
  private readonly sortedArns = new Map<string, string[]>();
  private readonly clientTokens = new ClientTokenLedger();
  private readonly pipelines: ImagePipelineStore;

  constructor(options: StoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.newRequestId = options.newRequestId ?? randomUUID;
    this.pipelines = new ImagePipelineStore({
      now: this.now,
      newRequestId: this.newRequestId,
      clientTokens: this.clientTokens,
      configuration: (scope, arn) => this.find(scope, arn),
      phaseMs: options.phaseMs ?? (() => 0),
      failDistribution: options.failDistribution ?? (() => false),
      ...(options.newAmiId !== undefined ? { newAmiId: options.newAmiId } : {}),
    });
    if (options.state !== undefined) this.load(options.state);
  }

  /** Validates `input` against the operation's model shape and performs the operation. */
  execute(operation: OperationName, scope: Scope, input: unknown): OperationOutcome {
    const tagging =
      operation === "TagResource" || operation === "UntagResource" || operation === "ListTagsForResource";
    const validation = validateShape(
      `${operation}Request`,
      input ?? {},
      tagging ? "InvalidParameterException" : "InvalidParameterValueException",
    );
    if (!validation.ok) return validation;
    const valid = validation.value as Input;
    if (pipelineOperations.has(operation)) {
      return this.pipelines.execute(operation as PipelineOperationName, scope, valid);
    }
    switch (operation) {
      case "CreateDistributionConfiguration":
        return this.create(scope, valid);
      case "UpdateDistributionConfiguration":
        return this.update(scope, valid);
      case "GetDistributionConfiguration":
        return this.get(scope, valid);
      case "ListDistributionConfigurations":
        return this.list(scope, valid);
      case "DeleteDistributionConfiguration":
        return this.delete(scope, valid);
      case "TagResource":
        return this.tagResource(scope, valid);
      case "UntagResource":
        return this.untagResource(scope, valid);
      case "ListTagsForResource":
        return this.listTagsForResource(scope, valid);
      default:
        throw new Error(`no handler for ${operation}`);
    }
  }

  /** A deep copy of everything held, as plain JSON. */
  toState(): StoreState {
    return JSON.parse(this.toStateJson()) as StoreState;
  }

  /** Everything held, serialised as the state file's JSON (no intermediate copy). */
  toStateJson(): string {
    const configurations: StoredDistributionConfiguration[] = [];
    for (const scope of this.scopes.values())
      for (const configuration of scope.values()) configurations.push(configuration);
    const state: StoreState = {
      version: 2,
      configurations,
      clientTokens: this.clientTokens.list(),
      ...this.pipelines.toState(),
    };
    return JSON.stringify(state);
  }

  /** Forgets every configuration, pipeline, image and client token. */
  reset(): void {
    this.scopes.clear();
    this.sortedArns.clear();
    this.clientTokens.clear();
    this.pipelines.reset();
  }

  /** Forgets everything and holds `state` instead (as the state file was when last written). */
  replaceState(state: StoreState): void {
    this.reset();
    this.load(state);
  }

  private load(state: StoreState): void {
    for (const configuration of structuredClone(state.configurations)) {
      const scope = scopeOfArn(configuration.arn);
      if (scope === undefined) continue;
      this.configurationsIn(scope).set(configuration.arn, configuration);
    }
    this.clientTokens.load(state.clientTokens);
    this.pipelines.load(state.pipelines, state.images);
  }

  private configurationsIn(scope: Scope): Map<string, StoredDistributionConfiguration> {
    const key = scopeKey(scope);
    let configurations = this.scopes.get(key);
    if (configurations === undefined) {
      configurations = new Map();
      this.scopes.set(key, configurations);
    }
    return configurations;
  }

  private find(scope: Scope, arn: string): StoredDistributionConfiguration | undefined {
    return this.scopes.get(scopeKey(scope))?.get(arn);
  }

  // Same token and same request: the first answer again. Same token, other request: a mismatch.
  private replay(
    operation: OperationName,
    scope: Scope,
    input: Input,
  ): { key: string; fingerprint: string; outcome?: OperationOutcome } {
    const check = this.clientTokens.check(operation, scopeKey(scope), input);
    switch (check.kind) {
      case "new":
        return check;
      case "mismatch":
        return { key: "", fingerprint: "", outcome: { ok: false, error: check.error } };
      case "replay":
        return { key: "", fingerprint: "", outcome: { ok: true, output: check.output, changed: false } };
    }
  }

  private create(scope: Scope, input: Input): OperationOutcome {
    const distributions = input.distributions as Distribution[];
    const ruleViolation = checkDistributionRules(distributions);
    if (ruleViolation !== undefined) return { ok: false, error: ruleViolation };
    const name = input.name as string;
    const arn = distributionConfigurationArn(scope, name);
    const configurations = this.configurationsIn(scope);
    const exists = () => ({
      ok: false as const,
      error: serviceError("ResourceAlreadyExistsException", `The resource '${arn}' already exists.`),
    });
    // A dry run validates and stops: the error the real request would get, else
    // DryRunOperationException (412); nothing is created and the client token is not remembered
    // (user guide, "Validate Image Builder resource creation with a dry run"; the model's dryRun).
    if (input.dryRun === true) {
      if (configurations.has(arn)) return exists();
      return { ok: false, error: dryRunSucceeded() };
    }
    const idempotency = this.replay("CreateDistributionConfiguration", scope, input);
    if (idempotency.outcome !== undefined) return idempotency.outcome;
    if (configurations.has(arn)) return exists();
    const configuration: StoredDistributionConfiguration = {
      arn,
      name,
      distributions: withServiceEchoes(distributions),
      tags: (input.tags as Record<string, string> | undefined) ?? {},
      timeoutMinutes: DEFAULT_TIMEOUT_MINUTES,
      dateCreated: this.now().toISOString(),
    };
    if (input.description !== undefined) configuration.description = input.description as string;
    configurations.set(arn, configuration);
    this.sortedArns.delete(scopeKey(scope));

    return this.answerAndRemember(idempotency, input, arn);
  }

  private update(scope: Scope, input: Input): OperationOutcome {
    const distributions = input.distributions as Distribution[];
    const ruleViolation = checkDistributionRules(distributions);
    if (ruleViolation !== undefined) return { ok: false, error: ruleViolation };
    const idempotency = this.replay("UpdateDistributionConfiguration", scope, input);
    if (idempotency.outcome !== undefined) return idempotency.outcome;

    const arn = input.distributionConfigurationArn as string;
    const configuration = this.find(scope, arn);
    if (configuration === undefined) return { ok: false, error: notFound(arn) };
    // Update replaces the description and the whole distributions list; name and tags stay.
    configuration.distributions = withServiceEchoes(distributions);
    if (input.description === undefined) delete configuration.description;
    else configuration.description = input.description as string;
    configuration.dateUpdated = this.now().toISOString();

    return this.answerAndRemember(idempotency, input, arn);
  }

  /** The answer to a Create or Update, remembered under its client token for replays. */
  private answerAndRemember(
    idempotency: { key: string; fingerprint: string },
    input: Input,
    arn: string,
  ): OperationOutcome {
    const output = {
      requestId: this.newRequestId(),
      clientToken: input.clientToken,
      distributionConfigurationArn: arn,
    };
    this.clientTokens.remember(idempotency, output);
    return { ok: true, output, changed: true };
  }

  private get(scope: Scope, input: Input): OperationOutcome {
    const arn = input.distributionConfigurationArn as string;
    const configuration = this.find(scope, arn);
    if (configuration === undefined) return { ok: false, error: notFound(arn) };
    return {
      ok: true,
      output: { requestId: this.newRequestId(), distributionConfiguration: structuredClone(configuration) },
      changed: false,
    };
  }

  private sortedArnsIn(scope: Scope): string[] {
    const key = scopeKey(scope);
    let arns = this.sortedArns.get(key);
    if (arns === undefined) {
      arns = [...(this.scopes.get(key)?.keys() ?? [])].sort();
      this.sortedArns.set(key, arns);
    }
    return arns;
  }

  private list(scope: Scope, input: Input): OperationOutcome {
    const filters = readFilters(input.filters as never, ["name"]);
    if (!filters.ok) return filters;
    const names = filters.filters.map((filter) => filter.values);
    const maxResults = (input.maxResults as number | undefined) ?? PAGE_SIZE;
    const key = scopeKey(scope);
    const arns = this.sortedArnsIn(scope);
    let start = 0;
    if (input.nextToken !== undefined) {
      const after = decodePageToken(input.nextToken as string, key);
      if (after === undefined) return { ok: false, error: invalidPageToken };
      start = upperBound(arns, after);
    }
    const configurations = this.scopes.get(key);
    const page: Record<string, unknown>[] = [];
    let index = start;
    let lastArn: string | undefined;
    for (; index < arns.length && page.length < maxResults; index++) {
      const arn = arns[index] as string;
      const configuration = configurations?.get(arn);
      lastArn = arn;
      if (configuration === undefined) continue;
      if (!names.every((accepted) => accepted.has(configuration.name))) continue;
      page.push(summaryOf(configuration));
    }
    const output: Record<string, unknown> = {
      requestId: this.newRequestId(),
      distributionConfigurationSummaryList: page,
    };
    if (index < arns.length && lastArn !== undefined) {
      output.nextToken = encodePageToken(key, lastArn);
    }
    return { ok: true, output, changed: false };
  }

  private delete(scope: Scope, input: Input): OperationOutcome {
    const arn = input.distributionConfigurationArn as string;
    const configurations = this.scopes.get(scopeKey(scope));
    if (configurations?.get(arn) === undefined) return { ok: false, error: notFound(arn) };
    // The service refuses to delete a configuration that an image pipeline uses (RESEARCH.md: seen
    // for recipes and infrastructure configurations in Terraform and Pulumi issues, same wording).
    const users = this.pipelines.pipelinesUsing(arn);
    if (users.length > 0) {
      return {
        ok: false,
        error: serviceError(
          "ResourceDependencyException",
          `Resource dependency error: The resource ARN '${arn}' has other resources depended on it: ${users
            .map((pipeline) => pipeline.arn)
            .join(", ")}.`,
        ),
      };
    }
    configurations.delete(arn);
    this.sortedArns.delete(scopeKey(scope));
    return {
      ok: true,
      output: { requestId: this.newRequestId(), distributionConfigurationArn: arn },
      changed: true,
    };
  }

  private taggable(scope: Scope, arn: string): { tags: Record<string, string> } | undefined {
    return this.find(scope, arn) ?? this.pipelines.taggable(scope, arn);
  }

  private tagResource(scope: Scope, input: Input): OperationOutcome {
    const arn = input.resourceArn as string;
    const configuration = this.taggable(scope, arn);
    if (configuration === undefined) return { ok: false, error: notFound(arn) };
    const tags = { ...configuration.tags, ...(input.tags as Record<string, string>) };
    if (Object.keys(tags).length > MAX_TAGS) {
      return {
        ok: false,
        error: invalidParameterValue(
          "tags",
          `A resource can have at most ${MAX_TAGS} tags.`,
          "InvalidParameterException",
        ),
      };
    }
    configuration.tags = tags;
    return { ok: true, output: {}, changed: true };
  }

  private untagResource(scope: Scope, input: Input): OperationOutcome {
    const arn = input.resourceArn as string;
    const configuration = this.taggable(scope, arn);
    if (configuration === undefined) return { ok: false, error: notFound(arn) };
    const tags = { ...configuration.tags };
    for (const key of input.tagKeys as string[]) delete tags[key];
    configuration.tags = tags;
    return { ok: true, output: {}, changed: true };
  }

  private listTagsForResource(scope: Scope, input: Input): OperationOutcome {
    const arn = input.resourceArn as string;
    const configuration = this.taggable(scope, arn);
    if (configuration === undefined) return { ok: false, error: notFound(arn) };
    return { ok: true, output: { tags: { ...configuration.tags } }, changed: false };
  }
}

function summaryOf(configuration: StoredDistributionConfiguration): Record<string, unknown> {
  const summary: Record<string, unknown> = {
    arn: configuration.arn,
    name: configuration.name,
    dateCreated: configuration.dateCreated,
    tags: { ...configuration.tags },
    regions: configuration.distributions.map((distribution) => distribution.region),
  };
  if (configuration.description !== undefined) summary.description = configuration.description;
  if (configuration.dateUpdated !== undefined) summary.dateUpdated = configuration.dateUpdated;
  return summary;
}
