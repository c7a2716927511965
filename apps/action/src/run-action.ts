/** One run of the action: decide what the event asks for, run Waybill, report to GitHub. Adapters come in; data goes out. */
import { escapeMarkdownText } from "@waybill/core/render";
import { type ActionEvent, decideRun, type PullRequestContext, type RunDecision } from "./event.js";
import { COMMENT_BODY_LIMIT } from "./github/comment-body.js";
import type { AssociatedPullRequest, GitHubPort, IssueRef, RepositoryRef } from "./github/github-port.js";
import { findStickyComment, resolveCommentAuthor, upsertStickyComment } from "./github/sticky-comment.js";
import type { ActionInputs } from "./inputs.js";
import {
  type Annotation,
  applyResultsMarkdown,
  blobLineLink,
  byteLength,
  diagnosticAnnotations,
  diagnosticCounts,
  diagnosticsMarkdown,
  diagnosticsTable,
  driftAnnotations,
  failureList,
  invalidHeadline,
  type LineLink,
  planOutputs,
  unplannedOutputs,
  where,
} from "./report.js";
import { parseReviewMarker, reviewDifferences, reviewMarkerLines } from "./review.js";
import {
  isDrift,
  type PlannedChange,
  type PlanReport,
  type ReviewVerdict,
  type RunDiagnostic,
  type RunRequest,
  type WaybillRunner,
} from "./runner.js";

/** GitHub allows 1 MiB (bytes, UTF-8) of summary per step. */
export const SUMMARY_BYTE_LIMIT = 1_048_576;
/** The plan's share of the summary; the rest is headings, tables and the footer. */
const SUMMARY_PLAN_BYTES = 700_000;
/** The apply results' or diagnostics' share of the summary. */
const SUMMARY_TABLE_BYTES = 300_000;
/** Room in a comment for the heading and footer around the plan. */
const COMMENT_OVERHEAD = 2_000;
/** A comment's share for the plan, diagnostics or results (bytes ≥ characters, so a byte budget is also a character one). */
const COMMENT_CONTENT_LIMIT = COMMENT_BODY_LIMIT - COMMENT_OVERHEAD;

/** What to say when a pull request's plan cannot reach AWS. */
export const FORK_NO_CREDENTIALS = "Plan needs AWS credentials, not available to pull requests from forks";
export const NO_CREDENTIALS = "Plan needs AWS credentials, and this run has none";

export interface ActionLog {
  info(message: string): void;
}

export interface ActionDependencies {
  /** Undefined when commenting is off or there is no token. */
  github: GitHubPort | undefined;
  runner: WaybillRunner;
  inputs: ActionInputs;
  event: ActionEvent;
  repository: RepositoryRef;
  /** Link to this workflow run, for comment footers. */
  runUrl: string | undefined;
  /** GitHub's web address (`GITHUB_SERVER_URL`), for links to a file's line; none without it. */
  serverUrl?: string;
  log: ActionLog;
}

export interface ActionReport {
  decision: RunDecision;
  conclusion: "success" | "failure";
  /** Set when the step fails: what went wrong and where. */
  failureMessage?: string;
  outputs: Record<string, string>;
  summaryMarkdown: string;
  annotations: Annotation[];
  /** The JSON plan, for the `plan-json` output's file. */
  planJson?: string;
}

function runRequest(inputs: ActionInputs): RunRequest {
  return {
    paths: inputs.paths,
    stack: inputs.stack,
    region: inputs.region,
    prune: inputs.prune,
    adopt: inputs.adopt,
    pruneAll: inputs.pruneAll,
    refresh: inputs.refresh,
    endpointUrl: inputs.endpointUrl,
  };
}

function titled(title: string, key: string): string {
  return `${title}${key === "" ? "" : ` · ${key}`}`;
}

/**
 * A conflict (a file naming an unmanaged configuration, another stack's, or a missing update
 * target) is never applied, so it fails the step as it fails the CLI, on every kind of run.
 */
