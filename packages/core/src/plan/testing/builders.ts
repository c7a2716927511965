/** Builders of in-memory plan inputs for tests and benchmarks: realistic defaults, overridable. */
import { distributionConfigurationArn } from "../../arn.js";
import type { Distribution } from "../../schema.js";
import {
  type DesiredConfiguration,
  type LiveConfiguration,
  MANAGED_BY_TAG,
  SOURCE_TAG,
} from "../plan-model.js";

export const ACCOUNT = "123456789012";
export const OTHER_ACCOUNT = "210987654321";
export const STACK = "platform";

/** An AMI distribution to `region` named `web-base {{imagebuilder:buildDate}}`. */
export function aDistribution(region = "us-west-2", overrides: Partial<Distribution> = {}): Distribution {
  return {
    region,
    amiDistributionConfiguration: {
      name: "web-base {{imagebuilder:buildDate}}",
      launchPermission: { userIds: [OTHER_ACCOUNT] },
    },
    ...overrides,
  };
}

/** A desired configuration named `name` in us-west-2, from `configs/<name>.yaml`. */
export function aDesired(
  name = "web-base",
  overrides: Partial<DesiredConfiguration> = {},
): DesiredConfiguration {
  return {
    name,
    region: "us-west-2",
    accountId: ACCOUNT,
    description: `Golden ${name} AMI`,
    distributions: [aDistribution("us-west-2"), aDistribution("eu-west-1")],
    tags: { team: "web" },
    source: `configs/${name}.yaml`,
    ...overrides,
  };
}

/**
 * The live configuration the service would hold after creating `desired` for `stack`: same
 * content, managed tags, the service's echoes (`timeoutMinutes`, dates). Override to make drift.
 */
export function aLiveFrom(
  desired: DesiredConfiguration,
  stack: string = STACK,
  overrides: Partial<LiveConfiguration> = {},
): LiveConfiguration {
  const accountId = desired.accountId ?? ACCOUNT;
  return {
    arn: distributionConfigurationArn({ region: desired.region, accountId, name: desired.name }),
    name: desired.name,
    region: desired.region,
    accountId,
    ...(desired.description === undefined ? {} : { description: desired.description }),
    distributions: desired.distributions,
    tags: { ...desired.tags, [MANAGED_BY_TAG]: stack, [SOURCE_TAG]: desired.source },
    timeoutMinutes: 720,
    dateCreated: "2026-11-01T09:00:00.000Z",
    ...overrides,
  };
}

/** A live configuration managed by `STACK`, as if created from `aDesired(name)`. */
export function aLive(name = "web-base", overrides: Partial<LiveConfiguration> = {}): LiveConfiguration {
  return aLiveFrom(aDesired(name), STACK, overrides);
}

/** A live configuration nobody manages (no Waybill tags). */
export function anUnmanagedLive(
  name = "web-base",
  overrides: Partial<LiveConfiguration> = {},
): LiveConfiguration {
  const live = aLive(name, overrides);
  return { ...live, tags: overrides.tags ?? { owner: "console" } };
}
