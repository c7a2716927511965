/** The action's sticky comments: posted or updated as the token's author, never fatal to the run. */
import type { GitHubPort, IssueRef } from "../github/github-port.js";
import { findStickyComment, resolveCommentAuthor, upsertStickyComment } from "../github/sticky-comment.js";
import type { Annotation } from "../report.js";
import { type ActionDependencies, errorMessage } from "./shared.js";

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
