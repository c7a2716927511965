/** The plan engine's public contract: its inputs, the plan, its changes and field diffs. */
import type { Distribution } from "../schema.js";
import type { JsonValue } from "./canonical-json.js";

/** Tag naming the stack (one repository's set of configurations) that manages a configuration. */
export const MANAGED_BY_TAG = "waybill:managed-by";
/** Tag naming the repository-relative file a managed configuration came from. */
export const SOURCE_TAG = "waybill:source";
/**
 * Tag a replace puts on the configuration it creates: the ARN of the configuration it replaces.
 * When that delete fails (a pipeline still uses the old ARN), the next plan finds the old half by
 * it and deletes it without prune. Plans never add or remove it through TagResource/UntagResource.
 */
export const REPLACES_TAG = "waybill:replaces";
/** Version of the plan's shape; `renderPlanJson` writes it and `parsePlanJson` checks it. */
export const PLAN_VERSION = 1;

/** A configuration as the repository wants it: a validated document plus where it came from. */
export interface DesiredConfiguration {
  /** The configuration's name (ResourceName). Identity, with account and home region. */
  name: string;
  /** The resolved home region: where the configuration lives (not where AMIs go). */
  region: string;
  /** The account, when known; lets the plan derive ARNs for new configurations. */
  accountId?: string;
  description?: string;
  distributions: Distribution[];
  /** The user's own tags; the plan adds `waybill:managed-by` and `waybill:source`. */
  tags?: Record<string, string>;
  /** Repository-relative path of the file, written to the `waybill:source` tag. */
  source: string;
  /**
   * What the file was written as: `update` for an AWS CLI update request
   * (`--cli-input-json` with `distributionConfigurationArn`), which never creates.
   */
  kind?: "create" | "update";
  /** The ARN an update request names; when present, the live configuration is found by it. */
  arn?: string;
}

/** A configuration as the service has it: `GetDistributionConfiguration`'s answer, tags included. */
export interface LiveConfiguration {
  arn: string;
  name: string;
  /** The home region the configuration was read from. */
  region: string;
  accountId: string;
  description?: string;
  distributions: Distribution[];
  tags: Record<string, string>;
  /** Echoed by the service (30–720); Waybill never sets it, so plans ignore it. */
  timeoutMinutes?: number;
  dateCreated?: string;
  dateUpdated?: string;
}

export interface PlanOptions {
  /** The stack this repository manages: the value of `waybill:managed-by` on what it owns. */
  stack: string;
  /**
   * Execute deletes of managed configurations whose file is gone (otherwise only reported). The
   * delete that finishes an earlier replace (`DeleteChange.replacedBy`) is executed regardless.
   */
  prune?: boolean;
  /** Take over unmanaged configurations that have a desired configuration's name. */
  adopt?: boolean;
  /** The build date used for AMI name previews; without it, the plan carries no previews. */
  now?: Date;
  /**
   * The plan's identity ({@link Plan.id}). Callers that apply pass a random UUID, so no two plans
   * share one. Without it `plan()` stays pure and deterministic and uses the fingerprint, which
   * is unique only per live state.
   */
  id?: string;
}

/** What a change does. `conflict` is never executed: it reports a configuration Waybill will not touch. */
export type ChangeAction =
  | "create"
  | "update"
  | "tag"
  | "replace"
  | "delete"
  | "adopt"
  | "no-op"
  | "conflict";

/** Every action, in the order plans sort and renderers list them. */
export const CHANGE_ACTIONS: readonly ChangeAction[] = [
  "create",
  "replace",
  "adopt",
  "update",
  "tag",
  "delete",
  "conflict",
  "no-op",
];

/**
 * One difference between live and desired state, addressed by a path in which distributions are
 * keyed by region (`distributions[eu-west-1].amiDistributionConfiguration.launchPermission.userIds`)
 * and keyed lists by their key (`launchTemplateConfigurations[111111111111]`).
 *
 * - `added`: absent live, present desired (`after`).
 * - `removed`: present live (`before`), absent desired.
 * - `changed`: a value that differs (`before`, `after`).
 * - `set`: a list the API treats as a set gained `added` and/or lost `removed` members.
 */
export interface FieldDiff {
  path: string;
  kind: "added" | "removed" | "changed" | "set";
  before?: JsonValue;
  after?: JsonValue;
  added?: string[];
  removed?: string[];
}

/** Tag operations on one configuration: `TagResource` with `add`, `UntagResource` with `remove`. */
export interface TagChanges {
  add: Record<string, string>;
  remove: string[];
}

/**
 * What the adapter sends to Create (with `tags`) or Update (without: tags change only through
 * TagResource/UntagResource). `distributions` is the desired list, whole, as the API replaces it.
 */
