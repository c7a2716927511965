// Runs a rollout: per image, DistributeImage with a temporary configuration of only the missing targets, then waits.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import {
  type AmiFact,
  canonicalJson,
  distributionConfigurationArn,
  isRolloutConfiguration,
  MANAGED_BY_TAG,
  parseDistributionConfigurationArn,
  ROLLOUT_OF_TAG,
  type RolloutItem,
  sha256Hex,
} from "@waybill/core";
import { mapWithConcurrency } from "./concurrency.js";
import { GatewayError, type ImageBuilderGateway } from "./gateway.js";
import { amiFacts, imageVersionArn } from "./images.js";

/** Tag on a rollout's image build version: its item's key (see {@link rolloutKey}). */
export const ROLLOUT_KEY_TAG = "waybill:rollout-key";

/** Prefix of the temporary configurations' names; with the tag, how a later run finds leftovers. */
export const ROLLOUT_CONFIGURATION_PREFIX = "waybill-rollout-";

export interface RolloutOptions {
  clientFor(region: string): ImageBuilderGateway;
  /** The stack: the temporary configurations carry `waybill:managed-by` = it. */
  stack: string;
  /** The role Image Builder assumes to distribute (settings `rollout.executionRole`). */
  executionRole: string;
  /** Images distributed at once. Default 4. */
  concurrency?: number;
  /**
   * Longest wait between two `GetImage` calls while waiting, in milliseconds. The first waits are
   * shorter (500 ms, doubling up to it), so a quick distribution is seen quickly. Default 15,000.
   */
  pollMs?: number;
  /** Longest wait for one image, in milliseconds. Default 2 hours. */
  timeoutMs?: number;
  /** Told when an item starts, each time its image's status changes, and when it ends. */
  onProgress?(event: RolloutProgress): void;
}

export interface RolloutProgress {
  item: RolloutItem;
  /** The image build version's status (`PENDING`, `DISTRIBUTING`, …), or `starting`. */
  status: string;
}

export type RolloutResult =
  | { item: RolloutItem; status: "distributed"; imageBuildVersionArn: string; amis: AmiFact[] }
  | { item: RolloutItem; status: "failed"; reason: string; imageBuildVersionArn?: string };

/**
 * The item's identity: the same image, targets and settings give the same one. The temporary
 * configuration's name and DistributeImage's client token derive from it, so a run killed half-way
 * and run again finds its configuration by name and is answered, for DistributeImage, with the
 * distribution it already started: nothing is distributed twice.
 */
export function rolloutKey(item: RolloutItem): string {
  return sha256Hex(
    canonicalJson({
      image: item.image.arn,
      targets: item.targets,
      distributions: item.distributions,
    } as never),
  ).slice(0, 24);
}

function temporaryName(item: RolloutItem): string {
  return `${ROLLOUT_CONFIGURATION_PREFIX}${rolloutKey(item)}`;
}

/**
 * Creates (or finds, after a killed run) the temporary configuration holding only `item`'s
 * targets, tagged as Waybill's; returns its ARN.
 */
async function temporaryConfiguration(gateway: ImageBuilderGateway, item: RolloutItem, stack: string) {
  const name = temporaryName(item);
  try {
    return await gateway.create({
      name,
      description: `Waybill rollout of ${item.image.version} (${item.pipeline.name}) to ${item.targets.length} missing target(s); deleted when done`,
      distributions: item.distributions as never,
      tags: { [MANAGED_BY_TAG]: stack, [ROLLOUT_OF_TAG]: item.image.arn },
      // Fresh per call (the SDK's retries of this one call resend it): a token's answer names the
      // configuration it made, which an earlier attempt deleted, even one whose DistributeImage was
      // refused and so left no build version to count. A killed run's configuration is found by name.
      clientToken: randomUUID(),
    });
  } catch (error) {
    if (!(error instanceof GatewayError) || error.type !== "ResourceAlreadyExistsException") throw error;
    const parsed = parseDistributionConfigurationArn(item.configuration.arn);
    if (!parsed.ok) throw error;
    return distributionConfigurationArn({ region: gateway.region, accountId: parsed.arn.accountId, name });
  }
}

