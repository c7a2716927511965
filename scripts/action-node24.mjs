// Runs the bundled GitHub Action (apps/action/dist) under Node 24, the version GitHub runs
// `using: node24` actions with: the end-to-end suite and the smoke test (bundle.smoke.test.ts), with
// WAYBILL_ACTION_NODE pointing at Node 24. Node 24 comes from the npm registry's
// node-<platform>-<arch>@24 package, installed once into node_modules/.cache/node24.
// Fails (exit 1) when Node 24 cannot be installed or run: never skips.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const MAJOR = 24;
const root = fileURLToPath(new URL("..", import.meta.url));
const cache = join(root, "node_modules", ".cache", `node${MAJOR}`);
const platform = process.platform === "win32" ? "win" : process.platform;
const packageName = `node-${platform}-${process.arch}`;
const packageDir = join(cache, "node_modules", packageName);
const candidates = [
  join(packageDir, "bin", "node"),
  join(packageDir, "node.exe"),
  join(packageDir, "bin", "node.exe"),
];

function fail(message) {
  console.error(`action-node24: ${message}`);
  process.exit(1);
}

function versionOf(binary) {
  const result = spawnSync(binary, ["-e", "process.stdout.write(process.version)"], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function installedNode() {
  const binary = candidates.find((candidate) => existsSync(candidate));
  if (binary === undefined) return undefined;
  return versionOf(binary)?.startsWith(`v${MAJOR}.`) ? binary : undefined;
}

let node = installedNode();
if (node === undefined) {
  console.log(`action-node24: installing ${packageName}@${MAJOR} into ${cache} (once)`);
  mkdirSync(cache, { recursive: true });
  const npm = spawnSync(
    "npm",
    ["install", "--prefix", cache, "--no-audit", "--no-fund", "--loglevel=error", `${packageName}@${MAJOR}`],
    { stdio: "inherit", shell: process.platform === "win32" },
  );
  if (npm.status !== 0)
    fail(`npm install ${packageName}@${MAJOR} failed (exit ${npm.status ?? npm.signal}).`);
  node = installedNode();
  if (node === undefined)
    fail(`${packageName}@${MAJOR} installed, but no Node ${MAJOR} binary runs from ${packageDir}.`);
}
console.log(
  `action-node24: running the bundle's end-to-end and smoke tests with ${versionOf(node)} (${node})`,
);

const env = { ...process.env, WAYBILL_ACTION_NODE: node, WAYBILL_ACTION_NODE_MAJOR: String(MAJOR) };
// --reporter=default: leave the JSON report of the main run (read by scripts/test-summary.mjs) alone.
const runs = [
  ["apps/action/src/bundle/bundle.e2e.test.ts"],
  ["apps/action/src/bundle/bundle.preflight.e2e.test.ts"],
  ["apps/action/src/bundle/bundle.smoke.test.ts"],
];
for (const args of runs) {
  const result = spawnSync(
    "pnpm",
    ["exec", "vitest", "run", ...args, "--reporter=default", "--typecheck.enabled=false"],
    {
      cwd: root,
      env,
      stdio: "inherit",
      shell: process.platform === "win32",
    },
  );
  if (result.status !== 0)
    fail(`vitest ${args[0]} under Node ${MAJOR} failed (exit ${result.status ?? result.signal}).`);
}
