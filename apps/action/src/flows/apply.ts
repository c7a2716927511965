/** The apply flow (a push to the default branch): re-plan, check it against the reviewed plan and the sharing policy, apply, reply on the merged pull request. */
import { escapeMarkdownText } from "@waybill/core/render";
import type { RunDecision } from "../event.js";
import type { AssociatedPullRequest } from "../github/github-port.js";
import {
  type Annotation,
  applyResultsMarkdown,
  diagnosticAnnotations,
  failureList,
  planOutputs,
} from "../report.js";
import { type ReviewRecord, reviewDifferences } from "../review.js";
import type { ReviewVerdict, WaybillRunner } from "../runner.js";
import { comment, ownComment } from "./comment.js";
import { findMergedPullRequest, type ReviewedPlan, reviewedPlan } from "./reviewed-plan.js";
import { withRollout } from "./rollout.js";
import {
  type ActionDependencies,
  type ActionReport,
  COMMENT_CONTENT_LIMIT,
  errorMessage,
  fitSummary,
  footer,
  forStack,
  heading,
  planMarkdown,
  runRequest,
  SUMMARY_PLAN_BYTES,
  SUMMARY_TABLE_BYTES,
} from "./shared.js";
import { failOnVerdict, invalidOnlyReport } from "./verdict.js";

/** The key of the apply reply's sticky comment: `apply:<comment-key>` (`apply:default` for none). */
export function applyCommentKey(commentKey: string): string {
  return `apply:${commentKey.trim() === "" ? "default" : commentKey.trim()}`;
}

/** How to proceed when the plan differs from the reviewed one. */
const PLAN_CHANGED_HELP = [
  "To proceed, pick one:",
  "- if the difference comes from a change made outside the repository (live state), undo it and re-run this job: the reviewed plan applies;",
  "- to review the plan as it is now, open a pull request (an empty commit is enough): its plan comment shows it; merging it applies it;",
  "- if prune or adopt differ, give both jobs the same values (best: set them in `waybill.config.yaml`, not as inputs), then re-run;",
  "- to apply without review, re-run with the input `on-plan-change: apply` (the reply then lists what was not reviewed).",
].join("\n");

export async function runApply(deps: ActionDependencies, decision: RunDecision): Promise<ActionReport> {
  const { inputs, event } = deps;
  const lookup = await findMergedPullRequest(deps);
  const { merged } = lookup;
  const github = deps.github;
  // Asked only when the policy's sharing gate applies to the plan: what the merged pull request shows
  // of what the policy counts. Reviews are asked for only when a review can approve and no label did.
  const approval = async (rule: { label?: string; approvingReview: boolean }) => {
    if (merged === undefined || github === undefined) return undefined;
    const byLabel = rule.label !== undefined && merged.labels.includes(rule.label);
    return {
      labels: merged.labels,
      approvingReviews:
        byLabel || !rule.approvingReview
          ? 0
          : await github.approvingReviewCount(deps.repository, merged.number),
    };
  };
  const reviewed = await reviewedPlan(deps, lookup);
  let unreviewed: string[] = [];
  const review = (record: ReviewRecord): ReviewVerdict => {
    const differences =
      reviewed.status === "found"
        ? reviewDifferences(reviewed.record, record)
        : reviewed.status === "missing"
          ? [`no reviewed plan to compare with: ${reviewed.why}`]
          : [];
    if (differences.length === 0) return { apply: true };
    if (inputs.onPlanChange === "apply") {
      unreviewed = differences;
      return { apply: true };
    }
    return {
      apply: false,
      reason:
        reviewed.status === "found"
          ? `the plan differs from the one reviewed on #${reviewed.number}`
          : `no reviewed plan was found (${reviewed.why})`,
      differences,
    };
  };
  const outcome = await deps.runner.apply(runRequest(inputs), approval, review);
  const title = heading("Waybill apply", inputs.commentKey);
  if (outcome.status === "invalid") {
    return invalidOnlyReport(deps, decision, outcome.verdict, title);
  }
  if (outcome.status === "refused") return refusedReport(deps, decision, outcome, merged, reviewed);
  const { plan, results } = outcome;
  const stackTitle = heading(forStack("Waybill apply", plan), inputs.commentKey);
  const failed = results.filter((result) => result.status === "failed");
  const outputs: Record<string, string> = {
    ...planOutputs(plan),
    // The reply's headline, the engine's words: what the apply did.
    summary: outcome.verdict.headline,
    "failed-count": String(failed.length),
  };
  const annotations: Annotation[] = diagnosticAnnotations(outcome.diagnostics);
  const reviewNote = reviewedNote(reviewed, unreviewed, outcome.approvedBy, annotations);
  const resultHeading = `**${outcome.verdict.headline}**\n\n`;
  const applied = (maxBytes: number, note: string) =>
    `${stackTitle}\n\n${resultHeading}${note}${applyResultsMarkdown(results, maxBytes)}`;
  // A re-run of an apply that succeeded finds nothing to do: the pull request's reply keeps its record.
  const nothingApplied = results.every((result) => result.status === "skipped");

  let note = reviewNote;
  if (inputs.comment && deps.github !== undefined && event.sha !== "") {
    try {
      if (merged === undefined) {
        deps.log.info(`No merged pull request is associated with ${event.sha}: no reply.`);
      } else {
        const issue = { ...deps.repository, issueNumber: merged.number };
        const applyKey = applyCommentKey(inputs.commentKey);
        const earlier = nothingApplied ? await ownComment(deps.github, issue, applyKey) : undefined;
        if (earlier !== undefined) {
          deps.log.info(
            `Nothing was applied: the reply on #${merged.number} keeps its record of the earlier apply (${earlier.url}).`,
          );
          note = `Nothing was applied this time: the reply on #${merged.number} keeps its record of the apply that made these changes.\n\n`;
          outputs["comment-url"] = earlier.url;
        } else {
          const posted = await comment(
            deps,
            issue,
            applyKey,
            `${applied(COMMENT_CONTENT_LIMIT, reviewNote)}${footer(deps, event.sha)}`,
          );
          annotations.push(...posted.annotations);
          if (posted.url !== undefined) outputs["comment-url"] = posted.url;
        }
      }
    } catch (error) {
      // The apply happened; a failed reply must not hide that.
      annotations.push({
        level: "warning",
        message: `Could not reply on the pull request: ${errorMessage(error)}`,
      });
    }
  }
  const summaryMarkdown = fitSummary(
    `${applied(SUMMARY_TABLE_BYTES, note)}\n\n${planMarkdown(plan, forStack("The plan that was applied", plan), inputs.commentKey, SUMMARY_PLAN_BYTES)}${footer(deps, event.sha)}`,
  );
  const report: ActionReport = {
    decision,
    conclusion: "success",
    outputs,
    summaryMarkdown,
    annotations,
    planJson: plan.renderJson(),
  };
  const done = inputs.rollout && failed.length === 0 ? await withRollout(deps, report) : report;
  return failOnVerdict(done, outcome.verdict, plan, failureList(results));
}

