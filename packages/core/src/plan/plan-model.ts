/**
 * The plan engine's public contract: its inputs, the plan, its changes and field diffs.
 *
 * The plan's shape is declared once, as zod schemas: the TypeScript types below are inferred from
 * them, and `parsePlanJson` reads a saved plan with the same schemas, so a field added to a change
 * cannot vanish between `plan --out` and `apply --plan`.
 */
import { z } from "zod";
import { type ImageFacts, planImagesSchema } from "../images/image-model.js";
import type { Policy } from "../policy.js";
import type { Distribution } from "../schema.js";
import type { JsonValue } from "./canonical-json.js";
import { sharingSummarySchema } from "./sharing.js";

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
/**
 * Tag apply puts on each configuration it wrote: the record of what it wrote and of the dates the
 * service gave it (see `appliedRecord`), so a later plan can trust List's summary instead of a Get.
 * Plans never add or remove it through TagResource/UntagResource.
 */
export const APPLIED_TAG = "waybill:applied";
/** Version of the plan's shape; `renderPlanJson` writes it and `parsePlanJson` checks it. */
export const PLAN_VERSION = 3;

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
  /** The account set each account came from, for those a set brought in: a plan names it (`+444… (set:org)`). */
  accountSetOf?: Readonly<Record<string, string>>;
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
  /**
   * What the run selected of live state (its home regions, files and wanted configurations), as
   * the caller words it. Mixed into the fingerprint, so a saved plan re-checked by a run of
   * another scope no longer matches, even when both see the same live configurations.
   */
  scope?: JsonValue;
  /** The repository's policy: the sharing summary flags new grants outside its allow-lists. */
  policy?: Policy;
  /**
   * The pipelines that use the configurations in scope, with their latest images; when given, the
   * plan carries `images` (its consequences for them). Not part of the fingerprint: they decide
   * no change.
   */
  images?: ImageFacts;
}

/**
 * What a change does, in the order plans sort and renderers list them. `conflict` is never
 * executed: it reports a configuration Waybill will not touch.
 */
const changeActionSchema = z.enum([
  "create",
  "replace",
  "adopt",
  "update",
  "tag",
  "delete",
  "conflict",
  "no-op",
]);
export type ChangeAction = z.infer<typeof changeActionSchema>;
/** Every action, in the order plans sort and renderers list them. */
export const CHANGE_ACTIONS: readonly ChangeAction[] = changeActionSchema.options;

const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValueSchema),
    z.record(z.string(), jsonValueSchema),
  ]),
);
// A distribution is checked by core's validation before it enters a plan; a saved plan only
// needs it to be one (the service checks it again on Create/Update).
const distributionSchema = z.custom<Distribution>(
  (value) =>
    typeof value === "object" && value !== null && typeof (value as { region?: unknown }).region === "string",
  "a distribution (an object with a region)",
);
const stringMapSchema = z.record(z.string(), z.string());

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
const fieldDiffSchema = z.object({
  path: z.string(),
  kind: z.enum(["added", "removed", "changed", "set"]),
  before: jsonValueSchema.optional(),
  after: jsonValueSchema.optional(),
  added: z.array(z.string()).optional(),
  removed: z.array(z.string()).optional(),
  /** For an account list: the account set (`set:<name>`) an added account came from. Version 3. */
  fromSets: z.record(z.string(), z.string()).optional(),
});
export type FieldDiff = z.infer<typeof fieldDiffSchema>;

/** Tag operations on one configuration: `TagResource` with `add`, `UntagResource` with `remove`. */
const tagChangesSchema = z.object({ add: stringMapSchema, remove: z.array(z.string()) });
export type TagChanges = z.infer<typeof tagChangesSchema>;

/**
 * What the adapter sends to Create (with `tags`) or Update (without: tags change only through
 * TagResource/UntagResource). `distributions` is the desired list, whole, as the API replaces it.
 */
const configurationDocumentSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  distributions: z.array(distributionSchema),
  /** Every tag the configuration should carry: the user's tags plus the two managed tags. */
  tags: stringMapSchema,
});
export type ConfigurationDocument = z.infer<typeof configurationDocumentSchema>;

