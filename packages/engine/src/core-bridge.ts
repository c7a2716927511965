// Turns config file contents into core's validated, desired configurations.
import {
  type ConfigFile,
  type DesiredConfiguration,
  type Diagnostic,
  type Policy,
  parseDistributionConfigurationArn,
  type ValidatedDocument,
  validateConfigFiles,
} from "@waybill/core";

/** Validates the files with core and converts what passed into `DesiredConfiguration`s. */
export function validateConfigTexts(
  files: readonly ConfigFile[],
  options: { defaultRegion?: string | undefined; policy: Policy },
): { diagnostics: Diagnostic[]; configurations: DesiredConfiguration[] } {
  const result = validateConfigFiles(files, {
    policy: options.policy,
    ...(options.defaultRegion ? { defaultRegion: options.defaultRegion } : {}),
  });
  if (!result.ok) return { diagnostics: result.diagnostics, configurations: [] };
  return { diagnostics: result.diagnostics, configurations: result.documents.map(toDesiredConfiguration) };
}

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
  if (validated.distributionConfigurationArn !== undefined) {
    desired.arn = validated.distributionConfigurationArn;
    const parsed = parseDistributionConfigurationArn(validated.distributionConfigurationArn);
    if (parsed.ok && parsed.arn.accountId !== "aws") desired.accountId = parsed.arn.accountId;
  }
  return desired;
}
