// Turns config file contents into core's validated, desired configurations.
import {
  type AccountSets,
  type ConfigFile,
  ConfigValidation,
  type DesiredConfiguration,
  type Diagnostic,
  type Policy,
  type PreflightConfiguration,
  parseDistributionConfigurationArn,
  type ValidatedDocument,
} from "@waybill/core";

/** Longest stretch of validation without letting other work (a List's HTTP exchange) run, ms. */
const sliceMs = 5;

/**
 * Validates the files with core and converts what passed into `DesiredConfiguration`s. With
 * `onHomeRegion`, it is told each passed document's home region as soon as that document passes,
 * and yields to the event loop every few milliseconds so that what it starts (Lists) gets going.
 */
export async function validateConfigTexts(
  files: readonly ConfigFile[],
  options: {
    defaultRegion?: string | undefined;
    policy: Policy;
    accountSets?: AccountSets | undefined;
    onHomeRegion?: ((region: string) => void) | undefined;
  },
): Promise<{
  diagnostics: Diagnostic[];
  configurations: DesiredConfiguration[];
  located: PreflightConfiguration[];
}> {
  const validation = new ConfigValidation({
    policy: options.policy,
    ...(options.defaultRegion ? { defaultRegion: options.defaultRegion } : {}),
    ...(options.accountSets ? { accountSets: options.accountSets } : {}),
  });
  const { onHomeRegion } = options;
  let sliceStart = performance.now();
  for (const file of files) {
    const passed = validation.add(file);
    if (onHomeRegion === undefined) continue;
    for (const document of passed) onHomeRegion(document.region);
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  const result = validation.finish();
  if (!result.ok) return { diagnostics: result.diagnostics, configurations: [], located: [] };
  return {
    diagnostics: result.diagnostics,
    configurations: result.documents.map(toDesiredConfiguration),
    located: result.documents.map(toPreflightConfiguration),
  };
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