const planWarningCodeSchema = z.enum([
  "replacement-breaks-pipelines",
  "region-removed",
  "delete-leaves-images",
  "unmanaged-configuration",
  "managed-by-other-stack",
  "update-target-missing",
  "duplicate-desired",
  "name-spelling-differs",
]);
export type PlanWarningCode = z.infer<typeof planWarningCodeSchema>;

const planWarningSchema = z.object({
  code: planWarningCodeSchema,
  /** The configuration the warning is about. */
  configuration: z.string(),
  /** The configuration's home region. */
  region: z.string(),
  message: z.string(),
});
export type PlanWarning = z.infer<typeof planWarningSchema>;

/** An AMI name template and what it renders to with the plan's `now` and build version 1. */
const amiNamePreviewSchema = z.object({
  /** Distribution region. */
  region: z.string(),
  template: z.string(),
  preview: z.string(),
});
export type AmiNamePreview = z.infer<typeof amiNamePreviewSchema>;

/** A configuration named by identity: its ARN, name and home region. */
const configurationRefSchema = z.object({ arn: z.string(), name: z.string(), region: z.string() });

/** What every change carries. */
const changeBase = {
  name: z.string(),
  /** Home region. */
  region: z.string(),
  accountId: z.string().optional(),
  /** The configuration's ARN: known from live state, or derived when the account is known. */
  arn: z.string().optional(),
  /** The source file (desired side, or the live `waybill:source` tag). */
  source: z.string().optional(),
  /** Semantic differences, live → desired (a create lists all it adds); empty for delete and no-op. */
  diffs: z.array(fieldDiffSchema),
  tags: tagChangesSchema,
  warnings: z.array(planWarningSchema),
  amiNames: z.array(amiNamePreviewSchema),
};

/** CreateDistributionConfiguration with `document` (tags included). */
const createChangeSchema = z.object({
  ...changeBase,
  action: z.literal("create"),
  document: configurationDocumentSchema,
});
/**
 * UpdateDistributionConfiguration(`arn`, `document.description`, `document.distributions`), then
 * TagResource(`tags.add`) if not empty and UntagResource(`tags.remove`) if not empty.
 */
const updateChangeSchema = z.object({
  ...changeBase,
  action: z.literal("update"),
  arn: z.string(),
  document: configurationDocumentSchema,
});
/** Only TagResource(`tags.add`) / UntagResource(`tags.remove`): the content is already as desired. */
const tagChangeSchema = z.object({ ...changeBase, action: z.literal("tag"), arn: z.string() });
/**
 * The source file's configuration got a new name (or home region): create `document` first, then
 * delete `replaces.arn`. Pipelines that use the old ARN break (see `warnings`).
 */
const replaceChangeSchema = z.object({
  ...changeBase,
  action: z.literal("replace"),
  document: configurationDocumentSchema,
  replaces: configurationRefSchema,
});
/**
 * DeleteDistributionConfiguration(`arn`) for a configuration this stack manages whose file is gone:
 * `executed` is false unless the plan was made with `prune` (then it is only reported). Or the old
 * half of an earlier replace whose delete failed (`replacedBy`: the configuration that replaced it,
 * from the same file): that delete finishes the replace and is executed without prune.
 */
const deleteChangeSchema = z.object({
  ...changeBase,
  action: z.literal("delete"),
  arn: z.string(),
  executed: z.boolean(),
  /** What the delete destroys: the live configuration as it is (tags included). */
  destroys: configurationDocumentSchema,
  /** The configuration that replaced this one; when present, the delete finishes that replace. */
  replacedBy: configurationRefSchema.optional(),
});
/**
 * Take over an unmanaged configuration of the same name (only with `adopt`): Update with `document`
 * when `contentChanged`, then TagResource(`tags.add`) (which includes the managed tags) and
 * UntagResource(`tags.remove`).
 */
const adoptChangeSchema = z.object({
  ...changeBase,
  action: z.literal("adopt"),
  arn: z.string(),
  document: configurationDocumentSchema,
  contentChanged: z.boolean(),
});
/** Nothing to do. */
const noOpChangeSchema = z.object({ ...changeBase, action: z.literal("no-op"), arn: z.string() });
/**
 * Never executed: a configuration Waybill will not touch. `reason` says why; for `unmanaged`, the
 * diffs show what adopting it would change.
 */
