// The CLI and the Action open their runs the same way (the engine's openRun): the same bad
// settings are refused with the same diagnostic, and the same environment is honoured.
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Emulator, startEmulator } from "@waybill/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { formatRunDiagnostic } from "../../cli/src/run/context.js";
import { type Cli, cliOn, fakeAwsEnv } from "../../cli/src/testing/harness.js";
import { createEngineRunner } from "./engine-runner.js";
import type { ActionRunRequest } from "./runner.js";
import { aRunRequest } from "./testing/inputs.js";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.reset();
  emulator.setFaults({ errorRate: 0 });
  emulator.resetCounts();
});

const request = aRunRequest();

/** The CLI's `waybill plan` and the Action's plan over the same repository and environment. */
async function bothPlan(cli: Cli, env: Record<string, string>, given: Partial<ActionRunRequest> = {}) {
  const cliEnv = { ...fakeAwsEnv, AWS_ENDPOINT_URL_IMAGEBUILDER: emulator.url, ...env };
  const args = [
    "plan",
    ...(given.stack === undefined ? [] : ["--stack", given.stack]),
    ...(given.region === undefined ? [] : ["--region", given.region]),
  ];
  const fromCli = await cli.run(args, { env: cliEnv });
  const outcome = await createEngineRunner({ root: cli.root, env: cliEnv }).plan({ ...request, ...given });
  // The diagnostics are compared here; the verdict built on them, in src/one-verdict.test.ts.
  const fromAction =
    outcome.status === "invalid" ? { status: outcome.status, diagnostics: outcome.diagnostics } : outcome;
  return { fromCli, fromAction };
}

const requestsSent = () => Object.values(emulator.requestCounts()).reduce((a, b) => a + b, 0);

describe("the CLI and the Action refuse the same bad settings with the same diagnostic", () => {
  test("a bad waybill.config.yaml: the same diagnostics, at the same place", async () => {
    const cli = await cliOn("estate", emulator.url);
    await writeFile(
      join(cli.root, "waybill.config.yaml"),
      "stack: e2e\nconcurrency: 0\nregoins: [us-west-2]\n",
    );
    const { fromCli, fromAction } = await bothPlan(cli, {});
    expect(fromAction.status).toBe("invalid");
    if (fromAction.status !== "invalid") return;
    expect(fromAction.diagnostics.map((d) => [d.file, d.line, d.code])).toEqual([
      ["waybill.config.yaml", 2, "settings-invalid"],
      ["waybill.config.yaml", 3, "settings-invalid"],
    ]);
    expect(fromCli).toEqual({
      code: 1,
      stdout: "",
      stderr: `${fromAction.diagnostics.map((d) => `${formatRunDiagnostic(d)}\n`).join("")}waybill: waybill.config.yaml is not valid\n`,
    });
    expect(requestsSent()).toBe(0);
  });

  test.each([
    [{ AWS_REGION: "bogus" }, "AWS_REGION must be a region like us-west-2, got 'bogus'"],
    [
      { AWS_REGION: "", AWS_DEFAULT_REGION: "nowhere" },
      "AWS_DEFAULT_REGION must be a region like us-west-2, got 'nowhere'",
    ],
    [{ AWS_MAX_ATTEMPTS: "0" }, "AWS_MAX_ATTEMPTS must be a positive whole number, got '0'"],
    [{ AWS_MAX_ATTEMPTS: "many" }, "AWS_MAX_ATTEMPTS must be a positive whole number, got 'many'"],
    [
      { AWS_ENDPOINT_URL_IMAGEBUILDER: "ftp://x" },
      "AWS_ENDPOINT_URL_IMAGEBUILDER must be an http:// or https:// URL such as https://imagebuilder.us-west-2.amazonaws.com, got 'ftp://x'",
    ],
  ])("a bad environment %j: one diagnostic, the same words", async (env, message) => {
    const cli = await cliOn("estate", emulator.url);
    // No defaultRegion in the file, so the environment's default region is needed (and checked).
    await writeFile(join(cli.root, "waybill.config.yaml"), "stack: e2e\nregions: [us-west-2]\n");
    const { fromCli, fromAction } = await bothPlan(cli, env);
    expect(fromAction).toEqual({
      status: "invalid",
      diagnostics: [expect.objectContaining({ code: "environment-invalid", severity: "error", message })],
    });
    expect(fromCli).toEqual({ code: 1, stdout: "", stderr: `waybill: ${message}\n` });
    expect(requestsSent()).toBe(0);
  });

  test("a bad override: the same rule and words, each naming its own flag or input", async () => {
    const cli = await cliOn("estate", emulator.url);
    const { fromCli, fromAction } = await bothPlan(cli, {}, { stack: "bad*" });
    const rule = "must be 1-63 letters, digits, '.', '_' or '-', got 'bad*'";
    expect(fromAction).toEqual({
      status: "invalid",
      diagnostics: [
        expect.objectContaining({
          code: "settings-override-invalid",
          path: "stack",
          message: `input 'stack' ${rule}`,
        }),
      ],
    });
    expect(fromCli).toEqual({ code: 1, stdout: "", stderr: `waybill: --stack ${rule}\n` });
    expect(requestsSent()).toBe(0);
  });

  test("a malformed region: the same rule and hint, whether --region or input 'region'", async () => {
    const cli = await cliOn("estate", emulator.url);
    const { fromCli, fromAction } = await bothPlan(cli, {}, { region: "us-east1" });
    const rule = "must be a region like us-west-2, got 'us-east1'";
    const hint = "did you mean 'us-east-1'?";
    expect(fromAction).toEqual({
      status: "invalid",
      diagnostics: [
        expect.objectContaining({
          code: "settings-override-invalid",
          path: "defaultRegion",
          message: `input 'region' ${rule}`,
          hint,
        }),
      ],
    });
    expect(fromCli).toEqual({ code: 1, stdout: "", stderr: `waybill: --region ${rule}; ${hint}\n` });
    expect(requestsSent()).toBe(0);
  });
});

