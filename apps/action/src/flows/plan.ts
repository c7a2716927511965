/** The plan flow (pull requests, pushes to other branches): plan, comment on the pull request, fail on what the verdict or the sharing policy says. */
import type { Diagnostic } from "@waybill/core";
import type { PullRequestContext, RunDecision } from "../event.js";
import {
  type Annotation,
  diagnosticAnnotations,
  diagnosticCounts,
  diagnosticsTable,
  type LineLink,
  planOutputs,
  unplannedOutputs,
} from "../report.js";
import { reviewMarkerLines } from "../review.js";
import type { PlanReport, WaybillRunner } from "../runner.js";
import { comment } from "./comment.js";
import {
  type ActionDependencies,
  type ActionReport,
  COMMENT_CONTENT_LIMIT,
  errorMessage,
  fitSummary,
  footer,
  forStack,
  heading,
  lineLink,
  planMarkdown,
  runRequest,
  type Section,
  SUMMARY_PLAN_BYTES,
  SUMMARY_TABLE_BYTES,
} from "./shared.js";
import { failOnVerdict, invalidReport } from "./verdict.js";

/** What to say when a pull request's plan cannot reach AWS. */
export const FORK_NO_CREDENTIALS = "Plan needs AWS credentials, not available to pull requests from forks";
export const NO_CREDENTIALS = "Plan needs AWS credentials, and this run has none";

/**
 * On a pull request whose plan needs the policy's sharing approval: what it needs before merge, or
 * what already approves it (`approvedBy`, from the pull request's labels and reviews).
 */
function approvalSections(plan: PlanReport, approvedBy: string | undefined): Section[] {
  const needed = plan.approvalNeeded;
  if (needed === undefined) return [];
  const grants = `${needed.widening} new grant${needed.widening === 1 ? "" : "s"}`;
  if (approvedBy !== undefined) {
    return [
      {
        title: "Sharing approved",
        lines: [
          `This plan widens who may launch or receive the images (${grants}); it is approved by ${approvedBy} on this pull request, as the policy's sharingApproval asks. The apply after merge checks the merged pull request again.`,
        ],
      },
    ];
  }
  return [
    {
      title: "Approval needed",
      alert: "IMPORTANT",
      lines: [
        `This plan widens who may launch or receive the images (${grants}): the policy's sharingApproval needs ${needed.approves} on this pull request. Until then this check fails; without it, the apply after merge refuses and changes nothing.`,
      ],
    },
  ];
}

/**
 * What approves a pull request's plan that needs the policy's sharing approval: its labels (as the
 * event saw them), else its approving reviews, asked of GitHub only when the policy counts them and
 * no label approved. Undefined when nothing does (or GitHub cannot say: the comment then says the
 * approval is needed, and the apply checks anyway).
 */
async function approvalOnPullRequest(
  deps: ActionDependencies,
  plan: PlanReport,
  pull: PullRequestContext,
): Promise<string | undefined> {
  const needed = plan.approvalNeeded;
  if (needed === undefined) return undefined;
  const byLabel = needed.approvedBy({ labels: pull.labels, approvingReviews: 0 });
  if (byLabel !== undefined || !needed.reviewsApprove || deps.github === undefined) return byLabel;
  try {
    const approvingReviews = await deps.github.approvingReviewCount(deps.repository, pull.number);
    return needed.approvedBy({ labels: pull.labels, approvingReviews });
  } catch (error) {
    deps.log.info(`Could not read the reviews of #${pull.number}: ${errorMessage(error)}`);
    return undefined;
  }
}

/** Valid files that could not be planned: what was checked, and why there is no plan. */
function validatedOnlyMarkdown(
  title: string,
  reason: string,
  files: readonly string[],
  diagnostics: readonly Diagnostic[],
  maxBytes: number,
  link: LineLink | undefined,
): string {
  const warnings =
    diagnostics.length === 0
      ? ""
      : `\n\n${diagnosticCounts(diagnostics)}:\n\n${diagnosticsTable(diagnostics, maxBytes, link)}`;
  return `${title}\n\n**${validatedOnlyHeadline(files)}**\n\n${reason}: the files were validated only.${warnings}`;
}

/** The headline of a run that validated only: the comment's bold line and the `summary` output. */
function validatedOnlyHeadline(files: readonly string[]): string {
  return `Validation passed for ${files.length} configuration file${files.length === 1 ? "" : "s"}: nothing was planned.`;
}

