/** What a validated document becomes: the plan's desired configuration and preflight's located one. */
import { parseDistributionConfigurationArn } from "./arn.js";
import type { DesiredConfiguration } from "./plan/plan-model.js";
import type { PreflightConfiguration } from "./preflight/preflight-model.js";
import type { ValidatedDocument } from "./validate/validation-model.js";

/** One validated document as the plan's input; `source` is its file, relative to the root. */
export function toDesiredConfiguration(validated: ValidatedDocument): DesiredConfiguration {
  const { document } = validated;
  const desired: DesiredConfiguration = {
    name: document.name,
    region: validated.region,
    distributions: document.distributions,
    source: validated.file,
    kind: validated.kind,
  };
  if (document.description !== undefined) desired.description = document.description;
  if (document.tags !== undefined) desired.tags = document.tags;
  if (validated.accountSetOf !== undefined) desired.accountSetOf = validated.accountSetOf;
  if (validated.distributionConfigurationArn !== undefined) {
    desired.arn = validated.distributionConfigurationArn;
    const parsed = parseDistributionConfigurationArn(validated.distributionConfigurationArn);
    if (parsed.ok && parsed.arn.accountId !== "aws") desired.accountId = parsed.arn.accountId;
  }
  return desired;
}

/** One validated document as preflight sees it: located, with its account lists expanded. */
export function toPreflightConfiguration(validated: ValidatedDocument): PreflightConfiguration {
  const desired = toDesiredConfiguration(validated);
  return {
    name: desired.name,
    region: desired.region,
    accountId: desired.accountId,
    file: validated.file,
    line: validated.line,
    column: validated.column,
    positions: validated.positions ?? new Map(),
    distributions: validated.document.distributions,
  };
}
