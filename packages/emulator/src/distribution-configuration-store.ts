// The emulated service's state and behaviour, in memory and without I/O: one call per API operation.
import { randomUUID } from "node:crypto";
import type { OperationName } from "./api-model.js";
import { checkDistributionRules, type Distribution } from "./distribution-rules.js";
import { invalidParameterValue, type ServiceError, serviceError } from "./service-error.js";
import { validateShape } from "./shape-validation.js";

/** Where a request acts: the account (from its access key) and region (from its credential scope). */
export interface Scope {
  accountId: string;
  region: string;
}

/** A distribution configuration as the emulator keeps it. */
export interface StoredDistributionConfiguration {
  arn: string;
  name: string;
  description?: string;
  distributions: Distribution[];
  tags: Record<string, string>;
  timeoutMinutes: number;
  dateCreated: string;
  dateUpdated?: string;
}

/** A remembered `clientToken`: what the first request looked like and what it was answered. */
export interface ClientTokenRecord {
  key: string;
  fingerprint: string;
  response: Record<string, unknown>;
}

/** Everything the store holds, as plain JSON (the state file's content). */
export interface StoreState {
  version: 1;
  configurations: StoredDistributionConfiguration[];
  clientTokens: ClientTokenRecord[];
  inUse: string[];
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

function scopeKey(scope: Scope): string {
  return `${scope.accountId}:${scope.region}`;
}

/** The account and region an Image Builder ARN names, or undefined when it is not one. */
export function scopeOfArn(arn: string): Scope | undefined {
  const match = /^arn:[^:]+:imagebuilder:([^:]+):([^:]+):/.exec(arn);
  if (match === null) return undefined;
  return { region: match[1] as string, accountId: match[2] as string };
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

// The service echoes an empty `targetAccountIds` for an AMI distribution that names none.
function withServiceEchoes(distributions: Distribution[]): Distribution[] {
  return distributions.map((distribution) => {
    const ami = distribution.amiDistributionConfiguration as Record<string, unknown> | undefined;
    if (ami === undefined || ami.targetAccountIds !== undefined) return distribution;
    return { ...distribution, amiDistributionConfiguration: { ...ami, targetAccountIds: [] } };
  });
}

function notFound(arn: string): ServiceError {
  return serviceError("ResourceNotFoundException", `The resource '${arn}' does not exist.`);
}

interface PageToken {
  v: 1;
  scope: string;
  after: string;
}

function encodePageToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token)).toString("base64url");
}

function decodePageToken(text: string, scope: string): PageToken | undefined {
  try {
    const token = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as Partial<PageToken>;
    if (token.v !== 1 || token.scope !== scope || typeof token.after !== "string") return undefined;
    return token as PageToken;
  } catch {
    return undefined;
  }
}

type Input = Record<string, unknown>;

/**
 * The emulated EC2 Image Builder distribution configurations and tags, per account and region.
 * Pure and synchronous: the HTTP layer parses requests, calls {@link execute}, and persists
 * {@link toState} when an outcome says state changed.
 */
export class DistributionConfigurationStore {
  private readonly now: () => Date;
  private readonly newRequestId: () => string;
  private readonly scopes = new Map<string, Map<string, StoredDistributionConfiguration>>();
  private readonly sortedArns = new Map<string, string[]>();
  private readonly clientTokens = new Map<string, ClientTokenRecord>();
  private readonly inUse = new Set<string>();

  constructor(options: StoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.newRequestId = options.newRequestId ?? randomUUID;
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
    }
  }

  /** Marks a configuration as used (or no longer used) by an image pipeline: Delete then fails. */
  markInUse(arn: string, inUse = true): void {
    if (inUse) this.inUse.add(arn);
    else this.inUse.delete(arn);
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
      version: 1,
      configurations,
      clientTokens: [...this.clientTokens.values()],
      inUse: [...this.inUse],
    };
    return JSON.stringify(state);
  }

  /** Forgets every configuration, client token and in-use mark. */
  reset(): void {
    this.scopes.clear();
    this.sortedArns.clear();
    this.clientTokens.clear();
    this.inUse.clear();
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
    for (const record of state.clientTokens) this.clientTokens.set(record.key, structuredClone(record));
    for (const arn of state.inUse) this.inUse.add(arn);
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
    const { clientToken, ...request } = input;
    const key = `${scopeKey(scope)}|${operation}|${String(clientToken)}`;
    const fingerprint = canonicalJson(request);
    const record = this.clientTokens.get(key);
    if (record === undefined) return { key, fingerprint };
    if (record.fingerprint !== fingerprint) {
      const error = serviceError(
        "IdempotentParameterMismatchException",
        `The client token '${String(clientToken)}' was already used for a request with different parameters.`,
      );
      return { key, fingerprint, outcome: { ok: false, error } };
    }
    return {
      key,
      fingerprint,
      outcome: { ok: true, output: structuredClone(record.response), changed: false },
    };
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
      return {
        ok: false,
        error: serviceError(
          "DryRunOperationException",
          "The dry run operation of the resource was successful, and no resources or mutations were actually performed due to the dry run flag in the request.",
        ),
      };
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
    this.clientTokens.set(idempotency.key, {
      key: idempotency.key,
      fingerprint: idempotency.fingerprint,
      response: structuredClone(output),
    });
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
    const filters = (input.filters as { name?: string; values?: string[] }[] | undefined) ?? [];
    const names: Set<string>[] = [];
    for (const [index, filter] of filters.entries()) {
      if (filter.name !== "name") {
        return {
          ok: false,
          error: invalidParameterValue(
            `filters[${index}].name`,
            `The filter '${filter.name ?? ""}' is not supported. Supported filters: name.`,
          ),
        };
      }
      if (filter.values === undefined) {
        return {
          ok: false,
          error: invalidParameterValue(`filters[${index}].values`, "Filter values are required."),
        };
      }
      names.push(new Set(filter.values));
    }
    const maxResults = (input.maxResults as number | undefined) ?? PAGE_SIZE;
    const key = scopeKey(scope);
    const arns = this.sortedArnsIn(scope);
    let start = 0;
    if (input.nextToken !== undefined) {
      const token = decodePageToken(input.nextToken as string, key);
      if (token === undefined) {
        return {
          ok: false,
          error: serviceError(
            "InvalidPaginationTokenException",
            "The pagination token provided is not valid.",
          ),
        };
      }
      start = upperBound(arns, token.after);
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
      output.nextToken = encodePageToken({ v: 1, scope: key, after: lastArn });
    }
    return { ok: true, output, changed: false };
  }

  private delete(scope: Scope, input: Input): OperationOutcome {
    const arn = input.distributionConfigurationArn as string;
    const configurations = this.scopes.get(scopeKey(scope));
    if (configurations?.get(arn) === undefined) return { ok: false, error: notFound(arn) };
    if (this.inUse.has(arn)) {
      return {
        ok: false,
        error: serviceError(
          "ResourceDependencyException",
          `The resource '${arn}' cannot be deleted because it is used by one or more image pipelines.`,
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

  private taggable(scope: Scope, arn: string): StoredDistributionConfiguration | undefined {
    return this.find(scope, arn);
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

// The index of the first element greater than `value` in a sorted array.
function upperBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as string) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}
