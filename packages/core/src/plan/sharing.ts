/**
 * The sharing and fan-out summary: who receives a copy of each configuration's images, who may
 * launch them, where they are exported and what is written in which account, before and after a
 * plan, and what changes between the two. Pure: it reads distributions, nothing else.
 */
import { z } from "zod";
import type { Policy, SharingApproval } from "../policy.js";
import type { Distribution } from "../schema.js";

/**
 * What one distribution grants, one fact at a time:
 *
 * - `copy`: an AMI copy in account `target` (`targetAccountIds`, else the owner's own account);
 * - `launch-account`, `launch-organization`, `launch-ou`, `launch-group`: `target` may launch the
 *   AMI (`launchPermission.userIds`, `organizationArns`, `organizationalUnitArns`, `userGroups`;
 *   the group `all` makes it public);
 * - `ssm-parameter`: the AMI id is written to parameter `target` in `account`;
 * - `launch-template`: a new version of launch template `target` in `account` uses the AMI;
 * - `fast-launch`: Windows fast launch is set up in account `target`;
 * - `s3-export`: the image is exported to `target` (`s3://bucket/prefix`);
 * - `container`: the container image is pushed to repository `target` (`ECR:name`).
 *
 * In the order summaries list them.
 */
const grantKindSchema = z.enum([
  "copy",
  "launch-account",
  "launch-organization",
  "launch-ou",
  "launch-group",
  "ssm-parameter",
  "launch-template",
  "fast-launch",
  "s3-export",
  "container",
]);
export type GrantKind = z.infer<typeof grantKindSchema>;
/** Every grant kind, in the order summaries list them. */
export const GRANT_KINDS: readonly GrantKind[] = grantKindSchema.options;

/** Kinds that let someone launch or own the image: adding one widens who may launch it. */
const WIDENING: ReadonlySet<GrantKind> = new Set([
  "copy",
  "launch-account",
  "launch-organization",
  "launch-ou",
  "launch-group",
]);

/** The account a grant stands for when the configuration's own account is not known. */
export const OWNER_ACCOUNT = "owner";

const grantSchema = z.object({
  /** For `ssm-parameter` and `launch-template`: the account it is written in. */
  account: z.string().optional(),
  /** The configuration's name. */
  configuration: z.string(),
  /** Its home region. */
  homeRegion: z.string(),
  kind: grantKindSchema,
  /** The distribution's region: where the copy, permission or output is. */
  region: z.string(),
  /** Who or where (see {@link GrantKind}). */
  target: z.string(),
});
export type Grant = z.infer<typeof grantSchema>;

/** A region a configuration starts or stops distributing to. */
const regionRefSchema = z.object({ configuration: z.string(), homeRegion: z.string(), region: z.string() });
export type RegionRef = z.infer<typeof regionRefSchema>;

/**
 * - `public`: anyone may launch the image (`userGroups: [all]`), whether new or not;
 * - `outside-allow-list`: a new grant names an account, organization or OU that the policy's
 *   allow-list for it does not contain.
 */
const sharingFlagSchema = z.object({
  code: z.enum(["public", "outside-allow-list"]),
  grant: grantSchema,
  message: z.string(),
});
export type SharingFlag = z.infer<typeof sharingFlagSchema>;

const copiesSchema = z.number().int().nonnegative();

/** The sharing of the configurations a plan considers, after apply, and how it changes. */
export const sharingSummarySchema = z.object({
  /** Every grant after apply, sorted by configuration, home region, region, kind and target. */
  grants: z.array(grantSchema),
  /** Grants the plan adds and removes. */
  added: z.array(grantSchema),
  removed: z.array(grantSchema),
  /** Distribution regions the plan adds to and removes from configurations that stay. */
  regionsAdded: z.array(regionRefSchema),
  regionsRemoved: z.array(regionRefSchema),
  /** AMI copies one build of every configuration makes, before and after apply. */
  copiesPerBuild: z.object({ before: copiesSchema, after: copiesSchema }),
  /**
   * The added grants that widen who may launch or own the images: a launch permission, or a copy
   * in an account other than the configuration's own. The policy's `sharingApproval` gates them.
   */
  widening: z.array(grantSchema),
  flags: z.array(sharingFlagSchema),
});
export type SharingSummary = z.infer<typeof sharingSummarySchema>;