describe("the Action honours the environment as the CLI does", () => {
  test("AWS_MAX_ATTEMPTS: the same number of attempts per request", async () => {
    const cli = await cliOn("estate", emulator.url);
    // One home region, so one List request (and its retries) whatever the order of failures.
    await rm(join(cli.root, "waybill", "eu"), { recursive: true });
    await writeFile(join(cli.root, "waybill.config.yaml"), "stack: e2e\ndefaultRegion: us-west-2\n");
    emulator.setFaults({ errorRate: 1 });
    const env = { ...fakeAwsEnv, AWS_ENDPOINT_URL_IMAGEBUILDER: emulator.url, AWS_MAX_ATTEMPTS: "2" };
    expect((await cli.run(["plan"], { env })).code).toBe(1);
    const byCli = emulator.requestCounts().ListDistributionConfigurations;
    emulator.resetCounts();
    await expect(createEngineRunner({ root: cli.root, env }).plan(request)).rejects.toThrow();
    const byAction = emulator.requestCounts().ListDistributionConfigurations;
    expect(byCli).toBe(2);
    expect(byAction).toBe(byCli);
  });

  test("the default region from AWS_REGION: files that name no region live there", async () => {
    const cli = await cliOn("estate", emulator.url);
    await writeFile(join(cli.root, "waybill.config.yaml"), "stack: e2e\n");
    const env = { ...fakeAwsEnv, AWS_ENDPOINT_URL_IMAGEBUILDER: emulator.url, AWS_REGION: "eu-central-1" };
    const planned = await createEngineRunner({ root: cli.root, env }).plan(request);
    expect(planned.status).toBe("planned");
    if (planned.status !== "planned") return;
    const regions = new Set(planned.plan.changes.map((change) => change.region));
    expect(regions.has("eu-central-1")).toBe(true);
    const fromCli = await cli.run(["plan", "--json"], { env });
    expect(fromCli.code).toBe(2);
    const cliRegions = new Set(
      (JSON.parse(fromCli.stdout) as { changes: { region: string }[] }).changes.map(
        (change) => change.region,
      ),
    );
    expect(cliRegions).toEqual(regions);
  });
});
