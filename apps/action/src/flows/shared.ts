/** What every flow of the action (plan, apply, drift) shares: its dependencies and report, headings, markdown budgets, comments, and the engine's verdict rendered. */
import type { Verdict, VerdictReason } from "@waybill/engine";
import type { ActionEvent, RunDecision } from "../event.js";
import { COMMENT_BODY_LIMIT } from "../github/comment-body.js";
import type { GitHubPort, IssueRef, RepositoryRef } from "../github/github-port.js";
import { findStickyComment, resolveCommentAuthor, upsertStickyComment } from "../github/sticky-comment.js";
import type { ActionInputs } from "../inputs.js";
import {
  type Annotation,
  blobLineLink,
  byteLength,
  diagnosticAnnotations,
  diagnosticsMarkdown,
  type LineLink,
  unplannedOutputs,
} from "../report.js";
import type { PlanReport, RunRequest, WaybillRunner } from "../runner.js";

/** GitHub allows 1 MiB (bytes, UTF-8) of summary per step. */
export const SUMMARY_BYTE_LIMIT = 1_048_576;
/** The plan's share of the summary; the rest is headings, tables and the footer. */
export const SUMMARY_PLAN_BYTES = 700_000;
/** The apply results' or diagnostics' share of the summary. */
export const SUMMARY_TABLE_BYTES = 300_000;
/** Room in a comment for the heading and footer around the plan. */
const COMMENT_OVERHEAD = 2_000;
/** A comment's share for the plan, diagnostics or results (bytes ≥ characters, so a byte budget is also a character one). */
export const COMMENT_CONTENT_LIMIT = COMMENT_BODY_LIMIT - COMMENT_OVERHEAD;

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

