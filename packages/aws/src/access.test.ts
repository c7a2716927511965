import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { silenceNodeVersionWarning } from "./access.js";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

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

  test("a process that builds clients through createAwsAccess prints nothing to stderr", async () => {
    const script = `
      const { createAwsAccess } = await import(${JSON.stringify(join(here, "access.ts"))});
      const aws = createAwsAccess({ credentials: { accessKeyId: "a", secretAccessKey: "b" } });
      aws.clientFor("us-east-1");
      aws.clientFor("eu-west-1");
      await aws.defaultRegion();
    `;
    const env: Record<string, string | undefined> = { ...process.env, AWS_REGION: "us-east-1" };
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    delete env.NODE_OPTIONS;
    const { stderr } = await run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: here,
      env,
    });
    expect(stderr).toBe("");
  });
});
