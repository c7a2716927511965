/** `plan()`: the pure function from desired and live configurations to a plan. */
import { arnResourceName, distributionConfigurationArn } from "../arn.js";
import { type ChangeOfConfiguration, planImages } from "../images/consequences.js";
import { isRolloutConfiguration } from "../images/image-model.js";
import type { Distribution } from "../schema.js";
import { formatBuildDate, renderAmiName } from "../templates.js";
import { diffContent, diffTags, tagChanges } from "./diff.js";
import { liveStateFingerprint } from "./fingerprint.js";
import {
  type AmiNamePreview,
  CHANGE_ACTIONS,
  type Change,
  type ChangeAction,
  type ConfigurationDocument,
  type DesiredConfiguration,
  type FieldDiff,
  type LiveConfiguration,
  MANAGED_BY_TAG,
  PLAN_VERSION,
  type Plan,
  type PlanOptions,
  type PlanWarning,
  REPLACES_TAG,
  SOURCE_TAG,
} from "./plan-model.js";
import { type SharingPair, sharingSummary } from "./sharing.js";

/** Every tag a desired configuration should carry: the user's, then the two managed tags. */
export function desiredTags(desired: DesiredConfiguration, stack: string): Record<string, string> {
  return { ...desired.tags, [MANAGED_BY_TAG]: stack, [SOURCE_TAG]: desired.source };
}

/** What Create or Update must send for a desired configuration. */
export function configurationDocument(desired: DesiredConfiguration, stack: string): ConfigurationDocument {
  return {
    name: desired.name,
    ...(desired.description === undefined ? {} : { description: desired.description }),
    distributions: desired.distributions,
    tags: desiredTags(desired, stack),
  };
}

/** Identity of a configuration: account (when known), home region and the ARN's resource name. */
function identityKey(region: string, name: string): string {
  return `${region}/${arnResourceName(name)}`;
}

/** Renders AMI name templates for previews, once per distinct template in a plan. */
type PreviewRenderer = (template: string) => string;

function previewRenderer(now: Date | undefined): PreviewRenderer | undefined {
  if (now === undefined) return undefined;
  const rendered = new Map<string, string>();
  const buildDate = formatBuildDate(now);
  return (template) => {
    let preview = rendered.get(template);
    if (preview === undefined) {
      preview = renderAmiName(template, { buildDate, buildVersion: 1 });
      rendered.set(template, preview);
    }
    return preview;
  };
}

function amiNamePreviews(
  desired: DesiredConfiguration,
  render: PreviewRenderer | undefined,
): AmiNamePreview[] {
  if (render === undefined) return [];
  const previews: AmiNamePreview[] = [];
  for (const distribution of desired.distributions) {
    const template = distribution.amiDistributionConfiguration?.name;
    if (template === undefined) continue;
    previews.push({ preview: render(template), region: distribution.region, template });
  }
  return previews.sort((a, b) => (a.region < b.region ? -1 : a.region > b.region ? 1 : 0));
}

function warning(
  code: PlanWarning["code"],
  configuration: { name: string; region: string },
  message: string,
): PlanWarning {
  return { code, configuration: configuration.name, message, region: configuration.region };
}

function regionRemovedWarnings(diffs: readonly FieldDiff[], configuration: { name: string; region: string }) {
  return diffs
    .filter((diff) => diff.kind === "removed" && /^distributions\[[^\]]+\]$/.test(diff.path))
    .map((diff) => {
      const region = diff.path.slice("distributions[".length, -1);
      return warning(
        "region-removed",
        configuration,
        `${configuration.name}: removing ${region} stops distributing new images there; AMIs already copied to ${region} stay until you deregister them.`,
      );
    });
}

function deriveArn(desired: DesiredConfiguration): string | undefined {
  if (desired.arn !== undefined) return desired.arn;
  if (desired.accountId === undefined) return undefined;
  return distributionConfigurationArn({
    region: desired.region,
    accountId: desired.accountId,
    name: desired.name,
  });
}

/** The plan's options and what is shared across its changes. */
interface PlanContext extends PlanOptions {
  render: PreviewRenderer | undefined;
}

/** Where a desired configuration stands before replacements are paired. */
type Match =
  | { desired: DesiredConfiguration; live: LiveConfiguration }
  | { desired: DesiredConfiguration; live: undefined; duplicate: boolean };

