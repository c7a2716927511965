/** Which live state a run reads, and which of it a summary can stand for: pure decisions the engine's reads follow. */
import { accountFromArn, arnResourceName } from "../arn.js";
import { trustedLiveConfiguration } from "./applied-record.js";
import type { JsonValue } from "./canonical-json.js";
import { type DesiredConfiguration, type LiveConfiguration, MANAGED_BY_TAG } from "./plan-model.js";

/** The settings a live scope depends on: the stack, and the regions listed or defaulted. */
export interface ScopeSettings {
  stack: string;
  regions?: readonly string[] | undefined;
  defaultRegion?: string | undefined;
}

/**
 * What a run reads of live state, decided once, from the run's desired configurations, files and
 * settings, for planning and for re-checking a saved plan alike:
 *
 * - `regions`: the desired configurations' home regions, the settings' `regions` and the default
 *   region (a region whose every file was removed is only seen, and pruned, when it is one of the
 *   latter two);
 * - `isWanted`: a configuration that shares a desired one's home region and name, or its ARN (an
 *   update request's); these and the stack's managed configurations are read in full (one Get
 *   each), the others cost nothing beyond List;
 * - `files`: the run's files, which decide which managed configurations are in scope;
 * - `fingerprint`: all of it as JSON, which the plan's fingerprint includes.
 */
export interface LiveScope {
  stack: string;
  regions: string[];
  files: readonly string[];
  isWanted(region: string, summary: { name?: string | undefined; arn?: string | undefined }): boolean;
  fingerprint: JsonValue;
}

/** What List says of a configuration, as the SDK types it (every member optional). */
export interface ListedSummary {
  arn?: string | undefined;
  name?: string | undefined;
  dateCreated?: string | undefined;
  dateUpdated?: string | undefined;
  tags?: Record<string, string> | undefined;
}

/** The live scope of a run over `files` (see {@link LiveScope}). */
export function selectLiveScope(
  desired: readonly DesiredConfiguration[],
  files: readonly string[],
  settings: ScopeSettings,
): LiveScope {
  const regions = homeRegions(
    desired.map((configuration) => configuration.region),
    settings,
  );
  const wanted = new Set(
    desired.map((configuration) => identityKey(configuration.region, configuration.name)),
  );
  const wantedArns = new Set(
    desired.flatMap((configuration) => (configuration.arn ? [configuration.arn.toLowerCase()] : [])),
  );
  return {
    stack: settings.stack,
    regions,
    files,
    isWanted: (region, summary) =>
      wanted.has(identityKey(region, summary.name ?? "")) ||
      wantedArns.has((summary.arn ?? "").toLowerCase()),
    fingerprint: {
      regions,
      files: [...files].sort(),
      wanted: [...wanted].sort(),
      wantedArns: [...wantedArns].sort(),
    },
  };
}

/**
 * Which summaries stand for their configuration without a Get: those of this stack whose one
 * desired configuration's content matches the `waybill:applied` record under the summary's ARN
 * and dates ({@link trustedLiveConfiguration}). A name two files claim is always read.
 */
export function trustedFromRecords(
  desired: readonly DesiredConfiguration[],
  stack: string,
  knownAccountId: string | undefined,
): (summary: ListedSummary, region: string) => LiveConfiguration | undefined {
  const byIdentity = new Map<string, DesiredConfiguration | null>();
  for (const configuration of desired) {
    const key = identityKey(configuration.region, configuration.name);
    byIdentity.set(key, byIdentity.has(key) ? null : configuration);
  }
  return (summary, region) => {
    if (summary.tags?.[MANAGED_BY_TAG] !== stack || !summary.arn || summary.name === undefined)
      return undefined;
    const configuration = byIdentity.get(identityKey(region, summary.name));
    if (!configuration || configuration.name !== summary.name) return undefined;
    const accountId = accountFromArn(summary.arn) ?? knownAccountId;
    if (accountId === undefined) return undefined;
    return trustedLiveConfiguration(
      configuration,
      {
        arn: summary.arn,
        name: summary.name,
        dateCreated: summary.dateCreated,
        dateUpdated: summary.dateUpdated,
        tags: summary.tags,
      },
      { region, accountId },
    );
  };
}

/** The home regions in play: those given, the settings' `regions` and the default region, sorted, once each. */
export function homeRegions(
  regions: readonly string[],
  settings: Pick<ScopeSettings, "regions" | "defaultRegion">,
): string[] {
  return [
    ...new Set([
      ...regions,
      ...(settings.regions ?? []),
      ...(settings.defaultRegion ? [settings.defaultRegion] : []),
    ]),
  ].sort();
}

function identityKey(region: string, name: string): string {
  return `${region}/${arnResourceName(name)}`;
}
