// Synthetic configuration estates for the benchmarks: N realistic configurations over R home regions.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

export const benchRegions = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"] as const;

/** The YAML text of configuration `index` (home region chosen round-robin over `regionCount`). */
export function configurationYaml(index: number, regionCount: number): string {
  const homeIndex = index % regionCount;
  const home = benchRegions[homeIndex] ?? "us-east-1";
  const other = benchRegions[(homeIndex + 1) % benchRegions.length] ?? "eu-west-1";
  const name = `bench-${String(index).padStart(5, "0")}`;
  return `name: ${name}
region: ${home}
description: Golden AMI ${index} for the benchmark estate
distributions:
  - region: ${home}
    amiDistributionConfiguration:
      name: "${name} {{imagebuilder:buildDate}}"
      description: Built by the benchmark
      amiTags:
        team: platform
      launchPermission:
        userIds: ["111111111111", "222222222222"]
  - region: ${other}
    amiDistributionConfiguration:
      name: "${name} {{ imagebuilder:buildDate }}"
      targetAccountIds: ["111111111111"]
tags:
  team: platform
  cost-center: "${1000 + (index % 7)}"
`;
}

/** Writes a configuration repository with `count` files under waybill/ and returns nothing. */
export async function writeEstate(root: string, count: number, regionCount: number): Promise<void> {
  await mkdir(join(root, "waybill"), { recursive: true });
  await writeFile(join(root, "waybill.config.yaml"), `stack: bench\ndefaultRegion: ${benchRegions[0]}\n`);
  const writes: Promise<void>[] = [];
  for (let index = 0; index < count; index += 1) {
    writes.push(
      writeFile(join(root, "waybill", `bench-${index}.yaml`), configurationYaml(index, regionCount)),
    );
  }
  await Promise.all(writes);
}

/** How many of `count` configurations land in each of the first `regionCount` regions. */
export function perRegionCounts(count: number, regionCount: number): number[] {
  return Array.from(
    { length: regionCount },
    (_, region) => Math.floor(count / regionCount) + (region < count % regionCount ? 1 : 0),
  );
}