/**
 * Plans the changes that make live state match `desired` for the stack `options.stack`.
 *
 * Pure: no I/O, no clock (AMI name previews use `options.now`). Live configurations are matched
 * to desired ones by account, home region and ARN resource name (or by ARN for update requests).
 * Only configurations tagged `waybill:managed-by = stack` are ever updated, tagged, replaced or
 * deleted; unmanaged ones of a desired name are adopted only with `options.adopt`, and ones of
 * another stack never. Live configurations that neither share a desired identity nor belong to
 * the stack are ignored, and are not part of the fingerprint. A rollout's temporary
 * configurations (`isRolloutConfiguration`) are no part of live state here at all.
 */
export function plan(
  desired: readonly DesiredConfiguration[],
  allLive: readonly LiveConfiguration[],
  options: PlanOptions,
): Plan {
  const live = allLive.filter((configuration) => !isRolloutConfiguration(configuration));
  const context: PlanContext = { ...options, render: previewRenderer(options.now) };
  const { stack } = options;
  const liveByIdentity = new Map<string, LiveConfiguration[]>();
  const liveByArn = new Map<string, LiveConfiguration>();
  for (const configuration of live) {
    const key = identityKey(configuration.region, configuration.name);
    const same = liveByIdentity.get(key);
    if (same === undefined) liveByIdentity.set(key, [configuration]);
    else same.push(configuration);
    liveByArn.set(configuration.arn.toLowerCase(), configuration);
  }

  const claimed = new Set<LiveConfiguration>();
  const seenDesired = new Set<string>();
  const matches: Match[] = [];
  for (const configuration of desired) {
    const candidates =
      configuration.arn !== undefined
        ? [liveByArn.get(configuration.arn.toLowerCase())].filter(
            (c): c is LiveConfiguration => c !== undefined,
          )
        : (liveByIdentity.get(identityKey(configuration.region, configuration.name)) ?? []).filter(
            (c) => configuration.accountId === undefined || c.accountId === configuration.accountId,
          );
    const match = candidates[0];
    const key = `${configuration.accountId ?? match?.accountId ?? "*"}/${identityKey(configuration.region, configuration.name)}`;
    if (seenDesired.has(key)) {
      matches.push({ desired: configuration, live: undefined, duplicate: true });
      continue;
    }
    seenDesired.add(key);
    if (match !== undefined) {
      claimed.add(match);
      matches.push({ desired: configuration, live: match });
    } else {
      matches.push({ desired: configuration, live: undefined, duplicate: false });
    }
  }

  // Managed configurations no desired one claims: the old half of an earlier replace whose delete
  // failed (deleted without prune); else deleted with prune, or replaced when their source file now
  // yields exactly one new configuration (and that file had exactly one such orphan).
  const orphans = live.filter((c) => c.tags[MANAGED_BY_TAG] === stack && !claimed.has(c));
  const successors = unfinishedReplaces(matches, orphans, stack);
  const orphansBySource = groupBy(
    orphans.filter((c) => !successors.has(c)),
    (c) => c.tags[SOURCE_TAG],
  );
  const createsBySource = groupBy(
    matches.filter((m) => m.live === undefined && !m.duplicate && m.desired.kind !== "update"),
    (m) => m.desired.source,
  );
  const replaced = new Map<DesiredConfiguration, LiveConfiguration>();
  for (const [source, sourceOrphans] of orphansBySource) {
    const creates = createsBySource.get(source);
    const orphan = sourceOrphans[0];
    const create = creates?.[0];
    if (sourceOrphans.length !== 1 || creates?.length !== 1 || orphan === undefined || create === undefined)
      continue;
    if (create.desired.accountId !== undefined && create.desired.accountId !== orphan.accountId) continue;
    replaced.set(create.desired, orphan);
  }
  const replacedOrphans = new Set(replaced.values());

  const changes: Change[] = [];
  const pairs: SharingPair[] = [];
  const ofConfigurations: ChangeOfConfiguration[] = [];
  for (const match of matches) {
    const old = replaced.get(match.desired);
    const change =
      match.live !== undefined
        ? changeForExisting(match.desired, match.live, context)
        : old !== undefined
          ? replaceChange(match.desired, old, context)
          : changeForMissing(match.desired, match.duplicate, context);
    changes.push(inKeyOrder(change));
    ofConfigurations.push(changeOfConfiguration(change, match.live ?? old, match.desired.distributions));
    const pair = sharingPair(change, match.desired, match.live ?? old);
    if (pair !== undefined) pairs.push(pair);
  }
  for (const orphan of orphans) {
    if (replacedOrphans.has(orphan)) continue;
    const change = deleteChange(orphan, options.prune === true, successors.get(orphan));
    changes.push(inKeyOrder(change));
    ofConfigurations.push(changeOfConfiguration(change, orphan, undefined));
    pairs.push({
      configuration: orphan.name,
      homeRegion: orphan.region,
      accountId: orphan.accountId,
      before: orphan.distributions,
      ...(change.action === "delete" && !change.executed ? { after: orphan.distributions } : {}),
    });
  }

  const rank = new Map(CHANGE_ACTIONS.map((action, index) => [action, index]));
  changes.sort(
    (a, b) =>
      compare(a.region, b.region) ||
      compare(a.name, b.name) ||
      (rank.get(a.action) ?? 0) - (rank.get(b.action) ?? 0) ||
      compare(a.source ?? "", b.source ?? ""),
  );
  const summary = Object.fromEntries(CHANGE_ACTIONS.map((action) => [action, 0])) as Record<
    ChangeAction,
    number
  >;
  for (const change of changes) summary[change.action] += 1;

  // The pipelines on a replaced or deleted configuration's old ARN are named in `images` only, not
  // in the warnings: warnings are part of what a review approved, and moving a pipeline off the old
  // ARN after review must not make the plan differ from the reviewed one.
  const considered = [...new Set([...claimed, ...orphans])];
  const fingerprint = liveStateFingerprint(stack, considered, options.scope);
  return {
    version: PLAN_VERSION,
    id: options.id ?? fingerprint,
    stack,
    settings: { prune: options.prune === true, adopt: options.adopt === true },
    fingerprint,
    changes,
    summary,
    warnings: changes.flatMap((change) => change.warnings),
    sharing: sharingSummary(pairs, options.policy),
    ...(options.images === undefined ? {} : { images: planImages(ofConfigurations, options.images) }),
  };
}