/** The longest wait for one image, by default; also the age past which a leftover is surely dead. */
const DEFAULT_TIMEOUT_MS = 2 * 60 * 60 * 1000;

const FINISHED: ReadonlySet<string> = new Set([
  "AVAILABLE",
  "FAILED",
  "CANCELLED",
  "DELETED",
  "DISABLED",
  "DEPRECATED",
]);

async function rollOne(item: RolloutItem, options: RolloutOptions): Promise<RolloutResult> {
  const gateway = options.clientFor(item.configuration.region);
  options.onProgress?.({ item, status: "starting" });
  let configurationArn: string | undefined;
  let buildVersionArn: string | undefined;
  try {
    // Earlier attempts of this item: one still running (a run killed while it waited) is waited
    // on, not started again; each failed one moves the client token on, so a re-run after a
    // failure distributes anew instead of being answered with the failure.
    const key = rolloutKey(item);
    const earlier = (
      await gateway.listImageBuildVersions(imageVersionArn(item.image.arn), item.image.version)
    ).filter((version) => version.tags?.[ROLLOUT_KEY_TAG] === key);
    const running = earlier.find((version) => !FINISHED.has(version.state?.status ?? "PENDING"));
    configurationArn = await temporaryConfiguration(gateway, item, options.stack);
    buildVersionArn =
      running?.arn ??
      (await gateway.distributeImage(
        {
          sourceImage: item.image.arn,
          distributionConfigurationArn: configurationArn,
          executionRole: options.executionRole,
          clientToken: `${key}-distribute-${earlier.length}`,
          tags: { [MANAGED_BY_TAG]: options.stack, [ROLLOUT_OF_TAG]: item.image.arn, [ROLLOUT_KEY_TAG]: key },
        },
        item.image.version,
      ));
    const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    let last = "";
    for (let poll = 0; ; poll++) {
      const image = await gateway.getImage(buildVersionArn, item.image.version);
      const status = image.state?.status ?? "PENDING";
      if (status !== last) options.onProgress?.({ item, status });
      last = status;
      if (status === "AVAILABLE") {
        return {
          item,
          status: "distributed",
          imageBuildVersionArn: buildVersionArn,
          amis: amiFacts(image.outputResources?.amis),
        };
      }
      if (FINISHED.has(status)) {
        const reason = image.state?.reason ?? `the distribution ended ${status}`;
        return {
          item,
          status: "failed",
          reason: `${status}: ${reason}`,
          imageBuildVersionArn: buildVersionArn,
        };
      }
      if (Date.now() > deadline)
        return {
          item,
          status: "failed",
          reason: `still ${status} when the wait ran out`,
          imageBuildVersionArn: buildVersionArn,
        };
      const longest = options.pollMs ?? 15_000;
      await sleep(Math.min(longest, 500 * 2 ** Math.min(poll, 10)));
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      item,
      status: "failed",
      reason,
      ...(buildVersionArn ? { imageBuildVersionArn: buildVersionArn } : {}),
    };
  } finally {
    // Deleted when done; when this fails (or the run dies first), a later rollout deletes it.
    if (configurationArn !== undefined) await gateway.delete(configurationArn).catch(() => undefined);
  }
}

/**
 * Distributes each item's image to its missing targets only: a temporary configuration of just
 * those targets (tagged `waybill:managed-by` and `waybill:rollout-of`), `DistributeImage` with
 * idempotent client tokens, a wait for `AVAILABLE` (or `FAILED`, with the service's reason), and
 * the configuration deleted. At most `concurrency` items at once; a failed item is a result.
 */