/** One configuration's distributions before and after apply (absent: it does not exist then). */
export interface SharingPair {
  /** The name the configuration has after apply (a replace's new name), else before. */
  configuration: string;
  homeRegion: string;
  /** The owner account, when known: a copy without `targetAccountIds` stays there. */
  accountId?: string;
  before?: readonly Distribution[];
  after?: readonly Distribution[];
}

/** A configuration as far as sharing goes. */
export interface SharedConfiguration {
  name: string;
  /** Home region. */
  region: string;
  accountId?: string;
  distributions: readonly Distribution[];
}

/** Whether a distribution makes an AMI copy in its region (anything but a container-only output). */
function copiesAmi(distribution: Distribution): boolean {
  return (
    distribution.amiDistributionConfiguration !== undefined ||
    distribution.containerDistributionConfiguration === undefined
  );
}

/** The grants of one configuration's distributions, unsorted. */
function grantsOf(
  configuration: string,
  homeRegion: string,
  accountId: string | undefined,
  distributions: readonly Distribution[],
): Grant[] {
  const owner = accountId ?? OWNER_ACCOUNT;
  const grants: Grant[] = [];
  const seen = new Set<string>();
  const add = (region: string, kind: GrantKind, target: string, account?: string) => {
    const key = `${region}\n${kind}\n${target}\n${account ?? ""}`;
    if (seen.has(key)) return;
    seen.add(key);
    // Keys in canonical order, so hashing a plan copies little.
    grants.push({
      ...(account === undefined ? {} : { account }),
      configuration,
      homeRegion,
      kind,
      region,
      target,
    });
  };
  for (const distribution of distributions) {
    const { region } = distribution;
    const ami = distribution.amiDistributionConfiguration;
    if (copiesAmi(distribution)) {
      const targets = ami?.targetAccountIds ?? [];
      if (targets.length === 0) add(region, "copy", owner);
      for (const target of targets) add(region, "copy", target);
    }
    const permission = ami?.launchPermission;
    for (const account of permission?.userIds ?? []) add(region, "launch-account", account);
    for (const arn of permission?.organizationArns ?? []) add(region, "launch-organization", arn);
    for (const arn of permission?.organizationalUnitArns ?? []) add(region, "launch-ou", arn);
    for (const group of permission?.userGroups ?? []) add(region, "launch-group", group);
    for (const parameter of distribution.ssmParameterConfigurations ?? [])
      add(region, "ssm-parameter", parameter.parameterName, parameter.amiAccountId ?? owner);
    for (const template of distribution.launchTemplateConfigurations ?? [])
      add(region, "launch-template", template.launchTemplateId, template.accountId ?? owner);
    for (const fast of distribution.fastLaunchConfigurations ?? [])
      if (fast.enabled) add(region, "fast-launch", fast.accountId ?? owner);
    const s3 = distribution.s3ExportConfiguration;
    if (s3 !== undefined)
      add(region, "s3-export", `s3://${s3.s3Bucket}${s3.s3Prefix === undefined ? "" : `/${s3.s3Prefix}`}`);
    const container = distribution.containerDistributionConfiguration;
    if (container !== undefined)
      add(
        region,
        "container",
        `${container.targetRepository.service}:${container.targetRepository.repositoryName}`,
      );
  }
  return grants;
}

