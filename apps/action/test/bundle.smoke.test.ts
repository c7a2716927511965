// The bundle starts under the node that runs it (WAYBILL_ACTION_NODE: Node 24 from scripts/action-node24.mjs).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import { bundlePath, nodeBinary } from "./run-bundle.js";

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
