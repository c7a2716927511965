import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { createAwsAccess } from "@waybill/aws";
import { type Emulator, startEmulator } from "@waybill/emulator";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { userCwd } from "./main.js";
import { fakeAwsEnv, fixturesDir } from "./testing/harness.js";

const repositoryRoot = join(import.meta.dirname, "..", "..", "..");
const entry = join(import.meta.dirname, "main.ts");

/**
 * Runs the real waybill process. With `closeStdout`, its stdout is a real pipe whose reading end is
 * closed before it writes anything (as `| head -0` would), so every write to it gets EPIPE.
 */
function runWaybill(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
  options: { closeStdout?: boolean } = {},
) {
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
    if (options.closeStdout === true) child.stdout.destroy();
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
  test("no credentials against an endpoint: one line saying any fake keys work there; none without an endpoint", async () => {
    const home = await mkdtemp(join(tmpdir(), "waybill-home-"));
    // No keys, no profile files, no instance metadata: the SDK's chain finds nothing.
    const bare = { HOME: home, AWS_EC2_METADATA_DISABLED: "true", AWS_REGION: "us-west-2" };
    const local = await runWaybill(
      ["plan", "--endpoint-url", emulator.url],
      join(fixturesDir, "estate"),
      bare,
    );
    expect(local.code).toBe(1);
    expect(local.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(
        /^waybill: .*\(CredentialsProviderError\); against an emulator any fake keys work: AWS_ACCESS_KEY_ID=fake AWS_SECRET_ACCESS_KEY=fake$/,
      ),
    ]);
    // Against AWS itself fake keys would not do: no such hint. (The SDK needs credentials to sign,
    // so the run stops before any request leaves.)
    const aws = await runWaybill(["plan"], join(fixturesDir, "estate"), bare);
    expect(aws.code).toBe(1);
    expect(aws.stderr).toContain("(CredentialsProviderError)");
    expect(aws.stderr).not.toContain("fake keys");
  });

  test("plan exits 2 with changes and 1 on a mistake, with one line and no stack trace", async () => {
    const env = { ...fakeAwsEnv, AWS_ENDPOINT_URL: emulator.url };
    const plan = await runWaybill(["plan", "--no-color"], join(fixturesDir, "estate"), env);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain("web-base");
    // Nothing on stderr: no warning from the SDK either (the entry point silences it on Node 20).
    expect(plan.stderr).toBe("");

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

describe("a closed output pipe (waybill plan | head -1)", () => {
  test("ends every command quietly, with the command's own exit code", async () => {
    const env = { ...fakeAwsEnv, AWS_ENDPOINT_URL: emulator.url };
    const estate = join(fixturesDir, "estate");
    const cases: [string[], number][] = [
      [["--help"], 0],
      [["--version"], 0],
      [["help", "plan"], 0],
      [["schema"], 0],
      [["validate"], 0],
      [["plan", "--no-color"], 2],
      [["plan", "--json"], 2],
      [["apply", "--yes", "--no-color"], 0],
      [["plan", "--bogus"], 1],
    ];
    try {
      for (const [args, code] of cases) {
        const { code: exit, stderr } = await runWaybill(args, estate, env, { closeStdout: true });
        expect({ args, code: exit, stderr }).toEqual({
          args,
          code,
          stderr: args.includes("--bogus")
            ? "waybill: unknown option '--bogus'; see 'waybill plan --help'\n"
            : "",
        });
      }
    } finally {
      emulator.reset();
    }
  });
});

describe("the working directory", () => {
  const eu = join(fixturesDir, "estate", "waybill", "eu");
  const packageJson = join(repositoryRoot, "package.json");

  test("started by a package manager in the package's directory: where the user was (INIT_CWD)", async () => {
    // As `pnpm waybill validate api.yaml` typed in waybill/eu: pnpm starts the script in the root.
    const env = { ...fakeAwsEnv, INIT_CWD: eu, npm_package_json: packageJson };
    const run = await runWaybill(["validate", "api.yaml"], repositoryRoot, env);
    expect(run).toEqual({ code: 0, stdout: "1 file, 1 configuration: valid.\n", stderr: "" });
  });

  test("a script that changed directory keeps its own", async () => {
    const env = { ...fakeAwsEnv, INIT_CWD: repositoryRoot, npm_package_json: packageJson };
    const run = await runWaybill(["validate", "api.yaml"], eu, env);
    expect(run).toEqual({ code: 0, stdout: "1 file, 1 configuration: valid.\n", stderr: "" });
  });

  test("userCwd", () => {
    const env = { INIT_CWD: "/home/me/repo/sub", npm_package_json: "/home/me/repo/package.json" };
    expect(userCwd(env, "/home/me/repo")).toBe("/home/me/repo/sub");
    expect(userCwd(env, "/home/me/repo/infra")).toBe("/home/me/repo/infra");
    expect(userCwd({ INIT_CWD: "/elsewhere" }, "/home/me")).toBe("/home/me");
    expect(userCwd({}, "/home/me")).toBe("/home/me");
  });
});

describe("waybill emulator", () => {
  test("prints its URL as the first line, serves the SDK, and stops on SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      ["--conditions=@waybill/source", "--import", "tsx", entry, "emulator", "--port", "0"],
      {
        cwd: repositoryRoot,
        env: { PATH: process.env.PATH ?? "", NODE_OPTIONS: "" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once("line", resolve);
        child.once("close", () => reject(new Error(`emulator exited before its URL: ${stderr}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const gateway = createAwsAccess({
        endpointUrl: url,
        credentials: {
          accessKeyId: fakeAwsEnv.AWS_ACCESS_KEY_ID,
          secretAccessKey: fakeAwsEnv.AWS_SECRET_ACCESS_KEY,
        },
      }).clientFor("us-west-2");
      const arn = await gateway.create({
        name: "from-the-cli",
        distributions: [
          { region: "us-west-2", amiDistributionConfiguration: { name: "x {{imagebuilder:buildDate}}" } },
        ],
        clientToken: "emulator-cli-test",
      });
      expect(arn).toBe("arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/from-the-cli");
      expect((await gateway.listAll()).map((summary) => summary.name)).toEqual(["from-the-cli"]);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain("emulator: SIGTERM, stopping");
  });
});