function failOnConflicts(report: ActionReport, changes: readonly PlannedChange[]): ActionReport {
  const conflicts = changes.filter((change) => change.action === "conflict");
  if (conflicts.length === 0) return report;
  const list = conflicts.map((change) => `- conflict ${where(change)}`).join("\n");
  const message = `${conflicts.length} configuration${conflicts.length === 1 ? " is" : "s are"} in conflict and will not be applied (unmanaged: set \`adopt: true\` to take over; another stack's or a missing update target: rename or fix the file):\n${list}`;
  return {
    ...report,
    conclusion: "failure",
    failureMessage: report.failureMessage === undefined ? message : `${report.failureMessage}\n${message}`,
    annotations: [
      ...report.annotations,
      ...conflicts.map(
        (change): Annotation => ({
          level: "error",
          title: "Waybill conflict",
          message: `${change.name} (${change.region}) is in conflict and will not be applied`,
          ...(change.source === undefined ? {} : { file: change.source }),
        }),
      ),
    ],
  };
}

/**
 * Preflight's errors (what would fail hours later, at build time) fail the pull request's check,
 * each annotated at its place in the file; warnings are annotations only.
 */
function failOnPreflight(report: ActionReport, plan: PlanReport): ActionReport {
  const findings = plan.preflight?.findings ?? [];
  if (findings.length === 0) return report;
  const errors = findings.filter((finding) => finding.severity === "error");
  const annotations = findings.map(
    (finding): Annotation => ({
      level: finding.severity === "error" ? "error" : "warning",
      title: `Waybill preflight: ${finding.code}`,
      message: finding.message,
      file: finding.file,
      line: finding.line,
      column: finding.column,
    }),
  );
  if (errors.length === 0) return { ...report, annotations: [...report.annotations, ...annotations] };
  const message = `preflight found ${errors.length} error${errors.length === 1 ? "" : "s"}: the next build would fail (see the Preflight section of the plan)`;
  return {
    ...report,
    conclusion: "failure",
    failureMessage: report.failureMessage === undefined ? message : `${report.failureMessage}\n${message}`,
    annotations: [...report.annotations, ...annotations],
  };
}

function heading(title: string, key: string): string {
  return `### ${titled(title, key)}`;
}

/** `Waybill plan for stack "platform"`: the stack named as the CLI's heading names it. */
function forStack(title: string, plan: PlanReport): string {
  return `${title} for stack ${JSON.stringify(plan.stack)}`;
}

/** The key of the apply reply's sticky comment: `apply:<comment-key>` (`apply:default` for none). */
export function applyCommentKey(commentKey: string): string {
  return `apply:${commentKey.trim() === "" ? "default" : commentKey.trim()}`;
}

/** Links to a file's line at `sha` on GitHub, when the run knows where GitHub is and the commit. */
function lineLink(deps: ActionDependencies, sha: string | undefined): LineLink | undefined {
  if (deps.serverUrl === undefined || sha === undefined || sha === "") return undefined;
  return blobLineLink(deps.serverUrl, deps.repository, sha);
}

function footer(deps: ActionDependencies, sha: string | undefined): string {
  const parts = [];
  if (sha !== undefined && sha !== "") parts.push(`commit ${sha.slice(0, 7)}`);
  if (deps.runUrl !== undefined) parts.push(`[workflow run](${deps.runUrl})`);
  return parts.length === 0 ? "" : `\n\n<sub>${parts.join(" · ")}</sub>`;
}

/**
 * On a pull request whose plan needs the policy's sharing approval: what it needs before merge, or
 * what already approves it (`approvedBy`, from the pull request's labels and reviews).
 */
type Section = { title: string; lines: string[]; alert?: "CAUTION" | "IMPORTANT" };

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

