/** The rollout plan: for each pipeline's latest image, just the targets it is missing, with the configuration's settings there. */
import type { Distribution } from "../schema.js";
import {
  type CoveredConfiguration,
  configurationTargets,
  imageCoverage,
  pipelinesUsing,
} from "./coverage.js";
import type { ImageFacts, ImageRef, Target } from "./image-model.js";
import { formatTargets } from "./schedule.js";

/** One image to distribute to the targets it is missing. */
export interface RolloutItem {
  configuration: { name: string; region: string; arn: string };
  pipeline: { name: string; arn: string };
  image: ImageRef;
  /** The missing targets, sorted by region then account. */
  targets: Target[];
  /**
   * The distributions of a configuration that holds only the missing targets: the real
   * configuration's distributions of those regions (names, tags, KMS, launch permissions, launch
   * templates and the rest unchanged), with `targetAccountIds` cut to the missing accounts and
   * the per-account settings (SSM parameters, launch templates, fast launch) cut to those accounts.
   */
  distributions: Distribution[];
  /**
   * Targets the distribution also copies to although the image is there: the owner in a region
   * where only a target account is missing (the service makes the owner's copy of a region first,
   * as the source of the others). A second AMI of the owner's, shown so it is no surprise.
   */
  alsoCopies: Target[];
}

export interface RolloutPlan {
  items: RolloutItem[];
}

/**
 * Only the missing targets of one region: the distribution with `targetAccountIds` cut to them,
 * and its per-account settings (SSM parameters, launch templates, fast launch) cut to the accounts
 * distributed to (an entry naming no account is the owner's), so none names an account the
 * temporary configuration no longer targets (rules.ts ssm-account-not-target).
 */
function distributionFor(
  distribution: Distribution,
  missing: ReadonlySet<string>,
  owner: string,
): Distribution {
  const ami = distribution.amiDistributionConfiguration;
  const accounts = (ami?.targetAccountIds ?? []).filter((accountId) => missing.has(accountId));
  const distributed = (accountId: string | undefined) => missing.has(accountId ?? owner);
  // Without targetAccountIds the AMI stays with the owner; with them the service makes the owner's
  // copy of the region too (it is the source of the others), so the owner needs no entry of its own.
  const ownerOnly =
    ami === undefined || accounts.length === 0 || (accounts.length === 1 && accounts[0] === owner);
  const { targetAccountIds: _all, ...rest } = ami ?? {};
  const {
    ssmParameterConfigurations: ssm,
    launchTemplateConfigurations: launchTemplates,
    fastLaunchConfigurations: fastLaunch,
    ...others
  } = distribution;
  const kept = {
    // With no targetAccountIds left, an SSM parameter of the owner names no account (the rule wants
    // a named account among the targets).
    ssmParameterConfigurations: ssm
      ?.filter((parameter) => distributed(parameter.amiAccountId))
      .map(({ amiAccountId, ...parameter }) =>
        ownerOnly || amiAccountId === undefined ? parameter : { ...parameter, amiAccountId },
      ),
    launchTemplateConfigurations: launchTemplates?.filter((template) => distributed(template.accountId)),
    fastLaunchConfigurations: fastLaunch?.filter((entry) => distributed(entry.accountId)),
  };
  return {
    ...others,
    ...(ami === undefined
      ? {}
      : { amiDistributionConfiguration: ownerOnly ? rest : { ...rest, targetAccountIds: accounts } }),
    ...Object.fromEntries(Object.entries(kept).filter(([, list]) => list !== undefined && list.length > 0)),
  };
}

/**
 * For each pipeline's latest available image, the targets of its configuration (as it is now) that
 * the image is not in, and a distribution list holding only them. Images with nothing missing,
 * and pipelines with no image yet, have no item.
 */
export function rolloutPlan(configurations: readonly CoveredConfiguration[], facts: ImageFacts): RolloutPlan {
  const items: RolloutItem[] = [];
  for (const configuration of configurations) {
    const targets = configurationTargets(configuration.distributions, configuration.accountId);
    for (const pipeline of pipelinesUsing(facts, configuration.arn)) {
      if (pipeline.image === null) continue;
      const missing = imageCoverage(targets, pipeline.image.amis)
        .filter((target) => target.state === "missing")
        .map(({ region, accountId }) => ({ region, accountId }));
      if (missing.length === 0) continue;
      const byRegion = new Map<string, Set<string>>();
      for (const target of missing) {
        const accounts = byRegion.get(target.region) ?? new Set<string>();
        accounts.add(target.accountId);
        byRegion.set(target.region, accounts);
      }
      const distributions = configuration.distributions
        .filter((distribution) => byRegion.has(distribution.region))
        .map((distribution) =>
          distributionFor(
            distribution,
            byRegion.get(distribution.region) ?? new Set(),
            configuration.accountId,
          ),
        );
      items.push({
        configuration: { name: configuration.name, region: configuration.region, arn: configuration.arn },
        pipeline: { name: pipeline.name, arn: pipeline.arn },
        image: { arn: pipeline.image.arn, version: pipeline.image.version },
        targets: missing,
        distributions,
        alsoCopies: alsoCopies(missing, distributions, configuration.accountId),
      });
    }
  }
  return { items };
}

/**
 * The owner of each region the distributions copy to other accounts in (`targetAccountIds`) where
 * the owner itself is not missing: the service makes the owner's copy there first anyway.
 */
function alsoCopies(
  missing: readonly Target[],
  distributions: readonly Distribution[],
  owner: string,
): Target[] {
  return distributions
    .filter(
      (distribution) =>
        (distribution.amiDistributionConfiguration?.targetAccountIds?.length ?? 0) > 0 &&
        !missing.some((target) => target.region === distribution.region && target.accountId === owner),
    )
    .map((distribution) => ({ region: distribution.region, accountId: owner }))
    .sort((a, b) => a.region.localeCompare(b.region));
}

/** The rollout plan as lines: one per image, naming the targets it goes to. */
export function rolloutLines(plan: RolloutPlan): string[] {
  if (plan.items.length === 0)
    return ["nothing to roll out: every current image is in every target of its configuration"];
  return plan.items.map((item) => {
    const also =
      item.alsoCopies.length === 0
        ? ""
        : `; also copies to the owner in ${formatTargets(item.alsoCopies)}, which has the image (the service copies to the owner first)`;
    return `${item.pipeline.name} image ${item.image.version} (${item.configuration.name}, ${item.configuration.region}) → ${formatTargets(item.targets)}${also}`;
  });
}
