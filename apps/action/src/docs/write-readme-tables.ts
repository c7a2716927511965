/** `pnpm action:docs`: rewrites the README's input/output tables from apps/action/action.yml. */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { updateReadmeTables } from "./action-docs.js";

const readmePath = fileURLToPath(new URL("../../../../README.md", import.meta.url));
const actionYmlPath = fileURLToPath(new URL("../../action.yml", import.meta.url));

const readme = await readFile(readmePath, "utf8");
const updated = updateReadmeTables(readme, await readFile(actionYmlPath, "utf8"));
if (updated.problems.length > 0) {
  console.error(updated.problems.join("\n"));
  process.exitCode = 1;
} else if (updated.text === readme) {
  console.log("README.md: action tables already up to date");
} else {
  await writeFile(readmePath, updated.text);
  console.log("README.md: action tables rewritten from action.yml");
}