/** Preflight's errors as an alert next to the headline: the full findings stay in their section below. */
function preflightAlert(plan: PlanReport): Section[] {
  const errors = (plan.preflight?.findings ?? []).filter((finding) => finding.severity === "error");
  if (errors.length === 0) return [];
  const shown = errors
    .slice(0, 5)
    .map(
      (finding) => `${finding.file}:${finding.line}:${finding.column} ${finding.code}: ${finding.message}`,
    );
  if (errors.length > 5) shown.push(`and ${errors.length - 5} more, in the Preflight section below`);
  return [
    {
      title: `Preflight found ${errors.length} error${errors.length === 1 ? "" : "s"}: the next build would fail`,
      alert: "CAUTION",
      lines: shown,
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

/**
 * The plan within `maxBytes` of UTF-8 (the renderer counts characters, which may take up to 3
 * bytes each); `onMerge` for a pull request's plan, which says what merging will do.
 */
function planMarkdown(
  plan: PlanReport,
  title: string,
  key: string,
  maxBytes: number,
  onMerge?: { approvedBy: string | undefined },
  drift = false,
): string {
  let maxLength = maxBytes;
  const sections = [...preflightAlert(plan), ...(onMerge ? approvalSections(plan, onMerge.approvedBy) : [])];
  for (let attempt = 0; ; attempt++) {
    const markdown = plan
      .renderMarkdown({
        maxLength,
        title: titled(title, key),
        key,
        onMerge: onMerge !== undefined,
        sections,
        ...(drift ? { drift } : {}),
      })
      .trimEnd();
    const bytes = byteLength(markdown);
    if (bytes <= maxBytes) return markdown;
    // A character is at most 3 bytes: a third of the budget always fits.
    maxLength =
      attempt >= 2
        ? Math.floor(maxBytes / 3)
        : Math.max(Math.floor(maxBytes / 3), Math.floor((maxLength * maxBytes) / bytes) - 64);
  }
}

/** A summary within GitHub's byte limit whatever went into it: whole lines, then a note. */
function fitSummary(markdown: string): string {
  if (byteLength(markdown) <= SUMMARY_BYTE_LIMIT) return markdown;
  const note = "\n\n> **Truncated:** the job summary is limited to 1 MiB.";
  const budget = SUMMARY_BYTE_LIMIT - byteLength(note);
  const kept: string[] = [];
  let bytes = 0;
  for (const line of markdown.split("\n")) {
    const added = byteLength(line) + 1;
    if (bytes + added > budget) break;
    kept.push(line);
    bytes += added;
  }
  return `${kept.join("\n")}${note}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The token's comment author, asked once per GitHub client (GET /user at most once a run). */
const authors = new WeakMap<GitHubPort, Promise<string>>();
function commentAuthor(github: GitHubPort): Promise<string> {
  let author = authors.get(github);
  if (author === undefined) {
    author = resolveCommentAuthor(github);
    // A failure is not remembered: the next caller asks again.
    author.catch(() => authors.delete(github));
    authors.set(github, author);
  }
  return author;
}

interface CommentResult {
  annotations: Annotation[];
  url?: string;
}

/** Posts or updates the sticky comment; a read-only token (fork) degrades to summary only. */
async function comment(
  deps: ActionDependencies,
  issue: IssueRef,
  key: string,
  markdown: string,
): Promise<CommentResult> {
  const { github } = deps;
  if (github === undefined) return { annotations: [] };
  let outcome: Awaited<ReturnType<typeof upsertStickyComment>>;
  try {
    outcome = await upsertStickyComment(github, {
      issue,
      key,
      markdown,
      truncationNotice: "The full plan is in the job summary and the `plan-json` output.",
      authorLogin: await commentAuthor(github),
    });
  } catch (error) {
    // GitHub failing (a 502, a timeout) must not lose the plan: the summary and outputs still stand.
    deps.log.info(`Not commenting: ${errorMessage(error)}`);
    return {
      annotations: [
        {
          level: "warning",
          message: `Could not comment on pull request #${issue.issueNumber}: ${errorMessage(error)}. The plan is in the job summary.`,
        },
      ],
    };
  }
  if (outcome.status === "forbidden") {
    deps.log.info(`Not commenting: ${outcome.error.message}`);
    return {
      annotations: [
        {
          level: "warning",
          message:
            "The token may not comment on this pull request (read-only, e.g. from a fork, or no `pull-requests: write`): the plan is in the job summary.",
        },
      ],
    };
  }
  deps.log.info(`Comment ${outcome.status}: ${outcome.comment.url}`);
  return { annotations: [], url: outcome.comment.url };
}

/** Invalid files: the diagnostics in the comment and summary, an annotation each, and the step fails. */
function invalidReport(
  diagnostics: readonly RunDiagnostic[],
  title: string,
  link: LineLink | undefined,
): {
  comment: string;
  summary: string;
  report: Omit<ActionReport, "summaryMarkdown" | "annotations" | "decision">;
} {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  return {
    comment: `${title}\n\n${diagnosticsMarkdown(diagnostics, COMMENT_CONTENT_LIMIT, link)}`,
    summary: `${title}\n\n${diagnosticsMarkdown(diagnostics, SUMMARY_TABLE_BYTES, link)}`,
    report: {
      conclusion: "failure",
      failureMessage: `${errors} configuration error${errors === 1 ? "" : "s"}: see the annotations and the job summary.`,
      outputs: unplannedOutputs(invalidHeadline(diagnostics)),
    },
  };
}

