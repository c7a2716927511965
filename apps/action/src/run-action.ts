/** One run of the action: decide what the event asks for, run Waybill, report to GitHub. Adapters come in; data goes out. */
import { type ActionEvent, decideRun, type RunDecision } from "./event.js";
import { COMMENT_BODY_LIMIT } from "./github/comment-body.js";
import type { GitHubPort, IssueRef, RepositoryRef } from "./github/github-port.js";
import { resolveCommentAuthor, upsertStickyComment } from "./github/sticky-comment.js";
import type { ActionInputs } from "./inputs.js";
import {
  type Annotation,
  applyResultsMarkdown,
  diagnosticAnnotations,
  diagnosticsMarkdown,
  driftAnnotations,
  failureList,
  planOutputs,
  where,
} from "./report.js";
import { isDrift, type PlanReport, type RunRequest, type WaybillRunner } from "./runner.js";

/** GitHub allows 1 MiB of summary per step; leave room for the rest of the page. */
const SUMMARY_PLAN_LIMIT = 900_000;
/** Room in a comment for the heading and footer around the plan. */
const COMMENT_OVERHEAD = 2_000;

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
    endpointUrl: inputs.endpointUrl,
  };
}

function titled(title: string, key: string): string {
  return `${title}${key === "" ? "" : ` · ${key}`}`;
}

function heading(title: string, key: string): string {
  return `### ${titled(title, key)}`;
}

function footer(deps: ActionDependencies, sha: string | undefined): string {
  const parts = [];
  if (sha !== undefined && sha !== "") parts.push(`commit ${sha.slice(0, 7)}`);
  if (deps.runUrl !== undefined) parts.push(`[workflow run](${deps.runUrl})`);
  return parts.length === 0 ? "" : `\n\n<sub>${parts.join(" · ")}</sub>`;
}

function planMarkdown(plan: PlanReport, title: string, key: string, maxLength: number): string {
  return plan.renderMarkdown({ maxLength, title: titled(title, key), key }).trimEnd();
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
  const outcome = await upsertStickyComment(github, {
    issue,
    key,
    markdown,
    truncationNotice: "The full plan is in the job summary and the `plan-json` output.",
    authorLogin: await resolveCommentAuthor(github),
  });
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

async function runPlan(deps: ActionDependencies, decision: RunDecision): Promise<ActionReport> {
  const { inputs, event } = deps;
  const outcome = await deps.runner.plan(runRequest(inputs));
  const pull = event.pullRequest;
  const sha = pull?.headSha ?? event.sha;
  const title = heading("Waybill plan", inputs.commentKey);
  const key = inputs.commentKey;
  const annotations: Annotation[] = [];

  let markdown: string;
  let report: Omit<ActionReport, "summaryMarkdown" | "annotations" | "decision">;
  if (outcome.status === "invalid") {
    markdown = `${title}\n\n${diagnosticsMarkdown(outcome.diagnostics)}`;
    annotations.push(...diagnosticAnnotations(outcome.diagnostics));
    const errors = outcome.diagnostics.filter((d) => d.severity === "error").length;
    report = {
      conclusion: "failure",
      failureMessage: `${errors} configuration error${errors === 1 ? "" : "s"}: see the annotations and the job summary.`,
      outputs: { "has-changes": "false", summary: `invalid: ${errors} errors` },
    };
  } else {
    annotations.push(...diagnosticAnnotations(outcome.diagnostics));
    markdown = planMarkdown(outcome.plan, "Waybill plan", key, COMMENT_BODY_LIMIT - COMMENT_OVERHEAD);
    report = {
      conclusion: "success",
      outputs: planOutputs(outcome.plan),
      planJson: outcome.plan.renderJson(),
    };
  }
  const summaryMarkdown =
    outcome.status === "planned"
      ? `${planMarkdown(outcome.plan, "Waybill plan", key, SUMMARY_PLAN_LIMIT)}${footer(deps, sha)}`
      : `${markdown}${footer(deps, sha)}`;

  if (pull !== undefined && inputs.comment) {
    if (pull.fromFork) {
      deps.log.info(
        "Pull request from a fork: the token is read-only, so the plan goes to the job summary only.",
      );
    } else {
      const posted = await comment(
        deps,
        { ...deps.repository, issueNumber: pull.number },
        key,
        `${markdown}${footer(deps, sha)}`,
      );
      annotations.push(...posted.annotations);
      if (posted.url !== undefined) report.outputs["comment-url"] = posted.url;
    }
  }
  return { decision, ...report, summaryMarkdown, annotations };
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
      outputs: { "has-changes": "false", summary: "invalid" },
      summaryMarkdown: `${title}\n\n${diagnosticsMarkdown(outcome.diagnostics)}`,
      annotations: diagnosticAnnotations(outcome.diagnostics),
    };
  }
  const { plan } = outcome;
  const drifted = plan.changes.filter(isDrift);
  const outputs = { ...planOutputs(plan), "has-changes": String(drifted.length > 0) };
  const summaryMarkdown = `${title}\n\n${
    drifted.length === 0
      ? "**No drift.** Live state matches the repository.\n\n"
      : `**Drift:** ${drifted.length} configuration${drifted.length === 1 ? "" : "s"} differ from the repository.\n\n`
  }${planMarkdown(plan, "Plan to make live match the repository", inputs.commentKey, SUMMARY_PLAN_LIMIT)}`;
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

