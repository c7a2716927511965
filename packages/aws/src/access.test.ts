import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { silenceNodeVersionWarning } from "./access.js";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

/** Runs `script` (ESM, with `createAwsAccess` in scope) in a fresh Node with exactly `env`. */
async function inProcess(script: string, env: Record<string, string>) {
  const source = `const { createAwsAccess } = await import(${JSON.stringify(join(here, "access.ts"))});\n${script}`;
  return run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", source], {
    cwd: here,
    env: { PATH: process.env.PATH ?? "", HOME: await mkdtemp(join(tmpdir(), "waybill-home-")), ...env },
  });
}

describe("the SDK's Node version warning", () => {
  test("is switched off unless the user set the variable", () => {
    const env: Record<string, string | undefined> = {};
    silenceNodeVersionWarning(env);
    expect(env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe("true");
    const chosen: Record<string, string | undefined> = {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "false",
    };
    silenceNodeVersionWarning(chosen);
    expect(chosen.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe("false");
  });

  test("createAwsAccess leaves the process's environment alone (entry points silence it)", async () => {
    const { stdout } = await inProcess(
      `const aws = createAwsAccess({ credentials: { accessKeyId: "a", secretAccessKey: "b" } });
       aws.clientFor("us-east-1");
       await aws.defaultRegion();
       console.log(JSON.stringify(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ?? null));`,
      { AWS_REGION: "us-east-1" },
    );
    expect(stdout.trim()).toBe("null");
  });
});

describe("defaultRegion", () => {
  test("the region of the run's AWS_PROFILE, by the SDK's loader; else none", async () => {
    const config = join(await mkdtemp(join(tmpdir(), "waybill-config-")), "config");
    await writeFile(config, "[default]\nregion = us-east-2\n\n[profile team]\nregion = sa-east-1\n");
    const { stdout } = await inProcess(
      `const credentials = { accessKeyId: "a", secretAccessKey: "b" };
       const regions = [
         await createAwsAccess({ env: { AWS_PROFILE: "team" }, credentials }).defaultRegion(),
         await createAwsAccess({ env: {}, credentials }).defaultRegion(),
         // The run's AWS_REGION is the engine's to read (openRun checks it once), not this.
         await createAwsAccess({ env: { AWS_REGION: "eu-central-1" }, credentials }).defaultRegion(),
       ];
       console.log(JSON.stringify(regions));`,
      { AWS_CONFIG_FILE: config },
    );
    expect(JSON.parse(stdout)).toEqual(["sa-east-1", "us-east-2", "us-east-2"]);
    const none = await inProcess(
      `console.log(JSON.stringify((await createAwsAccess({ env: {} }).defaultRegion()) ?? null));`,
      { AWS_CONFIG_FILE: join(dirname(config), "missing") },
    );
    expect(none.stdout.trim()).toBe("null");
  });
});
