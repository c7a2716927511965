// Releases are made with changesets (docs/releasing.md): the pending changesets are valid, every
// package (the Action too) moves to one version together, and `changeset version` writes each
// package's CHANGELOG.md. Run on a copy of the manifests and changesets, never on the tree itself.
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";

const root = fileURLToPath(new URL("../..", import.meta.url));
const copy = mkdtempSync(join(tmpdir(), "waybill-release-"));
const packageDirectories = ["packages", "apps"].flatMap((parent) =>
  readdirSync(join(root, parent)).map((name) => `${parent}/${name}`),
);
const manifest = (base: string, directory: string) =>
  JSON.parse(readFileSync(join(base, directory, "package.json"), "utf8")) as {
    name: string;
    version: string;
  };

beforeAll(async () => {
  for (const file of ["package.json", "pnpm-workspace.yaml"]) cpSync(join(root, file), join(copy, file));
  cpSync(join(root, ".changeset"), join(copy, ".changeset"), { recursive: true });
  for (const directory of packageDirectories) {
    mkdirSync(join(copy, directory), { recursive: true });
    cpSync(join(root, directory, "package.json"), join(copy, directory, "package.json"));
  }
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"), "dir");
  await promisify(execFile)(
    process.execPath,
    [join(root, "node_modules/@changesets/cli/bin.js"), "version"],
    {
      cwd: copy,
      env: { ...process.env, CI: "true" },
    },
  );
}, 120_000);

afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe("changeset version", () => {
  test("there is a pending changeset (the first release's, until it is released)", () => {
    const pending = readdirSync(join(root, ".changeset")).filter(
      (name) => name.endsWith(".md") && name !== "README.md",
    );
    expect(pending.length).toBeGreaterThan(0);
  });

  test("moves every package, the Action included, to one new version", () => {
    const before = packageDirectories.map((directory) => manifest(root, directory));
    const after = packageDirectories.map((directory) => manifest(copy, directory));
    const versions = new Set(after.map((pkg) => pkg.version));
    expect(versions.size).toBe(1);
    expect(after.map((pkg) => pkg.name)).toEqual(before.map((pkg) => pkg.name));
    for (const [index, pkg] of after.entries()) expect(pkg.version).not.toBe(before[index]?.version);
  });

  test("writes a CHANGELOG.md per package with the new version's notes, and consumes the changesets", () => {
    for (const directory of packageDirectories) {
      const { name, version } = manifest(copy, directory);
      const changelog = readFileSync(join(copy, directory, "CHANGELOG.md"), "utf8");
      expect(changelog).toMatch(
        new RegExp(`^# ${name.replace("/", "\\/")}\\n\\n## ${version.replace(/\./g, "\\.")}\\n`),
      );
    }
    expect(readdirSync(join(copy, ".changeset")).filter((name) => name.endsWith(".md"))).toEqual([
      "README.md",
    ]);
  });
});

describe("release.yml", () => {
  const release = parse(readFileSync(join(root, ".github/workflows/release.yml"), "utf8"));
  const job = release.jobs.release;
  const steps = job.steps as {
    uses?: string;
    run?: string;
    with?: Record<string, string>;
    env?: Record<string, string>;
  }[];

  test("runs only after CI passed on a push to main", () => {
    expect(release.on.workflow_run).toEqual({ workflows: ["ci"], types: ["completed"], branches: ["main"] });
    expect(job.if).toContain("github.event.workflow_run.conclusion == 'success'");
  });

  test("publishes with changesets and npm provenance, then moves the Action's v<major> tag", () => {
    const changesets = steps.find((step) => step.uses?.startsWith("changesets/action@"));
    const scripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts;
    expect(changesets?.with?.publish).toBe("pnpm run release");
    expect(scripts.release).toMatch(/changeset publish$/);
    expect(scripts["version-packages"]).toMatch(/^changeset version/);
    expect(job.permissions["id-token"]).toBe("write");
    expect(changesets?.env?.NPM_CONFIG_PROVENANCE).toBe("true");
    expect(steps.at(-1)?.run).toMatch(/git push --force origin "refs\/tags\/v\$\{major\}"/);
  });
});
