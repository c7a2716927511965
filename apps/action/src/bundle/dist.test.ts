// The committed bundle is what the sources build to: CI fails on a stale dist/ (bundle.smoke.test.ts runs it).
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";

const run = promisify(execFile);
const actionDir = fileURLToPath(new URL("../..", import.meta.url));
const repoRoot = fileURLToPath(new URL("../../../..", import.meta.url));
const tempDirs: string[] = [];

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The committed content (git's index, which is HEAD in a fresh clone) of a file under apps/action/dist. */
async function committed(file: string): Promise<Buffer> {
  const { stdout } = await run("git", ["show", `:apps/action/dist/${file}`], {
    cwd: repoRoot,
    encoding: "buffer",
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

describe("apps/action/dist", () => {
  test("is what `ncc build` makes of the current sources, byte for byte", async () => {
    // ncc bundles workspace packages from their built dist/: build them first (a turbo cache hit after `pnpm build`).
    await run(
      "pnpm",
      ["turbo", "run", "build", "--filter=@waybill/action^...", "--output-logs=errors-only"],
      {
        cwd: repoRoot,
      },
    );
    const out = await mkdtemp(join(tmpdir(), "waybill-action-dist-"));
    tempDirs.push(out);
    // The package's own build (ncc, then terser over the import() chunks), into the temporary folder.
    await run("pnpm", ["exec", "node", "build.mjs", out], { cwd: actionDir, maxBuffer: 64 * 1024 * 1024 });
    const built = (await readdir(out)).sort();
    const { stdout: listed } = await run("git", ["ls-files", "apps/action/dist"], { cwd: repoRoot });
    const tracked = listed
      .split("\n")
      .filter(Boolean)
      .map((path) => path.replace("apps/action/dist/", ""))
      .sort();
    expect(built, "files in a fresh build vs. files committed in apps/action/dist").toEqual(tracked);
    for (const file of built) {
      const fresh = await readFile(join(out, file));
      const stale = (await committed(file)).equals(fresh) === false;
      expect(
        stale,
        `apps/action/dist/${file} is stale: run \`pnpm --filter @waybill/action build\` and commit dist/`,
      ).toBe(false);
    }
  }, 300_000);

  test("the bundle type-checks only what it bundles: src without tests, other packages through their declarations", async () => {
    // ncc's ts-loader uses the tsconfig.json nearest the entry (src/main.ts): src/tsconfig.json.
    const { stdout } = await run("pnpm", ["exec", "tsc", "-p", "src/tsconfig.json", "--listFilesOnly"], {
      cwd: actionDir,
      maxBuffer: 16 * 1024 * 1024,
    });
    const files = stdout
      .split("\n")
      .filter((file) => file !== "" && !file.includes("/node_modules/"))
      .map((file) => file.replace(repoRoot, ""));
    expect(files).toContain("apps/action/src/main.ts");
    const outsideTheBundle = files.filter(
      (file) =>
        file.endsWith(".test.ts") ||
        file.startsWith("apps/action/src/bundle/") ||
        file.startsWith("apps/action/src/testing/") ||
        file.startsWith("apps/action/src/docs/") ||
        (file.startsWith("packages/") && !file.includes("/dist/")),
    );
    expect(outsideTheBundle).toEqual([]);
  }, 120_000);

  test("dist/index.js, all a run loads unless it preflights, is at most 2.5 MB", async () => {
    // Issue 22's budget (with @actions/core). Preflight's SDK clients come through import(), into
    // chunks of their own that only a preflight run loads; everything else is in index.js (ncc makes
    // one file of the static imports). scripts/bench.ts reports the files a drift run actually loads.
    const { size } = await stat(join(actionDir, "dist", "index.js"));
    expect(size, "bytes of apps/action/dist/index.js").toBeLessThanOrEqual(2_500_000);
  });

  test("the import() chunks are minified like index.js: no webpack comments, no indented source lines", async () => {
    const chunks = (await readdir(join(actionDir, "dist"))).filter(
      (file) => file.endsWith(".js") && file !== "index.js",
    );
    expect(chunks.length).toBeGreaterThan(0);
    for (const chunk of chunks) {
      const text = await readFile(join(actionDir, "dist", chunk), "utf8");
      expect(text, chunk).not.toContain("/***/");
      expect(text.split("\n").filter((line) => /^ {4}\S/.test(line)).length, chunk).toBe(0);
    }
  });

  test("the build script is build.mjs into dist/, and the package is ESM (ncc bundles @actions/core 3 as ESM)", async () => {
    const manifest = JSON.parse(await readFile(join(actionDir, "package.json"), "utf8"));
    expect(manifest.scripts.build).toBe("node build.mjs dist");
    expect(manifest.type).toBe("module");
    // @github/local-action reads the nearest packageManager to list @actions/core with pnpm, not npm.
    expect(manifest.packageManager).toMatch(/^pnpm@/);
  });
});
