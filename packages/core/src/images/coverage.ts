/** Where a configuration sends AMIs (its targets) and where an image actually is (its coverage). */
import type { Distribution } from "../schema.js";
import type {
  AmiFact,
  CoverageState,
  ImageFacts,
  ImageStatus,
  PipelineFact,
  Target,
  TargetCoverage,
} from "./image-model.js";

/** A configuration as status and rollout need it. */
export interface CoveredConfiguration {
  name: string;
  /** Home region. */
  region: string;
  arn: string;
  /** The owner: the account the configuration (and its pipelines) live in. */
  accountId: string;
  distributions: readonly Distribution[];
}

export function targetKey(target: Target): string {
  return `${target.region}/${target.accountId}`;
}

/** Orders targets by region, then account. */
export function compareTargets(a: Target, b: Target): number {
  return a.region < b.region
    ? -1
    : a.region > b.region
      ? 1
      : a.accountId < b.accountId
        ? -1
        : a.accountId > b.accountId
          ? 1
          : 0;
}

/**
 * Every region × account a configuration sends an AMI to: per distribution with an AMI
 * configuration, the owner and each of `targetAccountIds`. A distribution without
 * `amiDistributionConfiguration` still yields the owner's AMI there (the build's copy), so it counts.
 */
export function configurationTargets(
  distributions: readonly Distribution[],
  ownerAccountId: string,
): Target[] {
  const seen = new Map<string, Target>();
  for (const distribution of distributions) {
    const accounts = [ownerAccountId, ...(distribution.amiDistributionConfiguration?.targetAccountIds ?? [])];
    for (const accountId of accounts) {
      const target = { region: distribution.region, accountId };
      seen.set(targetKey(target), target);
    }
  }
  return [...seen.values()].sort(compareTargets);
}

/**
 * An image's coverage of `targets`: each target `present` (with the AMI) or `missing`, then each
 * AMI outside the targets `extra` (a region or account removed since the build).
 */
export function imageCoverage(targets: readonly Target[], amis: readonly AmiFact[]): TargetCoverage[] {
  const byTarget = new Map<string, AmiFact>();
  for (const ami of amis) {
    const key = targetKey(ami);
    if (!byTarget.has(key)) byTarget.set(key, ami);
  }
  const wanted = new Set(targets.map(targetKey));
  const coverage: TargetCoverage[] = targets.map((target) => {
    const ami = byTarget.get(targetKey(target));
    const state: CoverageState = ami === undefined ? "missing" : "present";
    return ami === undefined ? { ...target, state } : { ...target, state, ami: ami.image };
  });
  for (const [key, ami] of byTarget) {
    if (!wanted.has(key))
      coverage.push({ region: ami.region, accountId: ami.accountId, state: "extra", ami: ami.image });
  }
  return coverage.sort(compareTargets);
}

/** The pipelines that use the configuration of `arn` (ARNs compare case-insensitively), by name. */
export function pipelinesUsing(facts: ImageFacts, arn: string): PipelineFact[] {
  const wanted = arn.toLowerCase();
  return facts.pipelines
    .filter((pipeline) => pipeline.distributionConfigurationArn.toLowerCase() === wanted)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `waybill status`: per configuration, per pipeline that uses it, its latest image's coverage. */
export function imageStatus(configurations: readonly CoveredConfiguration[], facts: ImageFacts): ImageStatus {
  const sorted = [...configurations].sort((a, b) =>
    a.region < b.region ? -1 : a.region > b.region ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  return {
    configurations: sorted.map((configuration) => {
      const targets = configurationTargets(configuration.distributions, configuration.accountId);
      return {
        name: configuration.name,
        region: configuration.region,
        pipelines: pipelinesUsing(facts, configuration.arn).map((pipeline) => ({
          name: pipeline.name,
          arn: pipeline.arn,
          image:
            pipeline.image === null ? null : { arn: pipeline.image.arn, version: pipeline.image.version },
          // Without an image nothing is anywhere yet: the first build covers every target.
          targets: pipeline.image === null ? [] : imageCoverage(targets, pipeline.image.amis),
        })),
      };
    }),
  };
}

/** How many targets of each state a status holds, over every pipeline. */
export function statusCounts(status: ImageStatus): Record<CoverageState, number> & { pipelines: number } {
  const counts = { present: 0, missing: 0, extra: 0, pipelines: 0 };
  for (const configuration of status.configurations) {
    for (const pipeline of configuration.pipelines) {
      counts.pipelines += 1;
      for (const target of pipeline.targets) counts[target.state] += 1;
    }
  }
  return counts;
}