export async function runRollout(
  items: readonly RolloutItem[],
  options: RolloutOptions,
): Promise<RolloutResult[]> {
  return mapWithConcurrency(items, options.concurrency ?? 4, (item) => rollOne(item, options));
}

/** A leftover the cleanup could not delete (or read enough of to decide): a warning, never a failure. */
export interface RolloutCleanupFailure {
  arn: string;
  message: string;
}

/**
 * Whether a temporary configuration is a dead run's leftover rather than one a concurrent run still
 * uses: older than the longest wait (`timeoutMs`), or its key's build versions (tagged
 * `waybill:rollout-key`) are all finished and one of them was started after the configuration was
 * made (so the run that made it got as far as distributing, and that distribution is over).
 */
async function isLeftover(
  gateway: ImageBuilderGateway,
  summary: {
    name?: string | undefined;
    dateCreated?: string | undefined;
    tags?: Record<string, string> | undefined;
  },
  now: number,
  timeoutMs: number,
): Promise<boolean> {
  const created = Date.parse(summary.dateCreated ?? "");
  if (Number.isFinite(created) && now - created > timeoutMs) return true;
  const imageArn = summary.tags?.[ROLLOUT_OF_TAG] ?? "";
  const key = (summary.name ?? "").slice(ROLLOUT_CONFIGURATION_PREFIX.length);
  if (!imageArn.includes(":image/") || key === "" || !Number.isFinite(created)) return false;
  const versions = (await gateway.listImageBuildVersions(imageVersionArn(imageArn))).filter(
    (version) => version.tags?.[ROLLOUT_KEY_TAG] === key,
  );
  return (
    versions.every((version) => FINISHED.has(version.state?.status ?? "PENDING")) &&
    versions.some((version) => Date.parse(version.dateCreated ?? "") >= created)
  );
}

/**
 * Deletes temporary configurations a run left behind (it died before deleting them) in `regions`:
 * rollout configurations of the stack (`isRolloutConfiguration`: tagged `waybill:rollout-of`, no
 * `waybill:source`) named `waybill-rollout-…`, whose name is not one `keep` still needs, and that
 * no concurrent run still uses (see {@link isLeftover}). A failed read or delete is returned, not
 * thrown: it must not stop the rollout.
 */
export async function cleanUpRolloutConfigurations(options: {
  regions: readonly string[];
  clientFor(region: string): ImageBuilderGateway;
  stack: string;
  keep: readonly RolloutItem[];
  /** The longest wait for one image (the rollout's `timeoutMs`): older leftovers are deleted. Default 2 hours. */
  timeoutMs?: number;
  /** The clock, in milliseconds. Default `Date.now()`. */
  now?: number;
}): Promise<{ deleted: string[]; failed: RolloutCleanupFailure[] }> {
  const keep = new Set(options.keep.map(temporaryName));
  const now = options.now ?? Date.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deleted: string[] = [];
  const failed: RolloutCleanupFailure[] = [];
  for (const region of [...new Set(options.regions)].sort()) {
    const gateway = options.clientFor(region);
    let summaries: Awaited<ReturnType<ImageBuilderGateway["listAll"]>>;
    try {
      summaries = await gateway.listAll();
    } catch (error) {
      failed.push({ arn: `(configurations of ${region})`, message: messageOf(error) });
      continue;
    }
    for (const summary of summaries) {
      const name = summary.name ?? "";
      if (!summary.arn || !name.startsWith(ROLLOUT_CONFIGURATION_PREFIX) || keep.has(name)) continue;
      if (summary.tags?.[MANAGED_BY_TAG] !== options.stack || !isRolloutConfiguration(summary)) continue;
      try {
        if (!(await isLeftover(gateway, summary, now, timeoutMs))) continue;
        await gateway.delete(summary.arn, name);
        deleted.push(summary.arn);
      } catch (error) {
        failed.push({ arn: summary.arn, message: messageOf(error) });
      }
    }
  }
  return { deleted, failed };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
