// One run, one verdict: the same fixture run through the CLI and through the Action fails (or not)
// for the same reasons, each front end only rendering the engine's verdict. And each front end
// enters a run only through the engine's openRun.
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createAwsAccess } from "@waybill/aws";
import { type Emulator, startEmulator } from "@waybill/emulator";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { formatRunDiagnostic } from "../../cli/src/run/context.js";
import { type Cli, cliOn, fakeAwsEnv } from "../../cli/src/testing/harness.js";
import { createEngineRunner } from "./engine-runner.js";
import { readActionEvent } from "./event.js";
import { createOctokit } from "./github/octokit.js";
import { createOctokitGitHub } from "./github/octokit-github.js";
import { runAction } from "./run-action.js";
import { type FakeGitHub, startFakeGitHub } from "./testing/fake-github-server.js";
import { anActionInputs, aRunRequest } from "./testing/inputs.js";

let emulator: Emulator;
let github: FakeGitHub;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(async () => {
  emulator.reset();
  emulator.setFaults({ errorRate: 0, throttleRps: 0, dropRate: 0 });
  github = await startFakeGitHub();
});
afterEach(async () => {
  await github.close();
});

const env = () => ({ ...fakeAwsEnv, AWS_ENDPOINT_URL_IMAGEBUILDER: emulator.url });

/** The repository's pull request event: the Action plans and comments on #42. */
async function pullRequestEvent() {
  const payload: unknown = JSON.parse(
    await readFile(new URL("./fixtures/events/pull_request.json", import.meta.url), "utf8"),
  );
  const read = readActionEvent("pull_request", payload, { ref: "refs/heads/main", sha: "c0ffee" });
  if (!read.success) throw new Error(read.errors.join("\n"));
  return read.event;
}

/** The same repository planned by `waybill plan` and by the Action on a pull request; and the engine's verdict. */
async function planBoth(cli: Cli) {
  const fromCli = await cli.run(["plan"], { env: env() });
  const runner = createEngineRunner({ root: cli.root, env: env() });
  const fromAction = await runAction({
    github: createOctokitGitHub(createOctokit("t", { baseUrl: github.url })),
    runner,
    inputs: anActionInputs(),
    event: await pullRequestEvent(),
    repository: { owner: "acme", repo: "image-distribution" },
    runUrl: undefined,
    log: { info: () => {} },
  });
  const outcome = await runner.plan(aRunRequest());
  const verdict =
    outcome.status === "planned"
      ? outcome.plan.verdict
      : outcome.status === "invalid"
        ? outcome.verdict
        : undefined;
  if (verdict === undefined) throw new Error(`unexpected outcome ${outcome.status}`);
  return { fromCli, fromAction, verdict };
}

/** The Action's exit status, as the CLI's would be: failure is 1, else 2 with changes, else 0. */
function actionStatus(report: Awaited<ReturnType<typeof runAction>>): number {
  if (report.conclusion === "failure") return 1;
  return report.outputs["has-changes"] === "true" ? 2 : 0;
}