/** A change as the image consequences see it (see `planImages`). */
function changeOfConfiguration(
  change: Change,
  live: LiveConfiguration | undefined,
  after: Distribution[] | undefined,
): ChangeOfConfiguration {
  return {
    action: change.action,
    name: change.name,
    region: change.region,
    arn: change.action === "replace" ? change.replaces.arn : live?.arn,
    accountId: live?.accountId ?? change.accountId,
    source: change.source,
    executed: isExecutedChange(change),
    before: live?.distributions,
    after: change.action === "delete" ? undefined : after,
  };
}

function isExecutedChange(change: Change): boolean {
  if (change.action === "delete") return change.executed;
  return change.action !== "conflict" && change.action !== "no-op";
}

/**
 * A change's configuration before and after apply, for the sharing summary; undefined for
 * conflicts, which apply never touches and this stack does not own.
 */
function sharingPair(
  change: Change,
  desired: DesiredConfiguration,
  live: LiveConfiguration | undefined,
): SharingPair | undefined {
  if (change.action === "conflict") return undefined;
  const accountId = change.accountId ?? live?.accountId;
  return {
    configuration: desired.name,
    homeRegion: desired.region,
    ...(accountId === undefined ? {} : { accountId }),
    ...(live === undefined ? {} : { before: live.distributions }),
    after: desired.distributions,
  };
}

/**
 * A shallow copy with keys in sorted order. Changes (and what they hold, but for documents) are
 * built in canonical key order, so `canonicalJson` (the plan's hash and JSON) need not copy them.
 */
function inKeyOrder<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = (value as Record<string, unknown>)[key];
  return out as T;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}

/**
 * The orphans that are the old half of an earlier replace whose delete failed, each with the live
 * configuration that replaced it. An orphan qualifies when a configuration of the stack that a
 * desired configuration from the orphan's own source file claims is its successor: it carries
 * `waybill:replaces` = the orphan's ARN (the replace's Create set it), or the orphan carries it
 * with that configuration's ARN (the rename was reverted before the delete succeeded). Without
 * that evidence an orphan whose file still exists (a document removed from a file of several, two
 * documents renamed at once) is no replace, and its delete still needs prune.
 */
function unfinishedReplaces(
  matches: readonly Match[],
  orphans: readonly LiveConfiguration[],
  stack: string,
): Map<LiveConfiguration, LiveConfiguration> {
  const successors = new Map<LiveConfiguration, LiveConfiguration>();
  if (orphans.length === 0) return successors;
  const bySourceAndArn = new Map<string, LiveConfiguration>();
  const bySourceAndReplaced = new Map<string, LiveConfiguration>();
  for (const match of matches) {
    const current = match.live;
    if (current === undefined || current.tags[MANAGED_BY_TAG] !== stack) continue;
    const source = match.desired.source;
    bySourceAndArn.set(`${source}\n${current.arn.toLowerCase()}`, current);
    const replaced = current.tags[REPLACES_TAG];
    if (replaced === undefined) continue;
    const key = `${source}\n${replaced.toLowerCase()}`;
    const other = bySourceAndReplaced.get(key);
    // Two successors of one configuration: the plan must not depend on the order of its inputs.
    if (other === undefined || current.arn < other.arn) bySourceAndReplaced.set(key, current);
  }
  for (const orphan of orphans) {
    const source = orphan.tags[SOURCE_TAG];
    if (source === undefined) continue;
    const forward = bySourceAndReplaced.get(`${source}\n${orphan.arn.toLowerCase()}`);
    if (forward !== undefined && !createdAfter(orphan, forward)) {
      successors.set(orphan, forward);
      continue;
    }
    const replaced = orphan.tags[REPLACES_TAG];
    const reverted =
      replaced === undefined ? undefined : bySourceAndArn.get(`${source}\n${replaced.toLowerCase()}`);
    if (reverted !== undefined && !createdAfter(reverted, orphan)) successors.set(orphan, reverted);
  }
  return successors;
}

