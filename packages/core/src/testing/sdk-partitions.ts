/**
 * The partition metadata the installed AWS SDK ships (Node only: tests and the regions:write
 * script). @aws-sdk/core keeps it in a module its package exports do not expose, so it is read as
 * text from the copy the pinned @aws-sdk/client-imagebuilder resolves.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export interface PartitionsData {
  /** Where the data came from: package and version. */
  source: string;
  partitions: { id: string; regionRegex: string; regions: string[] }[];
}

export function sdkPartitions(): PartitionsData {
  const fromCore = createRequire(import.meta.url);
  const fromClient = createRequire(fromCore.resolve("@aws-sdk/client-imagebuilder"));
  const packageJson = fromClient.resolve("@aws-sdk/core/package.json");
  const { version } = JSON.parse(readFileSync(packageJson, "utf8")) as { version: string };
  const module = readFileSync(
    join(dirname(packageJson), "dist-es/submodules/client/util-endpoints/lib/aws/partitions.js"),
    "utf8",
  );
  const json = module.replace(/^[\s\S]*?export const partitionsInfo = /, "").replace(/;\s*$/, "");
  const info = JSON.parse(json) as {
    partitions: { id: string; regionRegex: string; regions: Record<string, unknown> }[];
  };
  return {
    source: `@aws-sdk/core ${version} (util-endpoints partitionsInfo)`,
    partitions: info.partitions.map((p) => ({
      id: p.id,
      regionRegex: p.regionRegex,
      // Global pseudo-regions (aws-global, aws-cn-global, ...) are endpoints, not regions.
      regions: Object.keys(p.regions)
        .filter((region) => !region.endsWith("-global"))
        .sort(),
    })),
  };
}

/** The JSON text core commits as src/aws-partitions.json. */
export function sdkPartitionsText(): string {
  return `${JSON.stringify(sdkPartitions(), null, 2)}\n`;
}