const conflictChangeSchema = z.object({
  ...changeBase,
  action: z.literal("conflict"),
  reason: z.enum(["unmanaged", "managed-by-other-stack", "update-target-missing", "duplicate-desired"]),
  /** For `managed-by-other-stack`: that stack. */
  owner: z.string().optional(),
});

const changeSchema = z.discriminatedUnion("action", [
  createChangeSchema,
  updateChangeSchema,
  tagChangeSchema,
  replaceChangeSchema,
  deleteChangeSchema,
  adoptChangeSchema,
  noOpChangeSchema,
  conflictChangeSchema,
]);
/** One change of a plan; `action` tells which (switch on it: the compiler checks every action is handled). */
export type Change = z.infer<typeof changeSchema>;
export type CreateChange = z.infer<typeof createChangeSchema>;
export type UpdateChange = z.infer<typeof updateChangeSchema>;
export type TagChange = z.infer<typeof tagChangeSchema>;
export type ReplaceChange = z.infer<typeof replaceChangeSchema>;
export type DeleteChange = z.infer<typeof deleteChangeSchema>;
export type AdoptChange = z.infer<typeof adoptChangeSchema>;
export type NoOpChange = z.infer<typeof noOpChangeSchema>;
export type ConflictChange = z.infer<typeof conflictChangeSchema>;

/**
 * Preflight's report (`PreflightReport` of preflight/render.ts), when the run preflighted: the
 * findings with their evidence, the account sets it resolved and what it cost. Checks and codes
 * are strings here: the plan's shape does not depend on preflight's lists of them.
 */
const planPreflightSchema = z.object({
  findings: z
    .array(
      z.object({
        check: z.string(),
        code: z.string(),
        severity: z.enum(["error", "warning"]),
        file: z.string(),
        line: z.number().int(),
        column: z.number().int(),
        path: z.string(),
        message: z.string(),
        hint: z.string().optional(),
        evidence: z.string(),
      }),
    )
    .readonly(),
  accountSets: z
    .array(
      z.object({
        name: z.string(),
        source: z.enum(["list", "organizational-unit"]),
        organizationalUnit: z.string().optional(),
        accounts: z.array(z.string()).readonly(),
      }),
    )
    .readonly(),
  factsGathered: z.number().int().nonnegative(),
  calls: z.number().int().nonnegative(),
});

/**
 * The result of `plan()`: what to do, why, and against which live state. Also the zod schema of
 * `renderPlanJson`'s output, which `parsePlanJson` reads back.
 */
export const planJsonSchema = z.object({
  version: z.literal(PLAN_VERSION),
  /**
   * Unique to this plan: `options.id`, else the fingerprint. The adapter derives client tokens
   * from it, so applying this plan again (a retry, a saved plan) reuses its tokens while another
   * plan, even one made from the same live state, never does.
   */
  id: z.string().min(1),
  stack: z.string(),
  /**
   * The settings that decided the plan beyond the files and live state: whether deletes run
   * (`prune`) and unmanaged configurations are taken over (`adopt`). A reviewed plan carries them,
   * so an apply made with other settings is seen to differ from it.
   */
  settings: z.object({ prune: z.boolean(), adopt: z.boolean() }),
  /** `sha256:<hex>` of the live state the plan considered (see `liveStateFingerprint`). */
  fingerprint: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  /** Sorted by home region, then name, then action. */
  changes: z.array(changeSchema),
  /** How many changes of each action (conflicts and unexecuted deletes included). */
  summary: z.object(
    Object.fromEntries(
      changeActionSchema.options.map((action) => [action, z.number().int().nonnegative()]),
    ) as {
      [action in ChangeAction]: z.ZodNumber;
    },
  ),
  /** Every change's warnings, in change order. */
  warnings: z.array(planWarningSchema),
  /** Who receives and may launch the images after apply, and how that changes (see `sharing.ts`). */
  sharing: sharingSummarySchema,
  /** What preflight found, when the run preflighted (the engine adds it; `plan()` never does). Version 3. */
  preflight: planPreflightSchema.optional(),
  /**
   * What merge does to image pipelines (version 3): each changed configuration a pipeline uses,
   * with its pipelines and the added targets their latest images are not in. Absent when the run
   * did not read pipelines (settings `images.read: false`, or no permission).
   */
  images: planImagesSchema.optional(),
});
export type Plan = z.infer<typeof planJsonSchema>;
