/** What every flow of the action (plan, apply, drift) shares: its dependencies and report, headings, footers and markdown budgets. */
import type { ActionEvent, RunDecision } from "../event.js";
import { COMMENT_BODY_LIMIT } from "../github/comment-body.js";
import type { GitHubPort, RepositoryRef } from "../github/github-port.js";
import type { ActionInputs } from "../inputs.js";
import { type Annotation, blobLineLink, byteLength, type LineLink } from "../report.js";
import type { ActionRunRequest, PlanReport, WaybillRunner } from "../runner.js";

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

export function runRequest(inputs: ActionInputs): ActionRunRequest {
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
