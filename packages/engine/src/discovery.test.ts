import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { findConfigFiles, findRepositoryRoot } from "./discovery.js";
import { defaultConfigGlobs } from "./settings.js";

const root = join(import.meta.dirname, "fixtures", "discovery");

describe("findConfigFiles", () => {
  test("the default globs find YAML and JSON under waybill/, sorted", async () => {
    expect(await findConfigFiles({ root, globs: defaultConfigGlobs })).toEqual({
      ok: true,
      files: ["waybill/team-a/api.yml", "waybill/team-a/legacy.json", "waybill/web.yaml"],
    });
  });

  test("named files and directories replace the globs", async () => {
    const result = await findConfigFiles({
      root,
      globs: defaultConfigGlobs,
      paths: ["other/extra.yaml", "waybill/team-a", join(root, "waybill/web.yaml")],
    });
    expect(result).toEqual({
      ok: true,
      files: ["other/extra.yaml", "waybill/team-a/api.yml", "waybill/team-a/legacy.json", "waybill/web.yaml"],
    });
  });

  test("a named path that does not exist is a diagnostic", async () => {
    const result = await findConfigFiles({
      root,
      globs: defaultConfigGlobs,
      paths: ["nope.yaml", "waybill/web.yaml"],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.files).toEqual(["waybill/web.yaml"]);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ file: "nope.yaml", code: "file-not-found" }),
    ]);
  });
});

describe("findRepositoryRoot", () => {
  test("the nearest directory upward with waybill.config.yaml, else with .git, else the start", async () => {
    const base = await mkdtemp(join(tmpdir(), "waybill-root-"));
    await mkdir(join(base, "repo", ".git"), { recursive: true });
    await mkdir(join(base, "repo", "estate", "waybill", "eu"), { recursive: true });
    await mkdir(join(base, "repo", "plain", "deep"), { recursive: true });
    await mkdir(join(base, "alone", "deep"), { recursive: true });
    await writeFile(join(base, "repo", "estate", "waybill.config.yaml"), "stack: x\n");
    expect(await findRepositoryRoot(join(base, "repo", "estate", "waybill", "eu"))).toBe(
      join(base, "repo", "estate"),
    );
    expect(await findRepositoryRoot(join(base, "repo", "estate"))).toBe(join(base, "repo", "estate"));
    expect(await findRepositoryRoot(join(base, "repo", "plain", "deep"))).toBe(join(base, "repo"));
    expect(await findRepositoryRoot(join(base, "alone", "deep"))).toBe(join(base, "alone", "deep"));
  });
});
