import { spawn } from "node:child_process";
import { join } from "node:path";
import { type Emulator, startEmulator } from "@waybill/emulator";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fakeAwsEnv, fixturesDir } from "./testing/harness.js";

const repositoryRoot = join(import.meta.dirname, "..", "..", "..");
const entry = join(import.meta.dirname, "main.ts");

function runWaybill(args: string[], cwd: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=@waybill/source", "--import", "tsx", entry, ...args],
      {
        cwd,
        // Only what the run needs: no inherited AWS settings or credentials.
        env: { PATH: process.env.PATH ?? "", NODE_OPTIONS: "", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});

describe("the real waybill process", () => {
  test("plan exits 2 with changes and 1 on a mistake, with one line and no stack trace", async () => {
    const env = { ...fakeAwsEnv, AWS_ENDPOINT_URL: emulator.url };
    const plan = await runWaybill(["plan", "--no-color"], join(fixturesDir, "estate"), env);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain("web-base");

    const mistake = await runWaybill(["plan", "--bogus"], repositoryRoot, env);
    expect(mistake).toMatchObject({ code: 1, stdout: "" });
    expect(mistake.stderr.trim().split("\n")).toEqual([
      "waybill: unknown option '--bogus'; see 'waybill plan --help'",
    ]);

    const missing = await runWaybill(["apply", "--plan", "nowhere.json", "--yes"], repositoryRoot, env);
    expect(missing).toMatchObject({
      code: 1,
      stdout: "",
      stderr: "waybill: cannot read nowhere.json: ENOENT\n",
    });
  });
});
