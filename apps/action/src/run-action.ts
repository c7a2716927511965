/** One run of the action: decide what the event asks for, run its flow (plan, apply, drift), report to GitHub. Adapters come in; data goes out. */
import { escapeMarkdownText } from "@waybill/core/render";
import { decideRun } from "./event.js";
import { runApply } from "./flows/apply.js";
import { runDrift } from "./flows/drift.js";
import { runPlan } from "./flows/plan.js";
import { type ActionDependencies, type ActionReport, errorMessage, heading } from "./flows/shared.js";
import { type Annotation, unplannedOutputs } from "./report.js";

export { applyCommentKey } from "./flows/apply.js";
export { FORK_NO_CREDENTIALS, NO_CREDENTIALS } from "./flows/plan.js";
export { mergedPullRequest } from "./flows/reviewed-plan.js";
export {
  type ActionDependencies,
  type ActionLog,
  type ActionReport,
  SUMMARY_BYTE_LIMIT,
} from "./flows/shared.js";

/** Every output the step sets: the report's, and `plan-json` (the file main.ts writes the plan to) when there is a plan. */
export function actionOutputs(report: ActionReport, planJsonFile: string): Record<string, string> {
  return report.planJson === undefined ? report.outputs : { ...report.outputs, "plan-json": planJsonFile };
}

/** The outputs of a run that ends before it could start (invalid inputs, an unreadable event, a bug): `summary` is `message` on one line. */
export function notStartedOutputs(message: string): Record<string, string> {
  // One line: the message's lines joined, without a stack's frames.
  const summary = message
    .split("\n")
    .filter((line) => !/^\s+at /.test(line))
    .join(" ");
  return { "has-changes": "unknown", summary };
}

export async function runAction(deps: ActionDependencies): Promise<ActionReport> {
  const decision = decideRun(deps.inputs.mode, deps.event);
  deps.log.info(`Waybill: ${decision.kind} (${decision.reason}).`);
  const warnings: Annotation[] =
    decision.warning === undefined ? [] : [{ level: "warning", message: decision.warning }];
  let report: ActionReport;
  try {
    if (decision.kind === "apply") report = await runApply(deps, decision);
    else if (decision.kind === "drift") report = await runDrift(deps, decision);
    else report = await runPlan(deps, decision);
  } catch (error) {
    const message = `Waybill could not ${decision.kind}: ${errorMessage(error)}`;
    return {
      decision,
      conclusion: "failure",
      failureMessage: message,
      outputs: unplannedOutputs(message),
      summaryMarkdown: `${heading(`Waybill ${decision.kind}`, deps.inputs.commentKey)}\n\n**${escapeMarkdownText(message)}**`,
      annotations: warnings,
    };
  }
  return { ...report, annotations: [...warnings, ...report.annotations] };
}
