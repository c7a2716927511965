/** Runs the committed bundle (dist/index.js) as the GitHub runner would: INPUT_* variables, event file, output and summary files. */
import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The committed bundle, or another build of it (WAYBILL_ACTION_BUNDLE, e.g. a fresh build in a temporary directory). */
export const bundlePath =
  process.env.WAYBILL_ACTION_BUNDLE || fileURLToPath(new URL("../../dist/index.js", import.meta.url));
/**
 * The node that runs the bundle: WAYBILL_ACTION_NODE (scripts/action-node24.mjs sets Node 24, what
 * GitHub runs `using: node24` with), else the one running the tests.
 */
export const nodeBinary = process.env.WAYBILL_ACTION_NODE || process.execPath;
export const fixturesPath = fileURLToPath(new URL("../fixtures/", import.meta.url));

export interface BundleRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

export interface BundleRunOptions {
  eventName: string;
  /** A file under fixtures/events/. */
  eventFile: string;
  /** The checked-out configuration repository. */
  workspace: string;
  githubApiUrl: string;
  inputs: Record<string, string>;
  sha?: string;
  ref?: string;
  /** Extra environment (e.g. AWS settings). */
  env?: Record<string, string>;
  /**
   * "imported": as @github/local-action runs an entry: import the module (which must then do
   * nothing by itself), check that it exports a function `run`, and await `run()`.
   */
  start?: "executed" | "imported";
}

/**
 * What @github/local-action does with an ESM entry once it has stubbed @actions/core (its
 * src/commands/run.ts): `const { run } = await import(entrypoint)`, refuse a non-function, `await run()`.
 * The output file's length before run() shows whether importing alone did anything.
 */
const IMPORT_AND_RUN = `
import { readFileSync } from "node:fs";
const { run } = await import(process.argv[1]);
if (typeof run !== "function") throw new Error("the entry does not export a run() function");
const before = readFileSync(process.env.GITHUB_OUTPUT, "utf8").length + readFileSync(process.env.GITHUB_STEP_SUMMARY, "utf8").length;
process.stdout.write("imported, before run(): " + before + " bytes written\\n");
await run();
`;

/** The runner's file-command format: `name<<delimiter`, value lines, `delimiter`. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? "");
    if (match === null) continue;
    const [, name = "", delimiter] = match;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? "");
    outputs[name] = value.join("\n");
  }
  return outputs;
}

/** A fresh copy of a fixture repository, so a test can change files between "pushes". */
export async function copyFixtureRepository(name: string): Promise<string> {
  const target = await mkdtemp(join(tmpdir(), "waybill-action-repo-"));
  await cp(join(fixturesPath, name), target, { recursive: true });
  return target;
}

export async function runBundle(options: BundleRunOptions): Promise<BundleRun> {
  const runner = await mkdtemp(join(tmpdir(), "waybill-action-runner-"));
  const outputFile = join(runner, "output.txt");
  const summaryFile = join(runner, "summary.md");
  const eventPath = join(runner, "event.json");
  await writeFile(outputFile, "");
  await writeFile(summaryFile, "");
  await cp(join(fixturesPath, "events", options.eventFile), eventPath);
  const inputs = Object.fromEntries(
    Object.entries(options.inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]),
  );
  // Only what a runner sets: nothing leaks in from the developer's environment.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: runner,
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_REPOSITORY: "acme/image-distribution",
    GITHUB_SHA: options.sha ?? "feedfacefeedfacefeedfacefeedfacefeedface",
    GITHUB_REF: options.ref ?? "refs/pull/42/merge",
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_API_URL: options.githubApiUrl,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_RUN_ID: "7001",
    RUNNER_TEMP: runner,
    AWS_EC2_METADATA_DISABLED: "true",
    ...inputs,
    ...options.env,
  };
  const args =
    options.start === "imported"
      ? ["--input-type=module", "--eval", IMPORT_AND_RUN, pathToFileURL(bundlePath).href]
      : [bundlePath];
  const child = spawn(nodeBinary, args, { cwd: options.workspace, env });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseOutputFile(await readFile(outputFile, "utf8")),
    summary: await readFile(summaryFile, "utf8"),
  };
}
