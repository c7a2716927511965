import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultPolicy } from "@waybill/core";
import { describe, expect, test } from "vitest";
import { findConfigFiles, findRepositoryRoot, readConfigFiles } from "./discovery.js";
import { validateRepository } from "./repository.js";
import { defaultConfigGlobs, defaultStack, loadSettings, type Settings } from "./settings.js";

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

/** A repository in a temp directory, with a secret file beside it (outside its root). */
async function repositoryWithSecret() {
  const base = await mkdtemp(join(tmpdir(), "waybill-links-"));
  const root = join(base, "repo");
  const secret = "GITHUB_TOKEN=ghs_thisMustNeverBePrinted";
  await mkdir(join(root, "waybill"), { recursive: true });
  await mkdir(join(base, "outside", "nested"), { recursive: true });
  await writeFile(join(base, "outside", "environ.yaml"), `${secret}\n`);
  await writeFile(join(base, "outside", "nested", "more.yaml"), `${secret}\n`);
  await writeFile(join(root, "waybill", "web.yaml"), "name: web\n");
  return { base, root, secret };
}

const settings = (paths = defaultConfigGlobs): Settings => ({
  stack: defaultStack,
  paths,
  policy: defaultPolicy,
  concurrency: 1,
  prune: true,
  adopt: false,
});

describe("symbolic links are never followed", () => {
  test("a linked file or directory the globs reach is refused, and nothing behind it is read", async () => {
    const { base, root, secret } = await repositoryWithSecret();
    await symlink(join(base, "outside", "environ.yaml"), join(root, "waybill", "x.yaml"));
    await symlink(join(base, "outside"), join(root, "waybill", "team"));
    // A link the globs cannot match is left alone.
    await symlink(join(base, "outside"), join(root, "elsewhere"));
    const result = await findConfigFiles({ root, globs: defaultConfigGlobs });
    expect(result).toEqual({
      ok: false,
      files: ["waybill/web.yaml"],
      diagnostics: [
        expect.objectContaining({ file: "waybill/team", code: "symlink-refused", severity: "error" }),
        expect.objectContaining({ file: "waybill/x.yaml", code: "symlink-refused", severity: "error" }),
      ],
    });

    const report = await validateRepository({ root, settings: settings() });
    expect(report.ok).toBe(false);
    expect(report.files).toEqual(["waybill/web.yaml"]);
    expect(report.diagnostics.map((d) => d.code)).toContain("symlink-refused");
    expect(JSON.stringify(report)).not.toContain("ghs_");
    expect(JSON.stringify(report)).not.toContain(secret);
  });

  test("a globs' base directory that is a link is refused", async () => {
    const { base, secret } = await repositoryWithSecret();
    const linked = join(base, "linked-repo");
    await mkdir(linked);
    await symlink(join(base, "outside"), join(linked, "waybill"));
    const result = await findConfigFiles({ root: linked, globs: defaultConfigGlobs });
    expect(result.ok).toBe(false);
    expect(result.files).toEqual([]);
    expect(result.ok ? [] : result.diagnostics.map((d) => [d.file, d.code])).toEqual([
      ["waybill/environ.yaml", "symlink-refused"],
      ["waybill/nested/more.yaml", "symlink-refused"],
    ]);
    const report = await validateRepository({ root: linked, settings: settings() });
    expect(JSON.stringify(report)).not.toContain(secret);
  });

  test("a named link, a named path through a link and a named path outside the root are refused", async () => {
    const { base, root, secret } = await repositoryWithSecret();
    await symlink(join(base, "outside", "environ.yaml"), join(root, "waybill", "x.yaml"));
    await symlink(join(base, "outside"), join(root, "waybill", "team"));
    const result = await findConfigFiles({
      root,
      globs: defaultConfigGlobs,
      paths: ["waybill/x.yaml", "waybill/team", "waybill/team/nested/more.yaml", "../outside/environ.yaml"],
    });
    expect(result.ok ? [] : result.diagnostics.map((d) => [d.file, d.code])).toEqual([
      ["../outside/environ.yaml", "outside-root"],
      ["waybill/team", "symlink-refused"],
      ["waybill/team/nested/more.yaml", "symlink-refused"],
      ["waybill/x.yaml", "symlink-refused"],
    ]);
    expect(result.files).toEqual([]);
    const report = await validateRepository({
      root,
      settings: settings(),
      paths: ["waybill/x.yaml", "../outside/environ.yaml"],
    });
    expect(JSON.stringify(report)).not.toContain(secret);
  });

  test("a link inside the root to a file inside the root is refused too (it would be read twice)", async () => {
    const { root } = await repositoryWithSecret();
    await symlink("web.yaml", join(root, "waybill", "alias.yaml"));
    const result = await findConfigFiles({ root, globs: defaultConfigGlobs, paths: ["."] });
    expect(result.ok ? [] : result.diagnostics.map((d) => [d.file, d.code])).toEqual([
      ["waybill/alias.yaml", "symlink-refused"],
    ]);
    expect(result.files).toEqual(["waybill/web.yaml"]);
  });

  test("a file replaced by a link after it was found is not read through the link", async () => {
    const { base, root, secret } = await repositoryWithSecret();
    const found = await findConfigFiles({ root, globs: defaultConfigGlobs });
    expect(found.files).toEqual(["waybill/web.yaml"]);
    // Between finding and reading, the file becomes a link to the secret.
    await rm(join(root, "waybill", "web.yaml"));
    await symlink(join(base, "outside", "environ.yaml"), join(root, "waybill", "web.yaml"));
    const read = readConfigFiles(root, found.files);
    expect(read).toEqual({
      texts: [],
      diagnostics: [
        expect.objectContaining({ file: "waybill/web.yaml", code: "symlink-refused", severity: "error" }),
      ],
    });
    expect(JSON.stringify(read)).not.toContain(secret);
  });

  test("a file removed after it was found is a diagnostic, not a crash", async () => {
    const { root } = await repositoryWithSecret();
    const found = await findConfigFiles({ root, globs: defaultConfigGlobs });
    await rm(join(root, "waybill", "web.yaml"));
    expect(readConfigFiles(root, found.files)).toEqual({
      texts: [],
      diagnostics: [
        expect.objectContaining({
          file: "waybill/web.yaml",
          code: "file-unreadable",
          message: "cannot read waybill/web.yaml: ENOENT",
        }),
      ],
    });
  });

  test("a settings file that is a link is refused", async () => {
    const { base, root, secret } = await repositoryWithSecret();
    await symlink(join(base, "outside", "environ.yaml"), join(root, "waybill.config.yaml"));
    const loaded = await loadSettings({ root });
    expect(loaded.ok ? [] : loaded.diagnostics.map((d) => d.code)).toEqual(["symlink-refused"]);
    expect(JSON.stringify(loaded)).not.toContain(secret);
  });
});

describe("no config files", () => {
  test("finding none is an error, so prune can never plan to delete the whole stack", async () => {
    const base = await mkdtemp(join(tmpdir(), "waybill-empty-"));
    await writeFile(join(base, "waybill.config.yaml"), "prune: true\n");
    const report = await validateRepository({ root: base, settings: settings(["waybil/**/*.yaml"]) });
    expect(report.ok).toBe(false);
    expect(report.diagnostics).toEqual([
      expect.objectContaining({
        code: "no-config-files",
        severity: "error",
        message: "no files match waybil/**/*.yaml",
      }),
    ]);
    await mkdir(join(base, "empty"));
    const named = await validateRepository({ root: base, settings: settings(), paths: ["empty"] });
    expect(named.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["no-config-files", "no config files in empty"],
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
