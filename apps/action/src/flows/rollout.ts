/** After an apply with no failure (input `rollout: true`): each current image to the targets it is missing. */
import { escapeMarkdownText } from "@waybill/core/render";
import { diagnosticAnnotations } from "../report.js";
import type { WaybillRunner } from "../runner.js";
import {
  type ActionDependencies,
  type ActionReport,
  errorMessage,
  fitSummary,
  runRequest,
} from "./shared.js";

/**
 * Input `rollout: true`, after an apply with no failure: each current image to the targets it is
 * missing. Its lines go to the job summary; a failed target fails the step.
 */
export async function withRollout(deps: ActionDependencies, report: ActionReport): Promise<ActionReport> {
  if (deps.runner.rollout === undefined) return report;
  let outcome: Awaited<ReturnType<NonNullable<WaybillRunner["rollout"]>>>;
  try {
    outcome = await deps.runner.rollout(runRequest(deps.inputs));
  } catch (error) {
    // The apply is done: its report and outputs stand; only the rollout failed.
    const message = `Applied, but the rollout could not run: ${errorMessage(error)}`;
    return {
      ...report,
      conclusion: "failure",
      failureMessage: message,
      summaryMarkdown: fitSummary(
        `${report.summaryMarkdown}\n\n**Rollout** could not run: ${escapeMarkdownText(errorMessage(error))}`,
      ),
    };
  }
  if (outcome.status === "invalid") {
    return {
      ...report,
      conclusion: "failure",
      failureMessage: "Applied, but the rollout could not run: see the annotations.",
      summaryMarkdown: fitSummary(`${report.summaryMarkdown}\n\n**Rollout** could not run.`),
      annotations: [...report.annotations, ...diagnosticAnnotations(outcome.diagnostics)],
    };
  }
  const lines =
    outcome.lines.length === 0
      ? ["nothing to roll out: every current image is in every target of its configuration"]
      : outcome.lines;
  const section = `**Rollout**\n\n${lines.map((line) => `- ${escapeMarkdownText(line)}`).join("\n")}`;
  return {
    ...report,
    ...(outcome.failed > 0
      ? {
          conclusion: "failure",
          failureMessage: `Applied, but the rollout failed for ${outcome.failed} image${outcome.failed === 1 ? "" : "s"}: run the job again to retry only what is still missing.`,
        }
      : {}),
    summaryMarkdown: fitSummary(`${report.summaryMarkdown}\n\n${section}`),
  };
}
