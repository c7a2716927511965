// The bundle starts under the node that runs it (WAYBILL_ACTION_NODE: Node 24 from scripts/action-node24.mjs).
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import { bundlePath, copyFixtureRepository, nodeBinary, runBundle } from "./run-bundle.js";

const run = promisify(execFile);

test("the node running the bundle is the one asked for", async () => {
  const { stdout } = await run(nodeBinary, ["-p", "process.versions.node"]);
  const major = process.env.WAYBILL_ACTION_NODE_MAJOR;
  expect(stdout.trim().split(".")[0]).toBe(major ?? process.versions.node.split(".")[0]);
});

test("smoke: `node dist/index.js` starts, reads its inputs and reports bad ones as a failed step", async () => {
  const result = await run(nodeBinary, [bundlePath], {
    env: { PATH: process.env.PATH ?? "", INPUT_MODE: "sideways" },
  }).catch((error: { code: number; stdout: string }) => error);
  expect("code" in result ? result.code : 0).toBe(1);
  expect(result.stdout).toContain("::error::Waybill cannot start:");
  expect(result.stdout).toContain("Input 'mode' must be one of auto, plan, apply, drift");
});

test("the bundle carries @actions/core itself, not a copy of its protocol", async () => {
  const bundle = await readFile(bundlePath, "utf8");
  // Messages only @actions/core's file-command and summary modules hold.
  expect(bundle).toContain("Unable to find environment variable for file command");
  expect(bundle).toContain("Check if your runtime environment supports job summaries.");
});

// Invalid files fail before any AWS or GitHub call, so these runs need neither.
const invalidRun = async (start: "executed" | "imported") =>
  runBundle({
    eventName: "pull_request",
    eventFile: "pull_request.json",
    workspace: await copyFixtureRepository("invalid-repo"),
    githubApiUrl: "http://127.0.0.1:9",
    inputs: { comment: "false" },
    start,
  });

test("executed: outputs, summary, grouped log and annotations go through @actions/core to the runner's files and log", async () => {
  const result = await invalidRun("executed");
  expect(result.exitCode).toBe(1);
  // @actions/core's setOutput: `name<<ghadelimiter_<uuid>` blocks in GITHUB_OUTPUT, nothing on stdout.
  expect(result.outputs).toEqual({
    "has-changes": "unknown",
    summary: "2 errors in the configuration files: nothing was planned.",
  });
  expect(result.stdout).not.toContain("set-output");
  expect(result.summary).toContain("`waybill/web-base.yaml:7:7`");
  expect(result.stdout).toMatch(/^::group::Waybill \(auto\)$/m);
  expect(result.stdout).toMatch(/^::endgroup::$/m);
  expect(result.stdout).toMatch(
    /^::error title=waybill unknown-key,file=waybill\/web-base\.yaml,line=7,col=7::/m,
  );
  expect(result.stdout).toMatch(/^::error::2 configuration errors/m);
});

test("imported, as @github/local-action runs an entry: the import alone does nothing; the exported run() runs the action", async () => {
  const result = await invalidRun("imported");
  expect(result.stderr).toBe("");
  expect(result.stdout).toContain("imported, before run(): 0 bytes written");
  expect(result.exitCode).toBe(1);
  expect(result.outputs).toEqual({
    "has-changes": "unknown",
    summary: "2 errors in the configuration files: nothing was planned.",
  });
  expect(result.summary).toContain("`waybill/web-base.yaml:7:7`");
  // Run once: one failure, not two.
  expect(result.stdout.match(/^::error::2 configuration errors/gm)).toHaveLength(1);
});