/** Valid files that could not be planned: what was checked, and why there is no plan. */
function validatedOnlyMarkdown(
  title: string,
  reason: string,
  files: readonly string[],
  diagnostics: readonly RunDiagnostic[],
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

async function runPlan(deps: ActionDependencies, decision: RunDecision): Promise<ActionReport> {
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
    const invalid = invalidReport(outcome.diagnostics, title, link);
    commentMarkdown = invalid.comment;
    summaryMarkdown = invalid.summary;
    report = invalid.report;
    annotations.push(...diagnosticAnnotations(outcome.diagnostics));
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
    const onMerge = pull === undefined ? undefined : { approvedBy };
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
        failOnPreflight(failOnConflicts(planReport, outcome.plan.changes), outcome.plan),
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
  | { status: "validated"; reason: string; files: string[]; diagnostics: RunDiagnostic[] };

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

async function runDrift(deps: ActionDependencies, decision: RunDecision): Promise<ActionReport> {
  const { inputs } = deps;
  const outcome = await deps.runner.plan(runRequest(inputs));
  const title = heading("Waybill drift check", inputs.commentKey);
  if (outcome.status === "invalid") {
    return {
      decision,
      conclusion: "failure",
      failureMessage: "The configuration files are invalid: see the annotations.",
      outputs: unplannedOutputs(invalidHeadline(outcome.diagnostics)),
      summaryMarkdown: fitSummary(
        `${title}\n\n${diagnosticsMarkdown(outcome.diagnostics, SUMMARY_TABLE_BYTES)}`,
      ),
      annotations: diagnosticAnnotations(outcome.diagnostics),
    };
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

/**
 * The merged pull request the pushed commit came from: `merged` undefined when there is none (or no
 * token), `error` when GitHub could not say, which the review check must not read as "none".
 */
interface MergedLookup {
  merged?: AssociatedPullRequest;
  error?: string;
}

async function findMergedPullRequest(deps: ActionDependencies): Promise<MergedLookup> {
  const { github, event } = deps;
  if (github === undefined || event.sha === "") return {};
  try {
    const merged = mergedPullRequest(
      await github.listPullRequestsForCommit(deps.repository, event.sha),
      event.sha,
    );
    return merged === undefined ? {} : { merged };
  } catch (error) {
    deps.log.info(`Could not find the merged pull request: ${errorMessage(error)}`);
    return { error: errorMessage(error) };
  }
}

/**
 * The plan reviewed on the merged pull request, as its plan comment records it: `none` when there is
 * nothing to compare with (no merged pull request, no token, or comments off and no plan comment);
 * `missing` when the merged pull request should have one and has not, or GitHub could not say which
 * pull request was merged or what its comments are. The comment is read even with `comment: false`,
 * so that input cannot turn the check off.
 */
type ReviewedPlan =
  | {
      status: "found";
      record: NonNullable<ReturnType<typeof parseReviewMarker>>;
      url: string;
      number: number;
    }
  | { status: "none"; why: string }
  | { status: "missing"; why: string };

async function reviewedPlan(deps: ActionDependencies, lookup: MergedLookup): Promise<ReviewedPlan> {
  const { github, inputs } = deps;
  const { merged } = lookup;
  if (github === undefined) return { status: "none", why: "no GitHub token" };
  if (lookup.error !== undefined)
    return {
      status: "missing",
      why: `GitHub could not say which pull request ${deps.event.sha} came from: ${lookup.error}`,
    };
  if (merged === undefined)
    return {
      status: "none",
      why: `no merged pull request is associated with ${deps.event.sha || "this push"}`,
    };
  const issue = { ...deps.repository, issueNumber: merged.number };
  try {
    const mine = await ownComment(github, issue, inputs.commentKey);
    const record = mine === undefined ? undefined : parseReviewMarker(mine.body);
    if ((mine === undefined || record === undefined) && !inputs.comment)
      return {
        status: "none",
        why: `comments are off (\`comment: false\`) and #${merged.number} has no plan comment`,
      };
    if (mine === undefined || record === undefined)
      return {
        status: "missing",
        why: `pull request #${merged.number} has no Waybill plan comment${inputs.commentKey === "" ? "" : ` for comment-key "${inputs.commentKey}"`}`,
      };
    return { status: "found", record, url: mine.url, number: merged.number };
  } catch (error) {
    return {
      status: "missing",
      why: `the plan comment of #${merged.number} could not be read: ${errorMessage(error)}`,
    };
  }
}

/** How to proceed when the plan differs from the reviewed one. */
const PLAN_CHANGED_HELP = [
  "To proceed, pick one:",
  "- if the difference comes from a change made outside the repository (live state), undo it and re-run this job: the reviewed plan applies;",
  "- to review the plan as it is now, open a pull request (an empty commit is enough): its plan comment shows it; merging it applies it;",
  "- if prune or adopt differ, give both jobs the same values (best: set them in `waybill.config.yaml`, not as inputs), then re-run;",
  "- to apply without review, re-run with the input `on-plan-change: apply` (the reply then lists what was not reviewed).",
].join("\n");

async function runApply(deps: ActionDependencies, decision: RunDecision): Promise<ActionReport> {
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
  const review = (plan: PlanReport): ReviewVerdict => {
    const differences =
      reviewed.status === "found"
        ? reviewDifferences(reviewed.record, plan.review)
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
    return {
      decision,
      conclusion: "failure",
      failureMessage: "The configuration files are invalid: nothing was applied. See the annotations.",
      outputs: unplannedOutputs(invalidHeadline(outcome.diagnostics)),
      summaryMarkdown: fitSummary(
        `${title}\n\n${diagnosticsMarkdown(outcome.diagnostics, SUMMARY_TABLE_BYTES)}`,
      ),
      annotations: diagnosticAnnotations(outcome.diagnostics),
    };
  }
  if (outcome.status === "refused") return refusedReport(deps, decision, outcome, merged, reviewed);
  const { plan, results } = outcome;
  const stackTitle = heading(forStack("Waybill apply", plan), inputs.commentKey);
  const failed = results.filter((result) => result.status === "failed");
  // The reply's headline, word for word: what the apply did.
  const outputs: Record<string, string> = {
    ...planOutputs(plan),
    summary: appliedCountLine(results),
    "failed-count": String(failed.length),
  };
  const annotations: Annotation[] = diagnosticAnnotations(outcome.diagnostics);
  const reviewNote = reviewedNote(reviewed, unreviewed, outcome.approvedBy, annotations);
  const resultHeading = `**${appliedCountLine(results)}**\n\n`;
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
    conclusion: failed.length > 0 ? "failure" : "success",
    ...(failed.length > 0
      ? { failureMessage: `${failed.length} of ${results.length} changes failed:\n${failureList(results)}` }
      : {}),
    outputs,
    summaryMarkdown,
    annotations,
    planJson: plan.renderJson(),
  };
  if (inputs.rollout && failed.length === 0)
    return failOnConflicts(await withRollout(deps, report), plan.changes);
  return failOnConflicts(report, plan.changes);
}

/** `Applied: 2 changes done, 1 failed, 0 skipped.`: the apply reply's first line. */
function appliedCountLine(results: readonly { status: "ok" | "failed" | "skipped" }[]): string {
  const count = (status: "ok" | "failed" | "skipped") => results.filter((r) => r.status === status).length;
  const done = count("ok");
  return `Applied: ${done} change${done === 1 ? "" : "s"} done, ${count("failed")} failed, ${count("skipped")} skipped.`;
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
 * Input `rollout: true`, after an apply with no failure: each current image to the targets it is
 * missing. Its lines go to the job summary; a failed target fails the step.
 */
async function withRollout(deps: ActionDependencies, report: ActionReport): Promise<ActionReport> {
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
  const message = `Not applied: ${outcome.reason}.`;
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

/**
 * The pull request a push to the default branch came from: a merged one only (an open pull request
 * can contain the same commit), preferably the one whose merge commit is the pushed commit.
 */
export function mergedPullRequest(
  pulls: readonly AssociatedPullRequest[],
  sha: string,
): AssociatedPullRequest | undefined {
  const merged = pulls.filter((pull) => pull.merged);
  return merged.find((pull) => pull.mergeCommitSha === sha) ?? merged[0];
}

/** This token's sticky comment for `key` on `issue`, if there is one. */
async function ownComment(github: GitHubPort, issue: IssueRef, key: string) {
  return findStickyComment(await github.listIssueComments(issue), key, await commentAuthor(github));
}

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
