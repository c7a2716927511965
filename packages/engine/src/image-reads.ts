// Which pipelines and images a run reads (unless settings say no), and where a blocked delete's error points.
import { type AwsAccess, type ImageReadDenied, readImageFacts } from "@waybill/aws";
import {
  type Diagnostic,
  type ImageFacts,
  isRolloutConfiguration,
  type LiveConfiguration,
  MANAGED_BY_TAG,
  type PruneLocation,
} from "@waybill/core";
import { type Settings, settingsFileName } from "./settings.js";

/** A denied read of pipelines or images: a warning naming the permission, never a failure. */
function deniedWarning(denied: ImageReadDenied): Diagnostic {
  return {
    file: "",
    line: 1,
    column: 1,
    path: "",
    severity: "warning",
    code: "images-read-denied",
    message: `image pipelines were not read in ${denied.region}: the credentials lack ${denied.permission}; the plan says nothing of the pipelines there (${denied.message})`,
    hint: `allow ${denied.permission} (docs/rollout.md lists what Waybill reads), or set images.read: false`,
  };
}

/**
 * The managed configurations of the stack in live state: those whose pipelines a run reads. A
 * rollout's temporary configurations are not among them (no pipeline uses one).
 */
export function managed(live: readonly LiveConfiguration[], stack: string): LiveConfiguration[] {
  return live.filter(
    (configuration) => configuration.tags[MANAGED_BY_TAG] === stack && !isRolloutConfiguration(configuration),
  );
}

/**
 * Reads the pipelines (and their latest images) of the managed configurations in `live`, unless
 * the settings say `images.read: false`. Denied reads become warnings.
 */
export async function readImages(
  aws: AwsAccess,
  settings: Settings,
  live: readonly LiveConfiguration[],
  /** Whose pipelines' images to read (by configuration ARN); default every one's. */
  readImagesOf?: (configurationArn: string) => boolean,
): Promise<{ facts: ImageFacts | undefined; diagnostics: Diagnostic[] }> {
  if (settings.images?.read === false) return { facts: undefined, diagnostics: [] };
  const configurations = managed(live, settings.stack);
  if (configurations.length === 0) return { facts: { pipelines: [] }, diagnostics: [] };
  const result = await readImageFacts({
    configurations,
    clientFor: (region) => aws.clientFor(region),
    concurrency: settings.concurrency,
    ...(readImagesOf === undefined ? {} : { readImagesOf }),
  });
  return { facts: result.facts, diagnostics: result.denied.map(deniedWarning) };
}

/** Where a blocked delete's error points: `prune` in the settings file, else the flag or input. */
export function pruneLocation(settings: Settings): PruneLocation {
  if (settings.prunePosition !== undefined)
    return { file: settingsFileName, ...settings.prunePosition, how: `prune: true in ${settingsFileName}` };
  return { file: "", line: 1, column: 1, how: "prune was asked for (--prune, or the Action's prune input)" };
}
