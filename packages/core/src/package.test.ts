// The packed tarball installs into an empty project outside the workspace and works from plain
// Node (ESM) with its types. Slow: it builds, packs and runs npm install.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fixturePath } from "./testing/documents.js";

const packageRoot = fileURLToPath(new URL("..", import.meta.url));
const workDirectory = mkdtempSync(join(tmpdir(), "waybill-core-pack-"));
const project = join(workDirectory, "consumer");

function newestSource(directory: string): number {
  return Math.max(
    ...readdirSync(directory, { withFileTypes: true }).map((entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return entry.name === "fixtures" ? 0 : newestSource(path);
      return entry.name.endsWith(".ts") ? statSync(path).mtimeMs : 0;
    }),
  );
}

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

beforeAll(() => {
  const built = (() => {
    try {
      return statSync(join(packageRoot, "dist/index.js")).mtimeMs;
    } catch {
      return 0;
    }
  })();
  if (built < newestSource(join(packageRoot, "src"))) run("pnpm", ["run", "build"], packageRoot);
  run("pnpm", ["pack", "--pack-destination", workDirectory], packageRoot);
  const tarball = readdirSync(workDirectory).find((name) => name.endsWith(".tgz"));
  if (tarball === undefined) throw new Error("pnpm pack wrote no tarball");
  mkdirSync(project);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  run(
    "npm",
    ["install", join(workDirectory, tarball), "--prefer-offline", "--no-audit", "--no-fund"],
    project,
  );
  for (const file of ["consumer.mjs", "consumer.ts", "tsconfig.json"]) {
    copyFileSync(fixturePath(`consumer/${file}`), join(project, file));
  }
}, 180_000);

afterAll(() => rmSync(workDirectory, { recursive: true, force: true }));

describe("the packed @waybill/core", () => {
  test("works from plain Node ESM", () => {
    const output = JSON.parse(run(process.execPath, ["consumer.mjs"], project)) as Record<string, unknown>;
    expect(output).toEqual({
      invalid: ["web.yaml:8:7 unknown-key did you mean 'launchPermission'?"],
      valid: [["Web Base", "us-west-2", "create"]],
      arn: "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/web-base",
      name: "web-base 2026-11-23T10-15-30.123Z",
      schemaTitle: "DistributionConfigurationFile",
    });
  });

  test("ships its types: a TypeScript consumer type-checks", () => {
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    expect(run(process.execPath, [tsc, "-p", "tsconfig.json"], project)).toBe("");
  });

  test("ships no tests or fixtures", () => {
    const files = readdirSync(join(project, "node_modules/@waybill/core"), {
      recursive: true,
      encoding: "utf8",
    });
    expect(files).toContain("distribution-configuration.schema.json");
    expect(files.filter((f) => /\.test\.|fixtures|testing/.test(f))).toEqual([]);
  });
});