/**
 * What the apply reply says of review: a link to the reviewed plan it matched, or what was applied
 * without review (`on-plan-change: apply`, with an annotation), and who approved wider sharing.
 */
function reviewedNote(
  reviewed: ReviewedPlan,
  unreviewed: readonly string[],
  approvedBy: string | undefined,
  annotations: Annotation[],
): string {
  const lines: string[] = [];
  if (unreviewed.length > 0) {
    annotations.push({
      level: "warning",
      message: `The plan changed since review and was applied anyway (on-plan-change: apply):\n${unreviewed.map((line) => `- ${line}`).join("\n")}`,
    });
    lines.push(
      `> [!WARNING]\n> **The plan changed since review and was applied anyway** (\`on-plan-change: apply\`):\n${unreviewed.map((line) => `> - ${escapeMarkdownText(line)}`).join("\n")}`,
    );
  } else if (reviewed.status === "found") {
    lines.push(`Applied the plan [reviewed on #${reviewed.number}](${reviewed.url}).`);
  } else if (reviewed.status === "none") {
    annotations.push({
      level: "warning",
      message: `No reviewed plan to compare with (${reviewed.why}): the plan made now was applied.`,
    });
    lines.push(
      `No reviewed plan to compare with (${escapeMarkdownText(reviewed.why)}): the plan made now was applied.`,
    );
  }
  if (approvedBy !== undefined)
    lines.push(`Wider sharing approved by ${escapeMarkdownText(approvedBy)} on the pull request.`);
  return lines.length === 0 ? "" : `${lines.join("\n\n")}\n\n`;
}

/**
 * Nothing applied: the plan differs from the reviewed one, or it widens sharing without the
 * approval the policy needs. The step fails and says why and how to proceed.
 */
async function refusedReport(
  deps: ActionDependencies,
  decision: RunDecision,
  outcome: Extract<Awaited<ReturnType<WaybillRunner["apply"]>>, { status: "refused" }>,
  merged: AssociatedPullRequest | undefined,
  reviewed: ReviewedPlan,
): Promise<ActionReport> {
  const { inputs, event } = deps;
  const { plan } = outcome;
  // The verdict's headline: `Not applied: <why>.`
  const message = outcome.verdict.headline;
  const differences = outcome.differences ?? [];
  const caution = `> [!CAUTION]\n> **${escapeMarkdownText(message)}** Nothing was changed.${
    differences.length === 0 ? " Add the approval and re-run this job." : ""
  }`;
  const reviewedLink =
    reviewed.status === "found"
      ? `The plan [reviewed on #${reviewed.number}](${reviewed.url}) `
      : "The reviewed plan ";
  const differs =
    differences.length === 0
      ? ""
      : `\n\n${reviewedLink}and the plan made now differ:\n\n${differences
          .map((line) => `- ${escapeMarkdownText(line)}`)
          .join("\n")}\n\n${PLAN_CHANGED_HELP}`;
  const body = `${heading(forStack("Waybill apply", plan), inputs.commentKey)}\n\n${caution}${differs}`;
  const annotations: Annotation[] = diagnosticAnnotations(outcome.diagnostics);
  const outputs: Record<string, string> = { ...planOutputs(plan), "failed-count": "0", summary: message };
  if (inputs.comment && merged !== undefined) {
    const posted = await comment(
      deps,
      { ...deps.repository, issueNumber: merged.number },
      applyCommentKey(inputs.commentKey),
      `${body}${footer(deps, event.sha)}`,
    );
    annotations.push(...posted.annotations);
    if (posted.url !== undefined) outputs["comment-url"] = posted.url;
  }
  return {
    decision,
    conclusion: "failure",
    failureMessage:
      differences.length === 0
        ? message
        : `${message}\n${differences.map((line) => `- ${line}`).join("\n")}\nSee the job summary for how to proceed.`,
    outputs,
    summaryMarkdown: fitSummary(
      `${body}\n\n${planMarkdown(plan, forStack("The plan that was not applied", plan), inputs.commentKey, SUMMARY_PLAN_BYTES)}${footer(deps, event.sha)}`,
    ),
    annotations,
    planJson: plan.renderJson(),
  };
}
