/**
 * AWS regions as the AWS SDK knows them, by partition. The list is the SDK's own partition
 * metadata (@aws-sdk/core's util-endpoints `partitionsInfo`), copied into aws-partitions.json by
 * `pnpm --filter @waybill/core regions:write`; a test fails when the copy differs from the
 * installed SDK's. Data only: core stays free of I/O and runs in a browser.
 */
import partitionsData from "./aws-partitions.json" with { type: "json" };
import { editDistance } from "./suggest.js";

interface Partition {
  id: string;
  regionRegex: string;
  regions: string[];
}

const partitions: readonly Partition[] = partitionsData.partitions;
const partitionOfKnown = new Map<string, string>(
  partitions.flatMap((p) => p.regions.map((region): [string, string] => [region, p.id])),
);
const partitionPatterns = partitions.map((p) => ({ id: p.id, regex: new RegExp(p.regionRegex) }));

/**
 * A well-formed region code: two to four lower-case letters, one or more lower-case words, a
 * number (`us-west-2`, `us-gov-west-1`, `eusc-de-east-1`). The service refuses anything else
 * ("The region '...' is not a valid region."); the emulator checks the same shape.
 */
export const regionPattern = /^[a-z]{2,4}(?:-[a-z]+)+-[0-9]+$/;

/** What core knows of a region code. */
export type RegionInfo =
  /** A region the SDK lists, in its partition (`aws`, `aws-cn`, `aws-us-gov`, ...). */
  | { kind: "known"; partition: string }
  /** Well-formed but not listed (a region newer than the SDK, or a slip like `eu-west-9`). */
  | { kind: "unlisted"; partition?: string; suggestions: string[] }
  /** Not a region code (`us-east1`, `US-EAST-1`, `us-east-1a`). */
  | { kind: "malformed"; suggestions: string[] };

/** Every region the SDK lists, sorted. */
export function knownRegions(): string[] {
  return [...partitionOfKnown.keys()].sort();
}

/** Classifies a region code, with the nearest known regions for one that is not known. */
export function regionInfo(region: string): RegionInfo {
  const partition = partitionOfKnown.get(region);
  if (partition !== undefined) return { kind: "known", partition };
  if (regionPattern.test(region)) {
    const matching = partitionPatterns.find((p) => p.regex.test(region))?.id;
    const inPartition = partitions.find((p) => p.id === matching)?.regions;
    return {
      kind: "unlisted",
      ...(matching === undefined ? {} : { partition: matching }),
      suggestions: nearestRegions(region, inPartition),
    };
  }
  return { kind: "malformed", suggestions: nearestRegions(region) };
}

/** The partition of a known or well-formed region (by the SDK's patterns), if any. */
export function partitionOf(region: string): string | undefined {
  const info = regionInfo(region);
  return info.kind === "malformed" ? undefined : info.partition;
}

function compact(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/**
 * The known regions nearest a region code: the same letters and digits in another case or with
 * other separators (`US-EAST-1`, `us-east1`, `useast-1` → `us-east-1`), an Availability Zone's
 * region (`us-east-1a` → `us-east-1`), else those at the smallest edit distance (at most 3), up
 * to three. `among` narrows the candidates (a partition's regions).
 */
export function nearestRegions(text: string, among: readonly string[] = knownRegions()): string[] {
  const known = among;
  const wanted = compact(text);
  const same = known.filter((region) => compact(region) === wanted);
  if (same.length > 0) return same;
  const zone = /^(.*[0-9])[a-z]$/i.exec(text.trim());
  if (zone?.[1] !== undefined) {
    const region = known.filter((r) => compact(r) === compact(zone[1] as string));
    if (region.length > 0) return region;
  }
  let best = Number.POSITIVE_INFINITY;
  let nearest: string[] = [];
  for (const region of known) {
    const distance = editDistance(text.toLowerCase(), region);
    if (distance < best) {
      best = distance;
      nearest = [region];
    } else if (distance === best) nearest.push(region);
  }
  return best <= 3 ? nearest.slice(0, 3) : [];
}

/** `'us-east-1'`, `'eu-west-1' or 'eu-west-2'`, ... for hints. */
export function formatRegionSuggestions(suggestions: readonly string[]): string {
  const quoted = suggestions.map((s) => `'${s}'`);
  return quoted.length <= 1 ? (quoted[0] ?? "") : `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`;
}
