/** `pnpm api:docs`: writes each package README's "## API" section from the package's entry points. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { documentedPackages, readApi, renderApiSection, withApiSection } from "./api-table.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const only = process.argv.slice(2);
for (const dir of documentedPackages) {
  if (only.length > 0 && !only.some((name) => dir.endsWith(name))) continue;
  const packageDir = join(root, dir);
  const name = (JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { name: string }).name;
  const readmePath = join(packageDir, "README.md");
  const readme = readFileSync(readmePath, "utf8");
  const updated = withApiSection(readme, renderApiSection(name, readApi(packageDir)));
  if (updated !== readme) {
    writeFileSync(readmePath, updated);
    console.log(`api:docs: ${dir}/README.md updated`);
  }
}
