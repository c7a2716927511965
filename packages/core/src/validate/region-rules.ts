/**
 * Regions: the home region and every distribution's region against the regions the AWS SDK knows
 * (regions.ts). A malformed code is an error (the service refuses it); a well-formed one the SDK
 * does not list, or one of another partition than the home region's, is a warning with the
 * nearest known regions.
 */
import type { Diagnostic } from "../diagnostics.js";
import { formatRegionSuggestions, partitionOf, regionInfo } from "../regions.js";
import type { Locator } from "./locator.js";
import type { ValidatedDocument } from "./validation-model.js";

function didYouMean(suggestions: readonly string[]): string | undefined {
  return suggestions.length === 0 ? undefined : `did you mean ${formatRegionSuggestions(suggestions)}?`;
}

/** A located diagnostic for one region code, or none when the SDK knows it. */
export function regionDiagnostic(
  region: string,
  segments: readonly PropertyKey[],
  at: Locator,
  homePartition?: string,
): Diagnostic | undefined {
  const info = regionInfo(region);
  if (info.kind === "malformed") {
    const hint = didYouMean(info.suggestions);
    return at.diagnostic("invalid-region", segments, `'${region}' is not an AWS region code`, {
      hint: hint ?? "a region code looks like us-west-2",
    });
  }
  if (info.kind === "unlisted") {
    const hint = didYouMean(info.suggestions);
    return at.diagnostic(
      "unknown-region",
      segments,
      `region '${region}' is not one the AWS SDK knows${info.partition === undefined ? "" : ` (it would be in partition ${info.partition})`}`,
      {
        severity: "warning",
        hint: `${hint === undefined ? "" : `${hint} `}A region newer than the SDK is fine; a slip fails at apply.`,
      },
    );
  }
  if (homePartition !== undefined && info.partition !== homePartition) {
    return at.diagnostic(
      "cross-partition-region",
      segments,
      `region '${region}' is in partition ${info.partition}, the home region in ${homePartition}`,
      {
        severity: "warning",
        hint: "a configuration distributes within its own partition; give this region its own configuration with a home region there",
      },
    );
  }
  return undefined;
}

/** The document's regions: its home region (its own `region`, else the ARN's) and each distribution's. */
export function regionDiagnostics(validated: ValidatedDocument, at: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { document } = validated;
  if (document.region !== undefined) {
    const home = regionDiagnostic(document.region, ["region"], at);
    if (home !== undefined) out.push(home);
  } else if (validated.distributionConfigurationArn !== undefined) {
    const home = regionDiagnostic(validated.region, ["distributionConfigurationArn"], at);
    if (home !== undefined) out.push(home);
  }
  const homePartition = partitionOf(validated.region);
  document.distributions.forEach((distribution, i) => {
    const found = regionDiagnostic(distribution.region, ["distributions", i, "region"], at, homePartition);
    if (found !== undefined) out.push(found);
  });
  return out;
}
