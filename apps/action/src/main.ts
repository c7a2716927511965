/** The action's entry: read inputs and environment once, build the adapters, run, and report to the runner. */
import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silenceNodeVersionWarning } from "@waybill/aws";
import { createEngineRunner } from "./engine-runner.js";
import { readActionEvent } from "./event.js";
import { createOctokit } from "./github/octokit.js";
import { createOctokitGitHub } from "./github/octokit-github.js";
import { readActionInputs, readRunnerEnvironment } from "./inputs.js";
import { type ActionReport, actionOutputs, runAction } from "./run-action.js";
import { createWorkflowCommands, type WorkflowCommands } from "./workflow-commands.js";

function planJsonPath(tempDirectory: string | undefined, commentKey: string): string {
  const suffix = commentKey === "" ? "" : `-${commentKey.replace(/[^A-Za-z0-9._-]+/g, "_")}`;
  return join(tempDirectory ?? tmpdir(), `waybill-plan${suffix}.json`);
}

async function publish(
  commands: WorkflowCommands,
  report: ActionReport,
  planJsonFile: string,
): Promise<void> {
  for (const { level, message, ...properties } of report.annotations)
    commands.annotate(level, message, properties);
  if (report.planJson !== undefined) await writeFile(planJsonFile, report.planJson);
  for (const [name, value] of Object.entries(actionOutputs(report, planJsonFile)))
    commands.setOutput(name, value);
  commands.appendSummary(report.summaryMarkdown);
  if (report.conclusion === "failure") commands.setFailed(report.failureMessage ?? "Waybill failed.");
}

/** The event's payload (GITHUB_EVENT_PATH), or why it cannot be read. */
async function readEventPayload(path: string): Promise<{ payload: unknown } | { error: string }> {
  try {
    return { payload: JSON.parse(await readFile(path, "utf8")) };
  } catch (error) {
    return { error: `${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function main(commands: WorkflowCommands): Promise<void> {
  // Waybill supports Node 20+ on purpose; the SDK's notice about its own future Node 22 floor is noise here.
  silenceNodeVersionWarning(process.env);
  const inputs = readActionInputs(process.env);
  const environment = readRunnerEnvironment(process.env, process.cwd());
  if (!inputs.success || !environment.success) {
    const errors = [
      ...(inputs.success ? [] : inputs.errors),
      ...(environment.success ? [] : environment.errors),
    ];
    commands.setFailed(`Waybill cannot start:\n${errors.join("\n")}`);
    return;
  }
  const env = environment.environment;
  const payload = await readEventPayload(env.eventPath);
  const event =
    "error" in payload
      ? { success: false as const, errors: [payload.error] }
      : readActionEvent(env.eventName, payload.payload, { ref: env.ref, sha: env.sha });
  if (!event.success) {
    commands.setFailed(`Waybill cannot read the ${env.eventName} event:\n${event.errors.join("\n")}`);
    return;
  }
  const { githubToken, comment } = inputs.inputs;
  const report = await runAction({
    github:
      comment && githubToken !== ""
        ? createOctokitGitHub(createOctokit(githubToken, { baseUrl: env.apiUrl }))
        : undefined,
    runner: createEngineRunner({ root: env.workspace, env: process.env }),
    inputs: inputs.inputs,
    event: event.event,
    repository: env.repository,
    runUrl: env.runUrl,
    serverUrl: env.serverUrl,
    log: { info: (message) => commands.info(message) },
  });
  await publish(commands, report, planJsonPath(env.tempDirectory, inputs.inputs.commentKey));
}

const commands = createWorkflowCommands({
  env: process.env,
  write: (text) => process.stdout.write(text),
  setExitCode: (code) => {
    process.exitCode = code;
  },
});
main(commands).catch((error: unknown) => {
  // A bug: runAction turns every expected failure into a report.
  commands.setFailed(
    `Waybill failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
});
