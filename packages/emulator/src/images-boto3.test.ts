// boto3 (Python's SDK, its own reading of the model) drives pipelines, images and DistributeImage.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type Emulator, startEmulator } from "./emulator.js";

const script = fileURLToPath(new URL("./fixtures/boto3/pipelines_and_images.py", import.meta.url));

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ buildMs: 30 });
});
afterAll(async () => {
  await emulator.close();
});

function runPython(url: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      "python3",
      [script, url],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ACCESS_KEY_ID: "AKIDBOTO3",
          AWS_SECRET_ACCESS_KEY: "secret",
          AWS_EC2_METADATA_DISABLED: "true",
          AWS_CONFIG_FILE: "/dev/null",
          AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        },
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

test("boto3: a pipeline builds, its configuration cannot be deleted, DistributeImage fills only the gap", async () => {
  const result = await runPython(emulator.url);
  // python3 with boto3 is required, as for moto (which brings boto3): .ci/run checks for it.
  expect(result.stderr, "python3 and boto3 must be installed").toBe("");
  expect(result.code).toBe(0);
  const seen = JSON.parse(result.stdout) as Record<string, unknown>;
  expect(seen).toEqual({
    pipelinesUsingWeb: ["boto-web"],
    dateNextRun: expect.stringMatching(/T02:00:00/),
    built: { arn: "arn:aws:imagebuilder:us-west-2:123456789012:image/boto-web/2.0.1/1", status: "AVAILABLE" },
    deleteError: "ResourceDependencyException",
    distributed: {
      arn: "arn:aws:imagebuilder:us-west-2:123456789012:image/boto-web/2.0.1/2",
      retriedArn: "arn:aws:imagebuilder:us-west-2:123456789012:image/boto-web/2.0.1/2",
      status: "AVAILABLE",
    },
    amisPerTarget: {
      "us-west-2/123456789012": 1,
      "eu-west-1/123456789012": 1,
      "eu-west-1/111111111111": 1,
    },
  });
});