describe("the same fixture through the CLI and the Action: the same exit status, the same reasons", () => {
  test("a conflict: both fail, each naming the configuration and why", async () => {
    const cli = await cliOn("estate", emulator.url);
    await createAwsAccess({
      endpointUrl: emulator.url,
      credentials: {
        accessKeyId: fakeAwsEnv.AWS_ACCESS_KEY_ID,
        secretAccessKey: fakeAwsEnv.AWS_SECRET_ACCESS_KEY,
      },
    })
      .clientFor("us-west-2")
      .create({
        name: "web-base",
        distributions: [
          { region: "us-west-2", amiDistributionConfiguration: { name: "old {{imagebuilder:buildDate}}" } },
        ],
        clientToken: "handmade",
      });
    const { fromCli, fromAction, verdict } = await planBoth(cli);

    expect(verdict.exitCode).toBe(1);
    expect(verdict.reasons.map((reason) => [reason.kind, "reason" in reason ? reason.reason : ""])).toEqual([
      ["conflict", "unmanaged"],
    ]);
    const [conflict] = verdict.reasons;
    if (conflict?.kind !== "conflict") throw new Error("expected a conflict");
    expect(conflict.message).toBe("web-base in us-west-2 exists and is not managed by Waybill");

    expect([fromCli.code, actionStatus(fromAction)]).toEqual([1, 1]);
    // The CLI names its flag; the Action its input's words: the reason is the engine's, in both.
    expect(fromCli.stderr).toContain(
      `waybill: conflict: ${conflict.message}; pass --adopt to take it over, or give it another name\n`,
    );
    expect(fromAction.failureMessage).toContain(`- conflict ${conflict.message} (waybill/web.yaml)`);
    expect(fromAction.annotations).toContainEqual(
      expect.objectContaining({ level: "error", title: "Waybill conflict", file: "waybill/web.yaml" }),
    );
    // The headline is the plan's, word for word, in both.
    expect(fromCli.stdout).toContain(verdict.headline);
    expect(fromAction.outputs.summary).toBe(verdict.headline);
  });

  test("invalid files: both fail, with the same diagnostics at the same places and the same headline", async () => {
    const cli = await cliOn("invalid", emulator.url);
    const { fromCli, fromAction, verdict } = await planBoth(cli);

    expect(verdict.exitCode).toBe(1);
    const [invalid] = verdict.reasons;
    if (invalid?.kind !== "invalid") throw new Error("expected invalid files");
    expect(invalid.errors).toBeGreaterThan(0);

    expect([fromCli.code, actionStatus(fromAction)]).toEqual([1, 1]);
    expect(fromCli.stderr).toBe(
      `${invalid.diagnostics.map((d) => `${formatRunDiagnostic(d)}\n`).join("")}waybill: ${invalid.message}\n`,
    );
    expect(fromAction.outputs.summary).toBe(verdict.headline);
    expect(fromAction.failureMessage).toMatch(new RegExp(`^${invalid.errors} configuration errors?:`));
    expect(fromAction.annotations.map((a) => [a.file, a.line, a.column, a.title])).toEqual(
      invalid.diagnostics.map((d) => [d.file, d.line, d.column, `waybill ${d.code}`]),
    );
    expect(github.comments(42)[0]?.body).toContain(`**${verdict.headline}**`);
  });

  test("a clean plan with changes: both succeed, exit 2, the same headline", async () => {
    const cli = await cliOn("estate", emulator.url);
    const { fromCli, fromAction, verdict } = await planBoth(cli);
    expect(verdict).toMatchObject({ exitCode: 2, reasons: [] });
    expect([fromCli.code, actionStatus(fromAction)]).toEqual([2, 2]);
    expect(fromCli.stderr).toBe("");
    expect(fromAction.outputs.summary).toBe(verdict.headline);
    await rm(cli.root, { recursive: true, force: true });
  });
});

describe("the Action's runner opens one run per request", () => {
  test("a second call with the same request uses the run the first opened: settings are read and checked once", async () => {
    const cli = await cliOn("estate", emulator.url);
    const runner = createEngineRunner({ root: cli.root, env: env() });
    expect((await runner.plan(aRunRequest())).status).toBe("planned");
    // Settings read again would refuse this file; the run opened by the first call does not read it.
    await writeFile(join(cli.root, "waybill.config.yaml"), "stack: [not, a, name]\n");
    expect((await runner.plan(aRunRequest())).status).toBe("planned");
    // Another request (another stack) is another run, which reads the file and refuses it.
    expect((await runner.plan(aRunRequest({ stack: "other" }))).status).toBe("invalid");
    await rm(cli.root, { recursive: true, force: true });
  });
});

/** Every name a front end's sources import from @waybill/engine at run time (type imports aside). */
async function engineImports(directory: string): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith(".ts") || entry.name.endsWith(".test.ts")) continue;
    const path = join(entry.parentPath, entry.name);
    const text = await readFile(path, "utf8");
    for (const match of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+"@waybill\/engine"/g)) {
      if (match[1] !== undefined) continue;
      const names = (match[2] ?? "")
        .split(",")
        .map((name) => name.trim())
        .filter((name) => name !== "" && !name.startsWith("type "));
      if (names.length > 0) found.set(path.slice(directory.length + 1), names);
    }
  }
  return found;
}

describe("each front end enters a run only through openRun", () => {
  test("the engine's entry has two run-time exports: openRun and findRepositoryRoot", async () => {
    expect(Object.keys(await import("@waybill/engine")).sort()).toEqual(["findRepositoryRoot", "openRun"]);
  });

  test.each([
    ["the CLI", new URL("../../cli/src", import.meta.url).pathname],
    ["the Action", new URL(".", import.meta.url).pathname.replace(/\/$/, "")],
    ["the bench", new URL("../../../scripts", import.meta.url).pathname],
  ])("%s imports nothing from the engine but openRun (and findRepositoryRoot)", async (_, directory) => {
    const imports = await engineImports(directory);
    expect(imports.size).toBeGreaterThan(0);
    for (const [file, names] of imports)
      expect({ file, names: names.filter((name) => name !== "findRepositoryRoot") }).toEqual({
        file,
        names: ["openRun"],
      });
  });
});