export async function runPlan(deps: ActionDependencies, decision: RunDecision): Promise<ActionReport> {
  const { inputs, event } = deps;
  const pull = event.pullRequest;
  // A fork's run usually gets no secrets and no OIDC token: then it validates only, and says why.
  // With credentials (pull_request_target, a self-hosted runner's role) it plans, read-only; either
  // way a fork's result goes to the job summary only (its token cannot comment).
  const outcome = await planOrValidate(
    deps,
    pull !== undefined,
    pull?.fromFork === true ? FORK_NO_CREDENTIALS : NO_CREDENTIALS,
  );
  const sha = pull?.headSha ?? event.sha;
  const title = heading("Waybill plan", inputs.commentKey);
  const key = inputs.commentKey;
  const annotations: Annotation[] = [];
  // Errors link to their line as the pull request's head commit has it.
  const link = lineLink(deps, sha);

  let commentMarkdown: string;
  let summaryMarkdown: string;
  let approvedBy: string | undefined;
  let report: Omit<ActionReport, "summaryMarkdown" | "annotations" | "decision">;
  if (outcome.status === "invalid") {
    const invalid = invalidReport(outcome.verdict, title, link);
    commentMarkdown = invalid.comment;
    summaryMarkdown = invalid.summary;
    report = invalid.report;
    annotations.push(...invalid.annotations);
  } else if (outcome.status === "validated") {
    annotations.push(...diagnosticAnnotations(outcome.diagnostics));
    commentMarkdown = validatedOnlyMarkdown(
      title,
      outcome.reason,
      outcome.files,
      outcome.diagnostics,
      COMMENT_CONTENT_LIMIT,
      link,
    );
    summaryMarkdown = validatedOnlyMarkdown(
      title,
      outcome.reason,
      outcome.files,
      outcome.diagnostics,
      SUMMARY_TABLE_BYTES,
      link,
    );
    report = { conclusion: "success", outputs: unplannedOutputs(validatedOnlyHeadline(outcome.files)) };
  } else if (outcome.status === "no-credentials") {
    // Not a pull request (a push to another branch): nothing explains the missing credentials.
    throw new Error(outcome.message);
  } else {
    annotations.push(...diagnosticAnnotations(outcome.diagnostics));
    const planTitle = forStack("Waybill plan", outcome.plan);
    // A pull request's comment says what merging it will apply, and whether sharing is approved.
    approvedBy = pull === undefined ? undefined : await approvalOnPullRequest(deps, outcome.plan, pull);
    const onMerge = pull === undefined ? undefined : { sections: approvalSections(outcome.plan, approvedBy) };
    // What the reviewer saw, for the apply to compare with: right after the marker line, so
    // truncation keeps it, and taken from the plan's room.
    const review = reviewMarkerLines(outcome.plan.review);
    const planned = planMarkdown(
      outcome.plan,
      planTitle,
      key,
      COMMENT_CONTENT_LIMIT - review.length - 1,
      onMerge,
    );
    const newline = planned.indexOf("\n");
    commentMarkdown =
      newline === -1 ? planned : `${planned.slice(0, newline)}\n${review}${planned.slice(newline)}`;
    summaryMarkdown = planMarkdown(outcome.plan, planTitle, key, SUMMARY_PLAN_BYTES, onMerge);
    report = {
      conclusion: "success",
      outputs: planOutputs(outcome.plan),
      planJson: outcome.plan.renderJson(),
    };
  }

  if (pull !== undefined && inputs.comment) {
    if (pull.fromFork) {
      deps.log.info(
        "Pull request from a fork: the token is read-only, so the result goes to the job summary only.",
      );
    } else {
      const posted = await comment(
        deps,
        { ...deps.repository, issueNumber: pull.number },
        key,
        `${commentMarkdown}${footer(deps, sha)}`,
      );
      annotations.push(...posted.annotations);
      if (posted.url !== undefined) report.outputs["comment-url"] = posted.url;
    }
  }
  const planReport: ActionReport = {
    decision,
    ...report,
    summaryMarkdown: fitSummary(`${summaryMarkdown}${footer(deps, sha)}`),
    annotations,
  };
  return outcome.status === "planned"
    ? failOnApprovalNeeded(
        failOnVerdict(planReport, outcome.plan.verdict, outcome.plan),
        outcome.plan,
        pull === undefined ? "" : approvedBy,
      )
    : planReport;
}

/**
 * A pull request whose plan needs the policy's sharing approval, and has none yet, fails its check:
 * red until the label is added (the plan re-runs on `labeled`) or, after an approving review, the
 * job is re-run. So branch protection can hold the merge that the apply would refuse anyway.
 * (`approvedBy` is "" outside a pull request: nothing to approve there.)
 */
function failOnApprovalNeeded(
  report: ActionReport,
  plan: PlanReport,
  approvedBy: string | undefined,
): ActionReport {
  const needed = plan.approvalNeeded;
  if (needed === undefined || approvedBy !== undefined || report.decision.kind !== "plan") return report;
  const message = `Sharing approval needed: this plan widens who may launch or receive the images, and the policy's sharingApproval needs ${needed.approves} on the pull request (then this check re-runs on the label, or re-run it after an approving review).`;
  return {
    ...report,
    conclusion: "failure",
    failureMessage: report.failureMessage === undefined ? message : `${report.failureMessage}\n${message}`,
  };
}

type PlanOrValidation =
  | Exclude<Awaited<ReturnType<WaybillRunner["plan"]>>, { status: "no-credentials" }>
  | { status: "no-credentials"; message: string }
  | { status: "validated"; reason: string; files: string[]; diagnostics: Diagnostic[] };

/** Plans; on a pull request without credentials, falls back to what was validated. */
async function planOrValidate(
  deps: ActionDependencies,
  pullRequest: boolean,
  reason: string,
): Promise<PlanOrValidation> {
  const outcome = await deps.runner.plan(runRequest(deps.inputs));
  if (outcome.status !== "no-credentials") return outcome;
  if (!pullRequest) return { status: "no-credentials", message: outcome.message };
  deps.log.info(`No AWS credentials (${outcome.message}): validating only.`);
  return {
    status: "validated",
    reason,
    files: outcome.files,
    diagnostics: outcome.diagnostics,
  };
}
