// Turns config file contents into core's validated, desired configurations.
import {
  type AccountSets,
  type ConfigFile,
  ConfigValidation,
  type DesiredConfiguration,
  type Diagnostic,
  type Policy,
  type PreflightConfiguration,
  toDesiredConfiguration,
  toPreflightConfiguration,
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