/** AMI copies one build makes: one per target account, or one in the owner's account, per region. */
function copiesOf(distributions: readonly Distribution[] | undefined): number {
  let copies = 0;
  const regions = new Set<string>();
  for (const distribution of distributions ?? []) {
    if (regions.has(distribution.region) || !copiesAmi(distribution)) continue;
    regions.add(distribution.region);
    copies += Math.max(1, new Set(distribution.amiDistributionConfiguration?.targetAccountIds ?? []).size);
  }
  return copies;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const kindRank = new Map(GRANT_KINDS.map((kind, index) => [kind, index]));

/** Orders grants by configuration, home region, region, kind (in {@link GRANT_KINDS} order), target, account. */
export function compareGrants(a: Grant, b: Grant): number {
  return (
    compare(a.configuration, b.configuration) ||
    compare(a.homeRegion, b.homeRegion) ||
    compare(a.region, b.region) ||
    (kindRank.get(a.kind) ?? 0) - (kindRank.get(b.kind) ?? 0) ||
    compare(a.target, b.target) ||
    compare(a.account ?? "", b.account ?? "")
  );
}

function grantKey(grant: Grant): string {
  return `${grant.configuration}\n${grant.homeRegion}\n${grant.region}\n${grant.kind}\n${grant.target}\n${grant.account ?? ""}`;
}

/** Every grant of `configurations`, sorted: the sharing of a state, such as the desired one. */
export function sharingOf(configurations: readonly SharedConfiguration[]): Grant[] {
  return configurations
    .flatMap((c) => grantsOf(c.name, c.region, c.accountId, c.distributions))
    .sort(compareGrants);
}

/** Whether `grant` is outside the policy's allow-list for its kind (no list: nothing is). */
function outsideAllowList(grant: Grant, policy: Policy | undefined): boolean {
  if (policy === undefined) return false;
  const within = (list: readonly string[] | undefined, value: string) =>
    list === undefined || value === OWNER_ACCOUNT || list.includes(value);
  switch (grant.kind) {
    case "copy":
    case "launch-account":
    case "fast-launch":
      return !within(policy.allowedAccounts, grant.target);
    case "ssm-parameter":
    case "launch-template":
      return !within(policy.allowedAccounts, grant.account ?? OWNER_ACCOUNT);
    case "launch-organization":
      return !within(policy.allowedOrganizationArns, grant.target);
    case "launch-ou":
      return !within(policy.allowedOrganizationalUnitArns, grant.target);
    case "launch-group":
    case "s3-export":
    case "container":
      return false;
  }
}

/**
 * Whether adding `grant` widens who may launch or own the image: a launch permission, or a copy in
 * an account other than `owner` (the configuration's own, which has the image anyway).
 */
export function widensLaunch(grant: Grant, owner: string = OWNER_ACCOUNT): boolean {
  if (grant.kind === "copy") return grant.target !== owner && grant.target !== OWNER_ACCOUNT;
  return WIDENING.has(grant.kind);
}

/**
 * The sharing summary of configurations before and after apply: `pairs` name each configuration
 * once (a replace under its new name, so only what really changes shows). `policy` flags new
 * grants outside its allow-lists.
 */
export function sharingSummary(pairs: readonly SharingPair[], policy?: Policy): SharingSummary {
  const before = new Map<string, Grant>();
  const after = new Map<string, Grant>();
  const regionsAdded: RegionRef[] = [];
  const regionsRemoved: RegionRef[] = [];
  let copiesBefore = 0;
  let copiesAfter = 0;
  const owners = new Map<string, string>();
  for (const pair of pairs) {
    const { configuration, homeRegion, accountId } = pair;
    owners.set(`${configuration}\n${homeRegion}`, accountId ?? OWNER_ACCOUNT);
    for (const grant of grantsOf(configuration, homeRegion, accountId, pair.before ?? []))
      before.set(grantKey(grant), grant);
    for (const grant of grantsOf(configuration, homeRegion, accountId, pair.after ?? []))
      after.set(grantKey(grant), grant);
    copiesBefore += copiesOf(pair.before);
    copiesAfter += copiesOf(pair.after);
    // Only a configuration that exists on both sides gains or loses regions; a create or a delete
    // says so itself.
    if (pair.before === undefined || pair.after === undefined) continue;
    const was = new Set(pair.before.map((d) => d.region));
    const is = new Set(pair.after.map((d) => d.region));
    for (const region of is) if (!was.has(region)) regionsAdded.push({ configuration, homeRegion, region });
    for (const region of was) if (!is.has(region)) regionsRemoved.push({ configuration, homeRegion, region });
  }
  const added = [...after].filter(([key]) => !before.has(key)).map(([, grant]) => grant);
  const removed = [...before].filter(([key]) => !after.has(key)).map(([, grant]) => grant);
  const grants = [...after.values()].sort(compareGrants);
  added.sort(compareGrants);
  removed.sort(compareGrants);
  const byRegion = (a: RegionRef, b: RegionRef) =>
    compare(a.configuration, b.configuration) ||
    compare(a.homeRegion, b.homeRegion) ||
    compare(a.region, b.region);
  const flags: SharingFlag[] = [];
  const isNew = new Set(added.map(grantKey));
  for (const grant of grants) {
    if (grant.kind === "launch-group" && grant.target === "all") {
      flags.push({
        code: "public",
        grant,
        message: `${grant.configuration}: anyone may launch its image in ${grant.region} (userGroups: all)${isNew.has(grantKey(grant)) ? ", new in this plan" : ""}.`,
      });
    } else if (isNew.has(grantKey(grant)) && outsideAllowList(grant, policy)) {
      flags.push({
        code: "outside-allow-list",
        grant,
        message: `${grant.configuration}: ${grant.kind === "ssm-parameter" || grant.kind === "launch-template" ? grant.account : grant.target} in ${grant.region} is not in the policy's allow-list.`,
      });
    }
  }
  return {
    grants,
    added,
    removed,
    regionsAdded: regionsAdded.sort(byRegion),
    regionsRemoved: regionsRemoved.sort(byRegion),
    copiesPerBuild: { before: copiesBefore, after: copiesAfter },
    widening: added.filter((grant) =>
      widensLaunch(grant, owners.get(`${grant.configuration}\n${grant.homeRegion}`)),
    ),
    flags,
  };
}

/** Whether the summary reports any change of access (grants or regions). */
export function sharingChanged(summary: SharingSummary): boolean {
  return (
    summary.added.length > 0 ||
    summary.removed.length > 0 ||
    summary.regionsAdded.length > 0 ||
    summary.regionsRemoved.length > 0
  );
}

/** What a pull request shows of approval: its labels and how many reviewers approve it now. */
export interface SharingApprovalEvidence {
  labels: readonly string[];
  approvingReviews: number;
}

/**
 * The sharing gate's verdict on a plan: `not-required` (no rule, or nothing widens), `approved`
 * (`by` says how), or `refused` (`reason` says what widens and what would approve it).
 */
export type SharingGateResult =
  | { status: "not-required" }
  | { status: "approved"; by: string }
  | { status: "refused"; reason: string };

/** What approves under `rule`: `the label "sharing-approved" or an approving review`. */
export function sharingApprovalWords(rule: SharingApproval): string {
  return [
    ...(rule.label === undefined ? [] : [`the label "${rule.label}"`]),
    ...(rule.approvingReview === true ? ["an approving review"] : []),
  ].join(" or ");
}

/**
 * Whether a plan whose sharing is `sharing` may be applied under `rule`, given what the pull
 * request shows (`evidence`; undefined when there is no pull request to ask). Pure.
 */
export function sharingGate(
  sharing: SharingSummary,
  rule: SharingApproval | undefined,
  evidence: SharingApprovalEvidence | undefined,
): SharingGateResult {
  if (rule === undefined || sharing.widening.length === 0) return { status: "not-required" };
  if (evidence !== undefined && rule.label !== undefined && evidence.labels.includes(rule.label))
    return { status: "approved", by: `the label "${rule.label}"` };
  if (evidence !== undefined && rule.approvingReview === true && evidence.approvingReviews > 0)
    return {
      status: "approved",
      by:
        evidence.approvingReviews === 1
          ? "an approving review"
          : `${evidence.approvingReviews} approving reviews`,
    };
  const count = sharing.widening.length;
  return {
    status: "refused",
    reason: `the plan widens who may launch or receive the images (${count} new grant${count === 1 ? "" : "s"}) and the policy's sharingApproval needs ${sharingApprovalWords(rule)} on the pull request${evidence === undefined ? ", but no merged pull request was found" : ", which it does not have"}`,
  };
}