/**
 * Whether `a` was created after `b`, when both dates are known. A replaced configuration is older
 * than its replacement; a newer one of the same ARN was created again later (names are reused),
 * so an old `waybill:replaces` tag says nothing about it.
 */
function createdAfter(a: LiveConfiguration, b: LiveConfiguration): boolean {
  const created = a.dateCreated === undefined ? Number.NaN : Date.parse(a.dateCreated);
  const other = b.dateCreated === undefined ? Number.NaN : Date.parse(b.dateCreated);
  return created > other;
}

function changeForExisting(
  desired: DesiredConfiguration,
  live: LiveConfiguration,
  context: PlanContext,
): Change {
  const { stack } = context;
  const owner = live.tags[MANAGED_BY_TAG];
  const document = configurationDocument(desired, stack);
  const contentDiffs = namingAccountSets(diffContent(live, desired), desired.accountSetOf);
  const tags = tagChanges(live.tags, document.tags);
  const diffs = [...contentDiffs, ...diffTags(live.tags, tags)];
  const base = {
    name: desired.name,
    region: desired.region,
    accountId: live.accountId,
    arn: live.arn,
    source: desired.source,
    diffs,
    tags,
    amiNames: amiNamePreviews(desired, context.render),
  };
  const warnings: PlanWarning[] = [];
  if (live.name !== desired.name) {
    warnings.push(
      warning(
        "name-spelling-differs",
        desired,
        `${desired.name}: the live configuration is named "${live.name}" (same ARN); a name cannot change, so it keeps "${live.name}".`,
      ),
    );
  }

  if (owner === undefined || owner !== stack) {
    if (owner === undefined && context.adopt === true) {
      return {
        ...base,
        action: "adopt",
        document,
        contentChanged: contentDiffs.length > 0,
        warnings: [...warnings, ...regionRemovedWarnings(contentDiffs, desired)],
      };
    }
    const unmanaged = owner === undefined;
    warnings.push(
      unmanaged
        ? warning(
            "unmanaged-configuration",
            desired,
            `${desired.name}: a configuration of this name exists in ${desired.region} and is not managed by Waybill; it is left alone. Plan with adopt to take it over, or choose another name.`,
          )
        : warning(
            "managed-by-other-stack",
            desired,
            `${desired.name}: the configuration in ${desired.region} is managed by stack "${owner}", not "${stack}"; it is left alone.`,
          ),
    );
    return {
      ...base,
      tags: { add: {}, remove: [] },
      action: "conflict",
      reason: unmanaged ? "unmanaged" : "managed-by-other-stack",
      ...(unmanaged ? {} : { owner }),
      diffs: unmanaged ? diffs : [],
      warnings,
    };
  }

  if (contentDiffs.length > 0) {
    return {
      ...base,
      action: "update",
      document,
      warnings: [...warnings, ...regionRemovedWarnings(contentDiffs, desired)],
    };
  }
  if (diffs.length > 0) return { ...base, action: "tag", warnings };
  return { ...base, action: "no-op", warnings };
}

function changeForMissing(desired: DesiredConfiguration, duplicate: boolean, context: PlanContext): Change {
  const arn = deriveArn(desired);
  const base = {
    name: desired.name,
    region: desired.region,
    ...(desired.accountId === undefined ? {} : { accountId: desired.accountId }),
    ...(arn === undefined ? {} : { arn }),
    source: desired.source,
    amiNames: amiNamePreviews(desired, context.render),
  };
  if (duplicate || desired.kind === "update") {
    return {
      ...base,
      action: "conflict",
      reason: duplicate ? "duplicate-desired" : "update-target-missing",
      diffs: [],
      tags: { add: {}, remove: [] },
      warnings: [
        duplicate
          ? warning(
              "duplicate-desired",
              desired,
              `${desired.name}: another file (or document) already describes this configuration in ${desired.region}; ${desired.source} is ignored.`,
            )
          : warning(
              "update-target-missing",
              desired,
              `${desired.name}: ${desired.source} is an update request, but ${desired.arn ?? "its configuration"} does not exist; an update request never creates.`,
            ),
      ],
    };
  }
  const document = configurationDocument(desired, context.stack);
  const tags = tagChanges({}, document.tags);
  return {
    ...base,
    action: "create",
    document,
    diffs: [...diffContent({ distributions: [] }, desired), ...diffTags({}, tags)],
    tags,
    warnings: [],
  };
}