export function runRequest(inputs: ActionInputs): RunRequest {
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

export function heading(title: string, key: string): string {
  return `### ${titled(title, key)}`;
}

/** `Waybill plan for stack "platform"`: the stack named as the CLI's heading names it. */
export function forStack(title: string, plan: PlanReport): string {
  return `${title} for stack ${JSON.stringify(plan.stack)}`;
}

/** Links to a file's line at `sha` on GitHub, when the run knows where GitHub is and the commit. */
export function lineLink(deps: ActionDependencies, sha: string | undefined): LineLink | undefined {
  if (deps.serverUrl === undefined || sha === undefined || sha === "") return undefined;
  return blobLineLink(deps.serverUrl, deps.repository, sha);
}

export function footer(deps: ActionDependencies, sha: string | undefined): string {
  const parts = [];
  if (sha !== undefined && sha !== "") parts.push(`commit ${sha.slice(0, 7)}`);
  if (deps.runUrl !== undefined) parts.push(`[workflow run](${deps.runUrl})`);
  return parts.length === 0 ? "" : `\n\n<sub>${parts.join(" · ")}</sub>`;
}

/** A section under the plan's headline; with `alert`, a GitHub alert. */
export type Section = { title: string; lines: string[]; alert?: "CAUTION" | "IMPORTANT" };

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
 * The plan within `maxBytes` of UTF-8 (the renderer counts characters, which may take up to 3
 * bytes each); `onMerge` for a pull request's plan, which says what merging will do.
 */
export function planMarkdown(
  plan: PlanReport,
  title: string,
  key: string,
  maxBytes: number,
  onMerge?: { sections: Section[] },
  drift = false,
): string {
  let maxLength = maxBytes;
  const sections = [...preflightAlert(plan), ...(onMerge?.sections ?? [])];
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
export function fitSummary(markdown: string): string {
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

export function errorMessage(error: unknown): string {
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
export async function comment(
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

/** This token's sticky comment for `key` on `issue`, if there is one. */
export async function ownComment(github: GitHubPort, issue: IssueRef, key: string) {
  return findStickyComment(await github.listIssueComments(issue), key, await commentAuthor(github));
}

/**
 * Invalid files (or settings): the diagnostics in the comment and summary under the verdict's
 * headline (the `summary` output too), an annotation each, and the step fails. One report for
 * every flow; `link` links each place to its line.
 */
export function invalidReport(
  verdict: Verdict,
  title: string,
  link: LineLink | undefined,
): {
  comment: string;
  summary: string;
  report: Omit<ActionReport, "summaryMarkdown" | "annotations" | "decision">;
  annotations: Annotation[];
} {
  const reason = verdict.reasons.find((r) => r.kind === "invalid");
  const diagnostics = reason?.diagnostics ?? [];
  const errors = reason?.errors ?? 0;
  const markdown = (maxBytes: number) =>
    `${title}\n\n${diagnosticsMarkdown(verdict.headline, diagnostics, maxBytes, link)}`;
  return {
    comment: markdown(COMMENT_CONTENT_LIMIT),
    summary: markdown(SUMMARY_TABLE_BYTES),
    report: {
      conclusion: "failure",
      failureMessage: `${errors} configuration error${errors === 1 ? "" : "s"}: see the annotations and the job summary.`,
      outputs: unplannedOutputs(verdict.headline),
    },
    annotations: diagnosticAnnotations(diagnostics),
  };
}

/** A run with invalid files that comments nowhere (drift, apply): the summary, the annotations, a failed step. */
export function invalidOnlyReport(
  deps: ActionDependencies,
  decision: RunDecision,
  verdict: Verdict,
  title: string,
): ActionReport {
  const sha = deps.event.sha;
  const invalid = invalidReport(verdict, title, lineLink(deps, sha));
  return {
    decision,
    ...invalid.report,
    summaryMarkdown: fitSummary(`${invalid.summary}${footer(deps, sha)}`),
    annotations: invalid.annotations,
  };
}

/** Adds a line to the report's failure message (the step fails). */
function failWith(report: ActionReport, message: string, annotations: Annotation[] = []): ActionReport {
  return {
    ...report,
    conclusion: "failure",
    failureMessage: report.failureMessage === undefined ? message : `${report.failureMessage}\n${message}`,
    annotations: [...report.annotations, ...annotations],
  };
}

/**
 * The engine's verdict on a plan or an apply, rendered: conflicts (never applied) fail the step,
 * each named with its reason and annotated at its file; preflight's errors (what would fail hours
 * later, at build time) fail it, each annotated at its place in the file (warnings are
 * annotations only); failed changes are listed. The engine decided; this only says it.
 */
export function failOnVerdict(
  report: ActionReport,
  verdict: Verdict,
  plan: PlanReport,
  failureList?: string,
): ActionReport {
  let result = report;
  const failed = verdict.reasons.find((r) => r.kind === "failed");
  if (failed !== undefined) result = failWith(result, `${failed.message}:\n${failureList ?? ""}`);
  const conflicts = verdict.reasons.filter(
    (r): r is Extract<VerdictReason, { kind: "conflict" }> => r.kind === "conflict",
  );
  if (conflicts.length > 0) {
    const list = conflicts
      .map((c) => `- conflict ${c.message}${c.source === undefined ? "" : ` (${c.source})`}`)
      .join("\n");
    result = failWith(
      result,
      `${conflicts.length} configuration${conflicts.length === 1 ? " is" : "s are"} in conflict and will not be applied (unmanaged: set \`adopt: true\` to take over; another stack's or a missing update target: rename or fix the file):\n${list}`,
      conflicts.map(
        (c): Annotation => ({
          level: "error",
          title: "Waybill conflict",
          message: `${c.name} (${c.region}) is in conflict and will not be applied: ${c.message}`,
          ...(c.source === undefined ? {} : { file: c.source }),
        }),
      ),
    );
  }
  // Every finding is annotated, warnings too; the errors fail the step when the verdict says so.
  const findings = plan.preflight?.findings ?? [];
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
  const preflight = verdict.reasons.find((r) => r.kind === "preflight");
  if (preflight === undefined) return { ...result, annotations: [...result.annotations, ...annotations] };
  return failWith(result, `${preflight.message} (see the Preflight section of the plan)`, annotations);
}
