/**
 * The action's entry: read inputs (through @actions/core) and environment once, build the adapters,
 * run, and report to the runner. `run()` is exported, as @github/local-action expects of an entry
 * (it imports the module and calls `run`); the module runs it itself only when executed directly.
 */
import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as core from "@actions/core";
import { silenceNodeVersionWarning } from "@waybill/aws";
import { createEngineRunner } from "./engine-runner.js";
import { isEntryModule } from "./entry-module.js";
import { readActionEvent } from "./event.js";
import { createOctokit } from "./github/octokit.js";
import { createOctokitGitHub } from "./github/octokit-github.js";
import { readActionInputs, readRunnerEnvironment } from "./inputs.js";
import { type ActionReport, actionOutputs, notStartedOutputs, runAction } from "./run-action.js";

function planJsonPath(tempDirectory: string | undefined, commentKey: string): string {
  const suffix = commentKey === "" ? "" : `-${commentKey.replace(/[^A-Za-z0-9._-]+/g, "_")}`;
  return join(tempDirectory ?? tmpdir(), `waybill-plan${suffix}.json`);
}

async function publish(report: ActionReport, planJsonFile: string): Promise<void> {
  for (const { level, message, title, file, line, column } of report.annotations) {
    const properties: core.AnnotationProperties = {
      ...(title === undefined ? {} : { title }),
      ...(file === undefined ? {} : { file }),
      ...(line === undefined ? {} : { startLine: line }),
      ...(column === undefined ? {} : { startColumn: column }),
    };
    if (level === "error") core.error(message, properties);
    else if (level === "warning") core.warning(message, properties);
    else core.notice(message, properties);
  }
  if (report.planJson !== undefined) await writeFile(planJsonFile, report.planJson);
  setOutputs(actionOutputs(report, planJsonFile));
  // core.summary needs the runner's summary file; without one (a local run), the log gets the markdown.
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(report.summaryMarkdown, true).write();
  else core.info(report.summaryMarkdown);
  if (report.conclusion === "failure") core.setFailed(report.failureMessage ?? "Waybill failed.");
}

/** Every output the step sets goes through here (action-docs.test.ts checks they are action.yml's). */
function setOutputs(outputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
}

/** A run that ends before it planned anything: the outputs action.yml promises for that, then the failure. */
function failBeforeRun(message: string): void {
  setOutputs(notStartedOutputs(message));
  core.setFailed(message);
}

/** The event's payload (GITHUB_EVENT_PATH), or why it cannot be read. */
async function readEventPayload(path: string): Promise<{ payload: unknown } | { error: string }> {
  try {
    return { payload: JSON.parse(await readFile(path, "utf8")) };
  } catch (error) {
    return { error: `${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function main(): Promise<void> {
  // Waybill supports Node 20+ on purpose; the SDK's notice about its own future Node 22 floor is noise here.
  silenceNodeVersionWarning(process.env);
  const inputs = readActionInputs((name) => core.getInput(name));
  const environment = readRunnerEnvironment(process.env, process.cwd());
  if (!inputs.success || !environment.success) {
    const errors = [
      ...(inputs.success ? [] : inputs.errors),
      ...(environment.success ? [] : environment.errors),
    ];
    failBeforeRun(`Waybill cannot start:\n${errors.join("\n")}`);
    return;
  }
  const env = environment.environment;
  const payload = await readEventPayload(env.eventPath);
  const event =
    "error" in payload
      ? { success: false as const, errors: [payload.error] }
      : readActionEvent(env.eventName, payload.payload, { ref: env.ref, sha: env.sha });
  if (!event.success) {
    failBeforeRun(`Waybill cannot read the ${env.eventName} event:\n${event.errors.join("\n")}`);
    return;
  }
  const { githubToken } = inputs.inputs;
  const report = await core.group(`Waybill (${inputs.inputs.mode})`, () =>
    runAction({
      // With a token the client is made even with `comment: false`: an apply still reads the reviewed
      // plan from the merged pull request (only writing is off).
      github:
        githubToken !== ""
          ? createOctokitGitHub(createOctokit(githubToken, { baseUrl: env.apiUrl }))
          : undefined,
      runner: createEngineRunner({ root: env.workspace, env: process.env }),
      inputs: inputs.inputs,
      event: event.event,
      repository: env.repository,
      runUrl: env.runUrl,
      serverUrl: env.serverUrl,
      log: { info: (message) => core.info(message) },
    }),
  );
  await publish(report, planJsonPath(env.tempDirectory, inputs.inputs.commentKey));
}

/** Runs the action once; every expected failure is a failed step, and so is a bug, with its stack. */
export async function run(): Promise<void> {
  try {
    await main();
  } catch (error) {
    // A bug: runAction turns every expected failure into a report.
    failBeforeRun(
      `Waybill failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  }
}

if (isEntryModule(import.meta.url, process.argv[1])) await run();