export interface ConfigurationDocument {
  name: string;
  description?: string;
  distributions: Distribution[];
  /** Every tag the configuration should carry: the user's tags plus the two managed tags. */
  tags: Record<string, string>;
}

export type PlanWarningCode =
  | "replacement-breaks-pipelines"
  | "region-removed"
  | "delete-leaves-images"
  | "unmanaged-configuration"
  | "managed-by-other-stack"
  | "update-target-missing"
  | "duplicate-desired"
  | "name-spelling-differs";

export interface PlanWarning {
  code: PlanWarningCode;
  /** The configuration the warning is about, and its home region. */
  configuration: string;
  region: string;
  message: string;
}

/** An AMI name template and what it renders to with the plan's `now` and build version 1. */
export interface AmiNamePreview {
  /** Distribution region. */
  region: string;
  template: string;
  preview: string;
}

interface ChangeBase {
  name: string;
  /** Home region. */
  region: string;
  accountId?: string;
  /** The configuration's ARN: known from live state, or derived when the account is known. */
  arn?: string;
  /** The source file (desired side, or the live `waybill:source` tag). */
  source?: string;
  /** Semantic differences, live → desired (a create lists all it adds); empty for delete and no-op. */
  diffs: FieldDiff[];
  tags: TagChanges;
  warnings: PlanWarning[];
  amiNames: AmiNamePreview[];
}

/** CreateDistributionConfiguration with `document` (tags included). */
export interface CreateChange extends ChangeBase {
  action: "create";
  document: ConfigurationDocument;
}

/**
 * UpdateDistributionConfiguration(`arn`, `document.description`, `document.distributions`), then
 * TagResource(`tags.add`) if not empty and UntagResource(`tags.remove`) if not empty.
 */
export interface UpdateChange extends ChangeBase {
  action: "update";
  arn: string;
  document: ConfigurationDocument;
}

/** Only TagResource(`tags.add`) / UntagResource(`tags.remove`): the content is already as desired. */
export interface TagChange extends ChangeBase {
  action: "tag";
  arn: string;
}

/**
 * The source file's configuration got a new name (or home region): create `document` first, then
 * delete `replaces.arn`. Pipelines that use the old ARN break (see `warnings`).
 */
export interface ReplaceChange extends ChangeBase {
  action: "replace";
  document: ConfigurationDocument;
  replaces: { arn: string; name: string; region: string };
}

/**
 * DeleteDistributionConfiguration(`arn`) for a configuration this stack manages whose file is gone:
 * `executed` is false unless the plan was made with `prune` (then it is only reported). Or the old
 * half of an earlier replace whose delete failed (`replacedBy`: the configuration that replaced it,
 * from the same file): that delete finishes the replace and is executed without prune.
 */
export interface DeleteChange extends ChangeBase {
  action: "delete";
  arn: string;
  executed: boolean;
  /** The configuration that replaced this one; when present, the delete finishes that replace. */
  replacedBy?: { arn: string; name: string; region: string };
}

/**
 * Take over an unmanaged configuration of the same name (only with `adopt`): Update with `document`
 * when `contentChanged`, then TagResource(`tags.add`) (which includes the managed tags) and
 * UntagResource(`tags.remove`).
 */
export interface AdoptChange extends ChangeBase {
  action: "adopt";
  arn: string;
  document: ConfigurationDocument;
  contentChanged: boolean;
}

/** Nothing to do. */
export interface NoOpChange extends ChangeBase {
  action: "no-op";
  arn: string;
}

/**
 * Never executed: a configuration Waybill will not touch. `reason` says why; for `unmanaged`, the
 * diffs show what adopting it would change.
 */
export interface ConflictChange extends ChangeBase {
  action: "conflict";
  reason: "unmanaged" | "managed-by-other-stack" | "update-target-missing" | "duplicate-desired";
  /** For `managed-by-other-stack`: that stack. */
  owner?: string;
}

export type Change =
  | CreateChange
  | UpdateChange
  | TagChange
  | ReplaceChange
  | DeleteChange
  | AdoptChange
  | NoOpChange
  | ConflictChange;

/** The result of `plan()`: what to do, why, and against which live state. */
export interface Plan {
  version: typeof PLAN_VERSION;
  /**
   * Unique to this plan: `options.id`, else the fingerprint. The adapter derives client tokens
   * from it, so applying this plan again (a retry, a saved plan) reuses its tokens while another
   * plan, even one made from the same live state, never does.
   */
  id: string;
  stack: string;
  /** `sha256:<hex>` of the live state the plan considered (see `liveStateFingerprint`). */
  fingerprint: string;
  /** Sorted by home region, then name, then action. */
  changes: Change[];
  /** How many changes of each action (conflicts and unexecuted deletes included). */
  summary: Record<ChangeAction, number>;
  /** Every change's warnings, in change order. */
  warnings: PlanWarning[];
}