function replaceChange(desired: DesiredConfiguration, old: LiveConfiguration, context: PlanContext): Change {
  const created = configurationDocument(desired, context.stack);
  // The new configuration records what it replaces, so a failed delete is finished by the next plan.
  const document = { ...created, tags: { ...created.tags, [REPLACES_TAG]: old.arn } };
  const tags = tagChanges({}, document.tags);
  const contentDiffs = diffContent(old, desired);
  const nameDiffs: FieldDiff[] = [];
  if (old.name !== desired.name)
    nameDiffs.push({ after: desired.name, before: old.name, kind: "changed", path: "name" });
  if (old.region !== desired.region)
    nameDiffs.push({ after: desired.region, before: old.region, kind: "changed", path: "region" });
  const arn = deriveArn({ ...desired, accountId: desired.accountId ?? old.accountId });
  return {
    action: "replace",
    name: desired.name,
    region: desired.region,
    accountId: desired.accountId ?? old.accountId,
    ...(arn === undefined ? {} : { arn }),
    source: desired.source,
    document,
    replaces: { arn: old.arn, name: old.name, region: old.region },
    diffs: [...nameDiffs, ...contentDiffs, ...diffTags(old.tags, tagChanges(old.tags, document.tags))],
    tags,
    amiNames: amiNamePreviews(desired, context.render),
    warnings: [
      warning(
        "replacement-breaks-pipelines",
        desired,
        `${desired.name} replaces ${old.name} (${old.region}): a new configuration is created and ${old.arn} is deleted. Image pipelines that use the old ARN must be pointed at the new one, or the delete fails (ResourceDependencyException).`,
      ),
      ...regionRemovedWarnings(contentDiffs, desired),
    ],
  };
}

/**
 * Deletes a managed configuration no desired one claims: executed with `prune`, or always when it
 * is the old half of an unfinished replace (`successor` replaced it).
 */
function deleteChange(live: LiveConfiguration, prune: boolean, successor?: LiveConfiguration): Change {
  const source = live.tags[SOURCE_TAG];
  const executed = prune || successor !== undefined;
  return {
    action: "delete",
    name: live.name,
    region: live.region,
    accountId: live.accountId,
    arn: live.arn,
    ...(source === undefined ? {} : { source }),
    executed,
    destroys: {
      name: live.name,
      ...(live.description === undefined ? {} : { description: live.description }),
      distributions: live.distributions,
      tags: live.tags,
    },
    ...(successor === undefined
      ? {}
      : { replacedBy: { arn: successor.arn, name: successor.name, region: successor.region } }),
    diffs: [],
    tags: { add: {}, remove: [] },
    amiNames: [],
    warnings:
      successor !== undefined
        ? [
            warning(
              "replacement-breaks-pipelines",
              live,
              `${live.name} (${live.region}) was replaced by ${successor.name} and is deleted now to finish that replace. Image pipelines that use ${live.arn} must be pointed at ${successor.arn}, or the delete fails (ResourceDependencyException).`,
            ),
          ]
        : executed
          ? [
              warning(
                "delete-leaves-images",
                live,
                `${live.name}: deleting the configuration does not deregister AMIs it already distributed; image pipelines that use ${live.arn} make the delete fail (ResourceDependencyException).`,
              ),
            ]
          : [],
  };
}

/** Account-list diffs say which set brought each added account in (an OU that gained an account). */
function namingAccountSets(
  diffs: FieldDiff[],
  accountSetOf: Readonly<Record<string, string>> | undefined,
): FieldDiff[] {
  if (accountSetOf === undefined) return diffs;
  return diffs.map((diff) => {
    const fromSets = Object.fromEntries(
      (diff.kind === "set" ? (diff.added ?? []) : [])
        .filter((account) => accountSetOf[account] !== undefined)
        .map((account) => [account, accountSetOf[account] as string]),
    );
    return Object.keys(fromSets).length === 0 ? diff : { ...diff, fromSets };
  });
}