async function runApply(deps: ActionDependencies, decision: RunDecision): Promise<ActionReport> {
  const { inputs, event } = deps;
  const outcome = await deps.runner.apply(runRequest(inputs));
  const title = heading("Waybill apply", inputs.commentKey);
  if (outcome.status === "invalid") {
    return {
      decision,
      conclusion: "failure",
      failureMessage: "The configuration files are invalid: nothing was applied. See the annotations.",
      outputs: { "has-changes": "false", summary: "invalid" },
      summaryMarkdown: `${title}\n\n${diagnosticsMarkdown(outcome.diagnostics)}`,
      annotations: diagnosticAnnotations(outcome.diagnostics),
    };
  }
  const { plan, results } = outcome;
  const failed = results.filter((result) => result.status === "failed");
  const outputs: Record<string, string> = { ...planOutputs(plan), "failed-count": String(failed.length) };
  const resultHeading =
    failed.length === 0 ? "" : `**${failed.length} change${failed.length === 1 ? "" : "s"} failed.**\n\n`;
  const applied = `${title}\n\n${resultHeading}${applyResultsMarkdown(results)}`;
  const summaryMarkdown = `${applied}\n\n${planMarkdown(plan, "The plan that was applied", inputs.commentKey, SUMMARY_PLAN_LIMIT)}${footer(deps, event.sha)}`;
  const annotations: Annotation[] = diagnosticAnnotations(outcome.diagnostics);

  if (inputs.comment && deps.github !== undefined && event.sha !== "") {
    try {
      const pulls = await deps.github.listPullRequestsForCommit(deps.repository, event.sha);
      const merged = pulls.find((pull) => pull.merged) ?? pulls[0];
      if (merged === undefined) {
        deps.log.info(`No pull request is associated with ${event.sha}: no reply.`);
      } else {
        const posted = await comment(
          deps,
          { ...deps.repository, issueNumber: merged.number },
          `apply:${inputs.commentKey}`,
          `${applied}${footer(deps, event.sha)}`,
        );
        annotations.push(...posted.annotations);
        if (posted.url !== undefined) outputs["comment-url"] = posted.url;
      }
    } catch (error) {
      // The apply happened; a failed reply must not hide that.
      annotations.push({
        level: "warning",
        message: `Could not reply on the pull request: ${errorMessage(error)}`,
      });
    }
  }
  if (failed.length > 0) {
    return {
      decision,
      conclusion: "failure",
      failureMessage: `${failed.length} of ${results.length} changes failed:\n${failureList(results)}`,
      outputs,
      summaryMarkdown,
      annotations,
      planJson: plan.renderJson(),
    };
  }
  return {
    decision,
    conclusion: "success",
    outputs,
    summaryMarkdown,
    annotations,
    planJson: plan.renderJson(),
  };
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
      outputs: { "has-changes": "false", summary: "error" },
      summaryMarkdown: `${heading(`Waybill ${decision.kind}`, deps.inputs.commentKey)}\n\n**Failed.** ${message}`,
      annotations: warnings,
    };
  }
  return { ...report, annotations: [...warnings, ...report.annotations] };
}
