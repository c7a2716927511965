/** What the apply compares with: the merged pull request a push came from, and the plan reviewed on it. */
import type { AssociatedPullRequest } from "../github/github-port.js";
import { parseReviewMarker } from "../review.js";
import { ownComment } from "./comment.js";
import { type ActionDependencies, errorMessage } from "./shared.js";

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

/**
 * The merged pull request the pushed commit came from: `merged` undefined when there is none (or no
 * token), `error` when GitHub could not say, which the review check must not read as "none".
 */
export interface MergedLookup {
  merged?: AssociatedPullRequest;
  error?: string;
}

export async function findMergedPullRequest(deps: ActionDependencies): Promise<MergedLookup> {
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
export type ReviewedPlan =
  | {
      status: "found";
      record: NonNullable<ReturnType<typeof parseReviewMarker>>;
      url: string;
      number: number;
    }
  | { status: "none"; why: string }
  | { status: "missing"; why: string };

export async function reviewedPlan(deps: ActionDependencies, lookup: MergedLookup): Promise<ReviewedPlan> {
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
