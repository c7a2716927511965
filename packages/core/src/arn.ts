/** ARNs of distribution configurations: derived from account, region and name, and parsed. */
import { apiPatterns } from "./schema.js";

/** The ARN's last part: the name lowercased, spaces turned into hyphens. */
export function arnResourceName(name: string): string {
  return name.toLowerCase().replaceAll(" ", "-");
}

/** The AWS partition a region belongs to (`aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, ...). */
export function partitionOfRegion(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  if (region.startsWith("us-isof-")) return "aws-iso-f";
  if (region.startsWith("eu-isoe-")) return "aws-iso-e";
  if (region.startsWith("us-iso-")) return "aws-iso";
  return "aws";
}

export interface DistributionConfigurationIdentity {
  /** Defaults to the region's partition. */
  partition?: string;
  region: string;
  accountId: string;
  name: string;
}

/** `arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/web-base`. */
export function distributionConfigurationArn(identity: DistributionConfigurationIdentity): string {
  const partition = identity.partition ?? partitionOfRegion(identity.region);
  return `arn:${partition}:imagebuilder:${identity.region}:${identity.accountId}:distribution-configuration/${arnResourceName(identity.name)}`;
}

export interface ParsedDistributionConfigurationArn {
  partition: string;
  region: string;
  accountId: string;
  resourceName: string;
}

/** Splits a distribution configuration ARN, or says why it is not one. */
export function parseDistributionConfigurationArn(
  arn: string,
): { ok: true; arn: ParsedDistributionConfigurationArn } | { ok: false; message: string } {
  if (!apiPatterns.DistributionConfigurationArn.test(arn)) {
    return {
      ok: false,
      message: `'${arn}' is not a distribution configuration ARN (it must match ${apiPatterns.DistributionConfigurationArn.source})`,
    };
  }
  const [, partition = "", , region = "", accountId = "", resource = ""] = arn.split(":");
  return {
    ok: true,
    arn: { partition, region, accountId, resourceName: resource.slice("distribution-configuration/".length) },
  };
}

/** The account id inside a distribution configuration ARN; undefined for AWS-owned or malformed ones. */
export function accountFromArn(arn: string): string | undefined {
  const parsed = parseDistributionConfigurationArn(arn);
  return parsed.ok && /^\d{12}$/.test(parsed.arn.accountId) ? parsed.arn.accountId : undefined;
}
