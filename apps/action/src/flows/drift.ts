/** The drift flow (a schedule): plan, and fail when live state differs from the repository; the images' status in the summary. */
import { escapeMarkdownText } from "@waybill/core/render";
import type { RunDecision } from "../event.js";
import { driftAnnotations, planOutputs, where } from "../report.js";
import { isDrift } from "../runner.js";
import {
  type ActionDependencies,
  type ActionReport,
  errorMessage,
  fitSummary,
  forStack,
  heading,
  planMarkdown,
  runRequest,
  SUMMARY_PLAN_BYTES,
} from "./shared.js";
import { invalidOnlyReport } from "./verdict.js";

export async function runDrift(deps: ActionDependencies, decision: RunDecision): Promise<ActionReport> {
  const { inputs } = deps;
  const outcome = await deps.runner.plan(runRequest(inputs));
  const title = heading("Waybill drift check", inputs.commentKey);
  if (outcome.status === "invalid") {
    return invalidOnlyReport(deps, decision, outcome.verdict, title);
  }
  if (outcome.status === "no-credentials") throw new Error(outcome.message);
  const { plan } = outcome;
  const drifted = plan.changes.filter(isDrift);
  // The summary's headline, word for word, is the `summary` output.
  const headline =
    drifted.length === 0
      ? "No drift: live state matches the repository."
      : `Drift: ${drifted.length === 1 ? "1 configuration differs" : `${drifted.length} configurations differ`} from the repository.`;
  const outputs = { ...planOutputs(plan), "has-changes": String(drifted.length > 0), summary: headline };
  const images = await imageStatusMarkdown(deps);
  const summaryMarkdown = fitSummary(
    `${title}\n\n**${headline}**\n\n${images}${planMarkdown(
      plan,
      forStack("Plan to make live match the repository", plan),
      inputs.commentKey,
      SUMMARY_PLAN_BYTES,
      undefined,
      true,
    )}`,
  );
  if (drifted.length === 0) {
    return {
      decision,
      conclusion: "success",
      outputs,
      summaryMarkdown,
      annotations: [],
      planJson: plan.renderJson(),
    };
  }
  return {
    decision,
    conclusion: "failure",
    failureMessage: `Drift: live state differs from the repository for ${drifted.length} configuration${
      drifted.length === 1 ? "" : "s"
    }:\n${drifted.map((change) => `- ${change.action} ${where(change)}`).join("\n")}`,
    outputs,
    summaryMarkdown,
    annotations: driftAnnotations(drifted),
    planJson: plan.renderJson(),
  };
}

/** Most missing targets listed in the drift summary; the page (`status-html`) has them all. */
const MAX_MISSING_LINES = 50;

/**
 * Drift mode's image status: the summary line and the missing targets, for the job summary; with
 * input `status-html`, the page written there. A failure to read images is said, not fatal.
 */
async function imageStatusMarkdown(deps: ActionDependencies): Promise<string> {
  if (deps.runner.status === undefined) return "";
  try {
    const outcome = await deps.runner.status(runRequest(deps.inputs), { htmlPath: deps.inputs.statusHtml });
    if (outcome.status !== "read") return "";
    const lines = outcome.missing.slice(0, MAX_MISSING_LINES).map((line) => `- ${escapeMarkdownText(line)}`);
    if (outcome.missing.length > MAX_MISSING_LINES)
      lines.push(`- … and ${outcome.missing.length - MAX_MISSING_LINES} more (see the status page)`);
    return `**Images:** ${escapeMarkdownText(outcome.headline)}${lines.length > 0 ? ` (\`waybill rollout\` fills what is missing)\n\n${lines.join("\n")}` : ""}\n\n`;
  } catch (error) {
    deps.log.info(`Could not read the image status: ${errorMessage(error)}`);
    return "";
  }
}
