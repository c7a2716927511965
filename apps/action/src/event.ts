/** What triggered the run (from the webhook payload) and what the action does about it. */
import { z } from "zod";
import type { ActionMode } from "./inputs.js";

const repositorySchema = z.object({ full_name: z.string(), default_branch: z.string().optional() });

const payloadSchema = z.looseObject({
  repository: repositorySchema.optional(),
  pull_request: z
    .looseObject({
      number: z.number(),
      head: z.looseObject({ sha: z.string().optional(), repo: repositorySchema.nullable().optional() }),
      base: z.looseObject({ repo: repositorySchema.optional() }),
      labels: z.array(z.looseObject({ name: z.string() })).optional(),
    })
    .optional(),
  // issue_comment on a pull request carries issue.pull_request.
  issue: z.looseObject({ number: z.number(), pull_request: z.unknown().optional() }).optional(),
});

export interface PullRequestContext {
  number: number;
  /** The head branch lives in another repository, so GITHUB_TOKEN is read-only. */
  fromFork: boolean;
  headSha: string | undefined;
  /** Its labels as the event saw them (none known for a comment's event). */
  labels: string[];
}

export interface ActionEvent {
  name: string;
  ref: string;
  sha: string;
  defaultBranch: string | undefined;
  pullRequest: PullRequestContext | undefined;
}

export function readActionEvent(
  name: string,
  payload: unknown,
  runner: { ref: string; sha: string },
): { success: true; event: ActionEvent } | { success: false; errors: string[] } {
  const parsed = payloadSchema.safeParse(payload ?? {});
  if (!parsed.success) {
    return {
      success: false,
      errors: parsed.error.issues.map((issue) => `event payload ${issue.path.join(".")}: ${issue.message}`),
    };
  }
  const { pull_request: pull, issue, repository } = parsed.data;
  let pullRequest: PullRequestContext | undefined;
  if (pull !== undefined) {
    const head = pull.head.repo?.full_name;
    const base = pull.base.repo?.full_name ?? repository?.full_name;
    // A deleted fork has head.repo null: still not ours to write to.
    pullRequest = {
      number: pull.number,
      fromFork: head === undefined || head !== base,
      headSha: pull.head.sha,
      labels: (pull.labels ?? []).map((label) => label.name),
    };
  } else if (issue?.pull_request !== undefined) {
    pullRequest = { number: issue.number, fromFork: false, headSha: undefined, labels: [] };
  }
  return {
    success: true,
    event: {
      name,
      ref: runner.ref,
      sha: runner.sha,
      defaultBranch: repository?.default_branch,
      pullRequest,
    },
  };
}

/** pull_request, pull_request_target, pull_request_review, ... and comments on pull requests. */
export function isPullRequestEvent(event: ActionEvent): boolean {
  return event.name.startsWith("pull_request") || event.pullRequest !== undefined;
}

export type RunKind = "plan" | "apply" | "drift";

export type RunDecision = { kind: RunKind; reason: string; warning?: string };

export function decideRun(mode: ActionMode, event: ActionEvent): RunDecision {
  const pullRequestEvent = isPullRequestEvent(event);
  if (mode === "apply" && pullRequestEvent) {
    return {
      kind: "plan",
      reason: `mode is apply, but this is a ${event.name} event`,
      warning: "Waybill never applies on a pull-request event; planning instead.",
    };
  }
  if (mode !== "auto") return { kind: mode, reason: `mode is ${mode}` };
  if (pullRequestEvent) return { kind: "plan", reason: `${event.name} event` };
  if (event.name === "push") {
    const defaultRef = event.defaultBranch === undefined ? undefined : `refs/heads/${event.defaultBranch}`;
    if (defaultRef !== undefined && event.ref === defaultRef) {
      return { kind: "apply", reason: `push to the default branch (${event.defaultBranch})` };
    }
    return { kind: "plan", reason: `push to ${event.ref}, not the default branch` };
  }
  if (event.name === "schedule" || event.name === "workflow_dispatch") {
    return { kind: "drift", reason: `${event.name} event` };
  }
  return { kind: "plan", reason: `${event.name} event` };
}
