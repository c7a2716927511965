/** The action's entry: read inputs and environment once, build the adapters, run, and report to the runner. */
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as core from "@actions/core";
import { context, getOctokit } from "@actions/github";
import { silenceNodeVersionWarning } from "@waybill/aws";
import { createEngineRunner } from "./engine-runner.js";
import { readActionEvent } from "./event.js";
import { createOctokitGitHub } from "./github/octokit-github.js";
import { readActionInputs, readRunnerEnvironment } from "./inputs.js";
import type { Annotation } from "./report.js";
import { type ActionReport, actionOutputs, runAction } from "./run-action.js";

function annotate(annotation: Annotation): void {
  const properties: core.AnnotationProperties = {
    ...(annotation.title === undefined ? {} : { title: annotation.title }),
    ...(annotation.file === undefined ? {} : { file: annotation.file }),
    ...(annotation.line === undefined ? {} : { startLine: annotation.line }),
    ...(annotation.column === undefined ? {} : { startColumn: annotation.column }),
  };
  if (annotation.level === "error") core.error(annotation.message, properties);
  else if (annotation.level === "warning") core.warning(annotation.message, properties);
  else core.notice(annotation.message, properties);
}

function planJsonPath(tempDirectory: string | undefined, commentKey: string): string {
  const suffix = commentKey === "" ? "" : `-${commentKey.replace(/[^A-Za-z0-9._-]+/g, "_")}`;
  return join(tempDirectory ?? tmpdir(), `waybill-plan${suffix}.json`);
}

async function publish(report: ActionReport, planJsonFile: string): Promise<void> {
  for (const annotation of report.annotations) annotate(annotation);
  if (report.planJson !== undefined) await writeFile(planJsonFile, report.planJson);
  for (const [name, value] of Object.entries(actionOutputs(report, planJsonFile)))
    core.setOutput(name, value);
  if (process.env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(report.summaryMarkdown, true).write();
  } else {
    core.info(report.summaryMarkdown);
  }
  if (report.conclusion === "failure") core.setFailed(report.failureMessage ?? "Waybill failed.");
}

async function main(): Promise<void> {
  // Waybill supports Node 20+ on purpose; the SDK's notice about its own future Node 22 floor is noise here.
  silenceNodeVersionWarning(process.env);
  const inputs = readActionInputs(process.env);
  const environment = readRunnerEnvironment(process.env, process.cwd());
  if (!inputs.success || !environment.success) {
    const errors = [
      ...(inputs.success ? [] : inputs.errors),
      ...(environment.success ? [] : environment.errors),
    ];
    core.setFailed(`Waybill cannot start:\n${errors.join("\n")}`);
    return;
  }
  const env = environment.environment;
  const event = readActionEvent(env.eventName, context.payload, { ref: env.ref, sha: env.sha });
  if (!event.success) {
    core.setFailed(`Waybill cannot read the ${env.eventName} event:\n${event.errors.join("\n")}`);
    return;
  }
  const { githubToken, comment } = inputs.inputs;
  const report = await runAction({
    github: comment && githubToken !== "" ? createOctokitGitHub(getOctokit(githubToken)) : undefined,
    runner: createEngineRunner({ root: env.workspace, env: process.env }),
    inputs: inputs.inputs,
    event: event.event,
    repository: env.repository,
    runUrl: env.runUrl,
    log: { info: (message) => core.info(message) },
  });
  await publish(report, planJsonPath(env.tempDirectory, inputs.inputs.commentKey));
}

main().catch((error: unknown) => {
  // A bug: runAction turns every expected failure into a report.
  core.setFailed(
    `Waybill failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
});
